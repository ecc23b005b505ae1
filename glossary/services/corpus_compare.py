"""Compare two sets of corpus documents: the terms only one uses, and those whose rate rose or
fell most, ranked by Dunning's log-likelihood (G²) — the first analysis a China watcher does by
hand for every new report.

A side is written as selectors separated by commas: document ids (``12``), ``year:2017``,
``kind:congress-report``. Selectors of one type are alternatives, types combine: ``12,13`` is
either document, ``year:2017,year:2022`` either year, ``year:2017,kind:congress-report`` the
congress reports of 2017. Year and kind selectors leave out documents flagged as repeating a
longer one (as every figure does); a document named by id is taken as asked. Counts are the
stored per-term-per-document counts (the counting rule of :mod:`corpus_index`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import DOCUMENT_KINDS, Document, Term, TermDocumentCount
from .corpus_reading import DOCUMENT_IDS
from .errors import Invalid, NotFound

MAX_SELECTORS = 50
_SELECTOR = f"(?:[0-9]{{1,18}}|year:[0-9]{{1,4}}|kind:(?:{'|'.join(DOCUMENT_KINDS)}))"
# a side as the API document describes it (a JSON Schema pattern, ASCII only, no spaces)
SIDE_PATTERN = f"^{_SELECTOR}(?:,{_SELECTOR}){{0,{MAX_SELECTORS - 1}}}$"
_PART = re.compile(_SELECTOR)


def g2(a: int, b: int, chars_a: int, chars_b: int) -> float:
    """Dunning's log-likelihood of a term occurring a times in chars_a characters and b times in
    chars_b: 2 Σ O ln(O/E), with each side's expected count in proportion to its size. 0 when
    the rates are equal; 3.84 is p < 0.05, 6.63 p < 0.01 (one degree of freedom)."""
    total, size = a + b, chars_a + chars_b
    if total == 0 or size == 0:
        return 0.0
    score = 0.0
    for observed, chars in ((a, chars_a), (b, chars_b)):
        expected = chars * total / size
        if observed:
            score += observed * math.log(observed / expected)
    return 2 * score


@dataclass(frozen=True)
class Selection:
    ids: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()


def parse_side(name: str, raw: str) -> Selection:
    """The selectors of one side, or Invalid naming the side and the selector it cannot read."""
    parts = raw.split(",")
    if not raw:
        message = "give document ids or selectors such as year:2017, kind:congress-report"
        raise Invalid(f"{name}: {message}", [{"path": name, "message": "required"}])
    if len(parts) > MAX_SELECTORS:
        raise Invalid(f"{name}: at most {MAX_SELECTORS} selectors", [{"path": name, "message": "too many"}])
    ids, years, kinds = set(), set(), set()
    for part in parts:
        if not _PART.fullmatch(part):
            message = f"cannot read {part[:40]!r}: use a document id, year:YYYY or kind:KIND, separated by commas"
            raise Invalid(f"{name}: {message}", [{"path": name, "message": message}])
        kind, _, value = part.rpartition(":")
        if kind == "year":
            years.add(int(value))
        elif kind == "kind":
            kinds.add(value)
        else:
            ids.add(int(value))
    return Selection(frozenset(ids), frozenset(years), frozenset(kinds))


def _documents(session: Session, selection: Selection) -> list[tuple[int, int]]:
    """(id, chars) of the documents a selection names."""
    query = sa.select(Document.id, Document.chars)
    if selection.ids:  # an id no document can have selects nothing (and PostgreSQL refuses to bind it)
        query = query.where(Document.id.in_([i for i in selection.ids if i in DOCUMENT_IDS] or [0]))
    if selection.years or selection.kinds:
        query = query.where(Document.overlaps_id.is_(None))
    if selection.years:
        query = query.where(Document.year.in_(selection.years))
    if selection.kinds:
        query = query.where(Document.kind.in_(selection.kinds))
    return [(i, c) for i, c in session.execute(query)]


def _counts(session: Session, document_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        sa.select(TermDocumentCount.term_id, sa.func.sum(TermDocumentCount.occurrences))
        .where(TermDocumentCount.document_id.in_(document_ids))
        .group_by(TermDocumentCount.term_id)
    )
    return {term_id: int(n) for term_id, n in rows}


def _rate(occurrences: int, chars: int) -> float:
    return round(occurrences * 100_000 / chars, 3) if chars else 0.0


@dataclass
class Comparison:
    a: dict[str, Any]
    b: dict[str, Any]
    only_a: list[dict[str, Any]] = field(default_factory=list)
    only_b: list[dict[str, Any]] = field(default_factory=list)
    rose: list[dict[str, Any]] = field(default_factory=list)  # higher rate in b
    fell: list[dict[str, Any]] = field(default_factory=list)


def compare(session: Session, a: str, b: str, limit: int = 20) -> Comparison:
    """The terms of two sides (see the module docstring); each list is ranked by G², highest
    first, and cut to ``limit``."""
    sides = []
    for name, raw in (("a", a), ("b", b)):
        documents = _documents(session, parse_side(name, raw))
        if not documents:
            raise NotFound(f"{name}: {raw!r} selects no documents", [{"path": name, "message": "no documents"}])
        ids = sorted(i for i, _ in documents)
        sides.append((ids, sum(c for _, c in documents), _counts(session, ids)))
    (ids_a, chars_a, counts_a), (ids_b, chars_b, counts_b) = sides
    term_ids = set(counts_a) | set(counts_b)
    query = sa.select(Term.id, Term.slug).where(Term.id.in_(term_ids))
    slugs = {term_id: slug for term_id, slug in session.execute(query)} if term_ids else {}
    out = Comparison(
        a={"selector": a, "documents": ids_a, "chars": chars_a},
        b={"selector": b, "documents": ids_b, "chars": chars_b},
    )
    for term_id in term_ids:
        n_a, n_b = counts_a.get(term_id, 0), counts_b.get(term_id, 0)
        item = {
            "term": slugs[term_id],
            "a": {"occurrences": n_a, "per_100k": _rate(n_a, chars_a)},
            "b": {"occurrences": n_b, "per_100k": _rate(n_b, chars_b)},
            "g2": round(g2(n_a, n_b, chars_a, chars_b), 3),
        }
        if not n_b:
            out.only_a.append(item)
        elif not n_a:
            out.only_b.append(item)
        elif n_b * chars_a > n_a * chars_b:  # rates compared exactly, not as rounded
            out.rose.append(item)
        elif n_b * chars_a < n_a * chars_b:
            out.fell.append(item)
    for name in ("only_a", "only_b", "rose", "fell"):
        ranked = sorted(getattr(out, name), key=lambda i: (-i["g2"], i["term"]))
        setattr(out, name, ranked[:limit])
    return out
