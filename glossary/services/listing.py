"""Paged listings and counts the API serves: terms, a term's revisions, sources and the
excerpts citing one, the health figures. The API's routes parse, call one of these, and render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Excerpt, Revision, Source, Term, TermTag
from .errors import NotFound
from .revisions import history_is_public
from .terms import TERM_LOAD, get_revision

TERM_SORTS = {
    "slug": Term.slug,
    "-slug": Term.slug.desc(),
    "updated": Term.updated,
    "-updated": Term.updated.desc(),
    "created": Term.created,
    "-created": Term.created.desc(),
    "simplified": Term.simplified,
}


def _page(
    session: Session, query: sa.Select[Any], order: tuple[Any, ...], page: int, per_page: int
) -> tuple[list[Any], int]:
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total


def term_page(
    session: Session,
    *,
    status: str = "published",
    kind: str | None = None,
    tag: str | None = None,
    sort: str = "slug",
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Term], int]:
    """One page of terms in a given status (the caller checks who may see drafts), and the total."""
    query = sa.select(Term).where(Term.status == status)
    if kind:
        query = query.where(Term.kind == kind)
    if tag:
        query = query.where(Term.id.in_(sa.select(TermTag.term_id).where(TermTag.tag == tag)))
    return _page(session, query.options(*TERM_LOAD), (TERM_SORTS[sort], Term.id), page, per_page)


def slug_taken(session: Session, slug: str) -> bool:
    """Whether any term, draft or published, has this slug."""
    return session.scalar(sa.select(Term.id).where(Term.slug == slug)) is not None


def revision_page(
    session: Session, slug: str, *, include_drafts: bool, page: int = 1, per_page: int = 20
) -> tuple[list[Revision], int]:
    """A slug's revisions, newest first; NotFound when it has none the caller may read (a draft's
    and a deleted term's history is for writers)."""
    query = sa.select(Revision).where(Revision.slug == slug)
    if not (include_drafts or history_is_public(session, slug)):
        raise NotFound(f"no revisions for {slug!r}")
    rows, total = _page(session, query, (Revision.number.desc(),), page, per_page)
    if not total:
        raise NotFound(f"no revisions for {slug!r}")
    return rows, total


def readable_revision(session: Session, slug: str, number: int, *, include_drafts: bool) -> Revision:
    """One revision, if the caller may read the slug's history (as revision_page decides)."""
    if not (include_drafts or history_is_public(session, slug)):
        raise NotFound(f"term {slug!r} has no revision {number}")
    return get_revision(session, slug, number)


def source_page(session: Session, *, page: int = 1, per_page: int = 50) -> tuple[list[Source], int]:
    return _page(session, sa.select(Source), (Source.id,), page, per_page)


@dataclass
class CitedSource:
    source: Source
    excerpts: list[tuple[Excerpt, str]]  # an excerpt and the slug of its (published) term


def cited_source(session: Session, source_id: str) -> CitedSource:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source {source_id!r}")
    rows = session.execute(
        sa.select(Excerpt, Term.slug)
        .join(Term)
        .where(Excerpt.source_id == source_id, Term.status == "published")
        .order_by(Term.slug, Excerpt.id)
    ).all()
    return CitedSource(source, [(e, slug) for e, slug in rows])


def published_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count(Term.id)).where(Term.status == "published")) or 0
