"""What the Atom feeds carry: the latest published revisions of published terms, and the
new-formulation watch. Drafts never appear: a revision counts only if it left the term published
and the term is published now (a term taken back into draft leaves the feed with all its past)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Revision
from .corpus_candidates import candidates
from .errors import NotFound
from .visibility import public_slugs

FEED_ENTRIES = 50
_SCAN = 500  # the latest revisions read to find FEED_ENTRIES published ones


@dataclass(frozen=True)
class TermChange:
    slug: str
    number: int
    change: str  # added (its first published revision) or changed
    at: datetime
    simplified: str
    english: str
    definition: str
    comment: str


def _published(snapshot: dict[str, Any] | None) -> bool:
    return snapshot is not None and snapshot.get("status", "published") == "published"


def _english(snapshot: dict[str, Any]) -> str:
    english = [t for t in snapshot.get("translations") or [] if t.get("lang") == "en"]
    preferred = [t for t in english if t.get("status") == "preferred"] or english
    return str(preferred[0]["text"]) if preferred else ""


def _definition(snapshot: dict[str, Any]) -> str:
    for item in snapshot.get("definitions") or []:
        if item.get("lang") == "en":
            return str(item["text"])
    return ""


def recent_changes(session: Session, limit: int = FEED_ENTRIES) -> list[TermChange]:
    """The latest revisions that published or changed a published term, newest first."""
    revisions = session.scalars(
        sa.select(Revision).order_by(Revision.created.desc(), Revision.id.desc()).limit(_SCAN)
    ).all()
    public = public_slugs(session, {r.slug for r in revisions})
    out: list[TermChange] = []
    for rev in revisions:
        snapshot = json.loads(rev.snapshot) if rev.snapshot else None
        if rev.slug not in public or snapshot is None or not _published(snapshot):
            continue
        before = session.scalar(
            sa.select(Revision.snapshot)
            .where(Revision.slug == rev.slug, Revision.number < rev.number)
            .order_by(Revision.number.desc())
            .limit(1)
        )
        was_public = _published(json.loads(before)) if before else False
        out.append(
            TermChange(
                slug=rev.slug,
                number=rev.number,
                change="changed" if was_public else "added",
                at=rev.created,
                simplified=str(snapshot.get("simplified", rev.slug)),
                english=_english(snapshot),
                definition=_definition(snapshot),
                comment=rev.comment or "",
            )
        )
        if len(out) == limit:
            break
    return out


def watch(session: Session, limit: int = FEED_ENTRIES) -> dict[str, Any]:
    """The new-formulation watch as the API and page give it (empty when the corpus is)."""
    try:
        return candidates(session, None, limit, None)
    except NotFound:
        return {"since": None, "recent_documents": 0, "corpus": {"last_import": None}, "items": []}
