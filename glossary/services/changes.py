"""The changes feed: what a mirror of the glossary must apply to catch up since a time.

A client sees a term as it can read it: anonymous readers see published terms only, so for
them a term that became a draft was deleted, and a draft that is published was added; a draft
they never saw does not appear at all.

The cursor a reply hands back (`until`) is the time of the latest revision it read, not the
clock: writes are stamped in commit order, with the database's clock on PostgreSQL (see
terms.record and terms.write_time), so nothing committed later can carry an earlier time, even
from an application host whose clock is behind. `since` is inclusive, so revisions at exactly the cursor come again
and a client de-duplicates them by slug and revision number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Revision

_PAIRS_PER_QUERY = 400  # (slug, number) pairs per IN list, well inside SQLite's parameter limit


@dataclass(frozen=True)
class Feed:
    changes: list[Change]
    until: datetime  # pass as the next since


@dataclass(frozen=True)
class Change:
    slug: str
    change: str  # added, changed or deleted
    at: datetime
    revision: int


def _visible(rev: Revision | None, include_drafts: bool) -> bool:
    """Whether a client could read the term as this revision left it."""
    if rev is None or rev.snapshot is None:
        return False
    return include_drafts or json.loads(rev.snapshot).get("status", "published") == "published"


def _previous(session: Session, firsts: dict[str, int]) -> dict[str, Revision]:
    """The revision before each slug's first one in the window (none for a slug's revision 1)."""
    pairs = [(slug, number - 1) for slug, number in firsts.items() if number > 1]
    found: dict[str, Revision] = {}
    for i in range(0, len(pairs), _PAIRS_PER_QUERY):
        chunk = pairs[i : i + _PAIRS_PER_QUERY]
        query = sa.select(Revision).where(sa.tuple_(Revision.slug, Revision.number).in_(chunk))
        found.update((rev.slug, rev) for rev in session.scalars(query))
    return found


def changes_since(session: Session, since: datetime, include_drafts: bool = False) -> Feed:
    """One entry per term whose readable state changed at or after `since`, oldest change first."""
    query = sa.select(Revision).where(Revision.created >= since).order_by(Revision.slug, Revision.number)
    by_slug: dict[str, list[Revision]] = {}
    until = since
    for rev in session.scalars(query):
        by_slug.setdefault(rev.slug, []).append(rev)
        until = max(until, rev.created)
    previous = _previous(session, {slug: revs[0].number for slug, revs in by_slug.items()})
    out = []
    for slug, revs in by_slug.items():
        last = revs[-1]
        before = _visible(previous.get(slug), include_drafts)
        if _visible(last, include_drafts):
            change = "changed" if before else "added"
        elif before or any(_visible(rev, include_drafts) for rev in revs[:-1]):
            change = "deleted"
        else:
            continue  # never readable by this client: nothing to tell it
        out.append(Change(slug, change, last.created, last.number))
    return Feed(sorted(out, key=lambda c: (c.at, c.slug)), until)
