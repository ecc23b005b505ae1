"""The annotator for the current glossary version, rebuilt when any process changes a term."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Term
from ..text.annotate import Annotator, Entry
from ..text.segment import shared_segmenter
from .representation import preferred
from .terms import glossary_version


def entries(session: Session) -> list[Entry]:
    terms = session.scalars(
        sa.select(Term)
        .where(Term.status == "published")
        .options(selectinload(Term.forms), selectinload(Term.translations))
        .order_by(Term.slug)
    ).all()
    out = []
    for term in terms:
        glosses = {}
        for lang in sorted({t.lang for t in term.translations}):
            text, _ = preferred(term, lang)
            if text:
                glosses[lang] = text
        out.append(
            Entry(
                slug=term.slug,
                simplified=term.simplified,
                traditional=term.traditional,
                pinyin=term.pinyin,
                forms=tuple(f.text for f in term.forms),
                glosses=glosses,
                first_use=term.first_use_date,
                policy=term.annotation_policy,
                form_types={f.text: f.type for f in term.forms},
            )
        )
    return out


class AnnotatorCache:
    """One per process: a version check per call (one indexed SELECT), a rebuild when it moved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._segmenter = shared_segmenter()
        self._version: int | None = None
        self._annotator: Annotator | None = None

    def get(self, session: Session) -> Annotator:
        version = glossary_version(session)
        if self._annotator is not None and version == self._version:
            return self._annotator
        with self._lock:
            if self._annotator is None or version != self._version:
                self._annotator = Annotator(entries(session), self._segmenter)
                self._version = version
            return self._annotator
