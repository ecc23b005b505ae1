"""First-use dates as points on a time axis, each with the span its precision allows.

A first use dated "2017" is only known to the year, so it is returned as the whole of 2017
rather than pretending to a day; the chart draws that span.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Term, TermTag
from .representation import preferred


@dataclass(frozen=True)
class Point:
    slug: str
    simplified: str
    gloss: str | None
    date: str  # as curated: YYYY, YYYY-MM or YYYY-MM-DD
    start: float  # fractional years
    end: float
    kind: str


def date_span(date: str) -> tuple[float, float]:
    """The interval of fractional years a YYYY[-MM[-DD]] date stands for."""
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return float(year), float(year + 1)
    days_in_year = 366 if calendar.isleap(year) else 365
    month = parts[1]
    first = sum(calendar.monthrange(year, m)[1] for m in range(1, month))
    if len(parts) == 2:
        return year + first / days_in_year, year + (first + calendar.monthrange(year, month)[1]) / days_in_year
    day = first + parts[2] - 1
    return year + day / days_in_year, year + (day + 1) / days_in_year


def first_uses(session: Session, tag: str | None = None, lang: str = "en") -> list[Point]:
    """Published terms with a first-use date, earliest first."""
    query = (
        sa.select(Term)
        .where(Term.status == "published", Term.first_use_date.is_not(None))
        .options(selectinload(Term.translations))
    )
    if tag:
        query = query.where(Term.id.in_(sa.select(TermTag.term_id).where(TermTag.tag == tag)))
    points = []
    for term in session.scalars(query):
        assert term.first_use_date is not None  # the query keeps dated terms only
        start, end = date_span(term.first_use_date)
        points.append(
            Point(term.slug, term.simplified, preferred(term, lang)[0], term.first_use_date, start, end, term.kind)
        )
    return sorted(points, key=lambda p: (p.start, p.end, p.slug))


def tags_with_first_uses(session: Session) -> list[str]:
    """Tags worth offering as a timeline filter: those of at least one dated published term."""
    query = (
        sa.select(TermTag.tag)
        .join(Term)
        .where(Term.status == "published", Term.first_use_date.is_not(None))
        .distinct()
        .order_by(TermTag.tag)
    )
    return list(session.scalars(query))
