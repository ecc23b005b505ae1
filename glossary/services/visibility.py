"""What an anonymous reader may see of a term's relations: drafts are invisible to them
everywhere, so a published term's `related` (live or in a revision's snapshot) must not name
one. Every read path that hands out a glossary/1 term dict — the API's term, list and revision
replies, the export, the web's history — goes through `redact`, so no route filters on its own.
A writer (write token) or a signed-in editor passes include_drafts=True and sees everything."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Term

_CHUNK = 500  # slugs per IN list, well inside any database's parameter limit


def public_slugs(session: Session, slugs: Iterable[str]) -> set[str]:
    """Those of slugs that name a published term now (a draft's or a deleted term's do not)."""
    wanted = sorted(set(slugs))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        found.update(session.scalars(sa.select(Term.slug).where(Term.slug.in_(chunk), Term.status == "published")))
    return found


def redact(
    session: Session, terms: Sequence[dict[str, Any] | None], include_drafts: bool
) -> list[dict[str, Any] | None]:
    """The glossary/1 term dicts (None stays None) with relations to anything but a published term
    removed, unless the caller may see drafts. One query for all of them; the dicts are copied."""
    if include_drafts:
        return list(terms)
    named = {r["slug"] for t in terms if t for r in t.get("related") or []}
    public = public_slugs(session, named) if named else set()
    return [None if t is None else _keep(t, public) for t in terms]


def _keep(term: dict[str, Any], public: set[str]) -> dict[str, Any]:
    """The term without relations to slugs outside public (an emptied list is dropped, as
    canonical_term drops empty values)."""
    if not term.get("related"):
        return term
    out = dict(term)
    out["related"] = [r for r in term["related"] if r["slug"] in public]
    if not out["related"]:
        del out["related"]
    return out


def redact_one(session: Session, term: dict[str, Any] | None, include_drafts: bool) -> dict[str, Any] | None:
    return redact(session, [term], include_drafts)[0]


def deletion_comment(term: Term) -> str:
    """The comment on each term that loses its relation to a deleted one: it must not name a draft,
    since a published term's history is public."""
    if term.status == "draft":
        return "relation to a draft removed: the draft was deleted"
    return f"relation to {term.slug} removed: {term.slug} was deleted"
