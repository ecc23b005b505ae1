"""The glossary version, raised by every write (terms.bump_version) and compared by the term
cache and ETag-bearing lists; the annotation version, raised only by a write the annotator
can see (terms.bump_annotation_version), which the annotator cache compares; and the corpus
generation (raised by corpus_aggregates.refresh) beside them for caches of figures.

A module of its own so that what only reads them (the annotator cache, `glossary annotate`) need
not import the write path and its engine modules."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import CorpusState, GlossaryState

# session.info key: the annotation version this transaction raised the glossary to
ANNOTATION_BUMPED = "glossary.bumped_annotation_version"


def glossary_version(session: Session) -> int:
    return session.scalar(sa.select(GlossaryState.version).where(GlossaryState.id == 1)) or 0


def annotation_version(session: Session) -> int:
    return session.scalar(sa.select(GlossaryState.annotation_version).where(GlossaryState.id == 1)) or 0


def figure_versions(session: Session) -> tuple[int, int]:
    """(glossary version, corpus generation) in one statement: what a cached figure depends on
    (the terms' slugs, status and labels; the corpus aggregates). 0 for a row not made yet."""
    glossary = sa.select(GlossaryState.version).where(GlossaryState.id == 1).scalar_subquery()
    corpus = sa.select(CorpusState.generation).where(CorpusState.id == 1).scalar_subquery()
    row = session.execute(sa.select(glossary, corpus)).one()
    return row[0] or 0, row[1] or 0
