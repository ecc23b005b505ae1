"""The editor's use-cases: what its pages list, and each write an editor makes from a form, in
its own transaction, committed here.

A person at a form needs one check the API does with an ETag: a form opened before someone else
saved must not silently overwrite that save (:class:`Stale`). Every save from the editor goes
through :func:`save`, the one place the web layer reaches ``terms.save_term``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Revision, Term
from . import browse
from . import terms as term_service
from .errors import Conflict, NotFound, ServiceError

EDITED = 20  # latest changes and deleted terms on the dashboard


class Stale(Conflict):
    """The term was saved by someone else after the editor opened the form."""

    def __init__(self, detail: str, version: int) -> None:
        super().__init__(detail)
        self.version = version


@dataclass(frozen=True)
class Choices:
    """What the editor's selects and suggestion lists offer."""

    sources: list[tuple[str, str]]  # id, title
    slugs: list[tuple[str, str]]  # slug, simplified


@dataclass(frozen=True)
class Dashboard:
    drafts: list[Term]
    recent: list[Revision]
    deleted: list[Revision]  # each deleted slug's latest deletion, newest first
    live: set[str]  # slugs of recent that still exist


@dataclass(frozen=True)
class Saved:
    term: Term
    revision: int  # the term's latest revision number after the write


def choices(session: Session) -> Choices:
    slugs = [
        (slug, simplified)
        for slug, simplified in session.execute(sa.select(Term.slug, Term.simplified).order_by(Term.slug))
    ]
    return Choices(browse.source_choices(session), list(slugs))


def dashboard(session: Session) -> Dashboard:
    recent = list(
        session.scalars(sa.select(Revision).order_by(Revision.created.desc(), Revision.id.desc()).limit(EDITED))
    )
    live = set(session.scalars(sa.select(Term.slug).where(Term.slug.in_({r.slug for r in recent}))))
    gone = session.scalars(
        sa.select(Revision)
        .where(Revision.action == "delete", ~sa.exists().where(Term.slug == Revision.slug))
        .order_by(Revision.created.desc(), Revision.id.desc())
        .limit(EDITED)
    )
    deleted: dict[str, Revision] = {}
    for rev in gone:  # newest first: keep each slug's latest deletion
        deleted.setdefault(rev.slug, rev)
    return Dashboard(browse.drafts(session), recent, list(deleted.values()), live)


def term_to_edit(session: Session, slug: str, *, for_update: bool = False) -> Term:
    """The term with exactly this slug (no alias lookup: a form posts to its own term)."""
    if for_update:
        term_service.lock_term(session, slug)
    term = session.scalar(sa.select(Term).options(*term_service.TERM_LOAD).where(Term.slug == slug))
    if term is None:
        raise NotFound(f"no term {slug!r}")
    return term


def latest_number(session: Session, slug: str) -> int | None:
    return session.scalar(sa.select(sa.func.max(Revision.number)).where(Revision.slug == slug))


def save(
    session: Session,
    data: dict[str, Any],
    actor: str,
    slug: str | None = None,
    version: str | None = None,
    comment: str | None = None,
) -> Saved:
    """Create (slug=None) or replace the term ``slug`` from the editor's glossary/1 data, refusing a
    form opened at another ``version``; commits, or rolls back and raises."""
    term_service.begin_write(session)  # so two editors saving from one version cannot both win
    try:
        term = None
        if slug is not None:
            term = term_to_edit(session, slug, for_update=True)
            if version != str(term.version):
                raise _stale(session, term)
        data = term_service.keep_unedited(term, data)  # fields the editor does not show yet
        saved = term_service.save_term(session, term_service.TermInput(data, actor, term, comment=comment))
        session.commit()
    except ServiceError:
        session.rollback()
        raise
    return Saved(saved, latest_number(session, saved.slug) or 0)


def _stale(session: Session, term: Term) -> Stale:
    last = session.scalar(
        sa.select(Revision).where(Revision.slug == term.slug).order_by(Revision.number.desc()).limit(1)
    )
    who = f" by {last.actor}" if last else ""
    return Stale(
        f"This term was saved{who} after you opened it. Your changes are kept below; "
        "compare them with the current entry and save again to overwrite.",
        term.version,
    )


def delete(session: Session, slug: str, actor: str) -> Term:
    term_service.begin_write(session)
    term = term_to_edit(session, slug, for_update=True)
    term_service.delete_term(session, term, actor)
    session.commit()
    return term


def restore(session: Session, slug: str, number: int, actor: str) -> Saved:
    term_service.begin_write(session)
    try:
        term = term_service.restore_revision(session, slug, number, actor)
        session.commit()
    except ServiceError:
        session.rollback()
        raise
    return Saved(term, latest_number(session, term.slug) or 0)
