"""The new-formulation watch: phrases frequent in recent corpus documents that the glossary does
not hold, ranked, each with its first date in the corpus and a passage that shows it.

Three kinds of candidate, all found in the documents dated on or after ``since``:

- ``numbered``: a numeral, a measure word and a head noun (两个确立, 四个自信, 三大攻坚战);
- ``quoted``: a phrase the documents themselves set in quotation marks (“…”, 「…」);
- ``rising``: a four-character run (extended while its longer reading keeps 80% of its uses)
  whose rate per 100,000 characters in the recent documents is at least RISE times its rate in
  the earlier ones, or that earlier documents never use.

A candidate is left out when it is a form of any term (drafts included: someone is on it), a
piece of one (三个代 of 三个代表), or a known form of three or more characters with at most two
characters around it (坚定四个自信 when 四个自信 is held). It must appear in at least
MIN_DOCUMENTS recent documents. Ranking is by Dunning's G² of recent against earlier use, so a
phrase that is new *and* frequent comes first. Figures leave out documents flagged as repeating
a longer one, as every corpus figure does.

This reads document texts (about 2.4 M characters for the shared corpus: a second or two), so
results are kept per corpus version, glossary version and arguments in a small in-process cache.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document, SurfaceForm, Term
from ..text import formulations
from ..text.fold import fold
from ..text.segment import shared_segmenter
from .corpus_compare import g2
from .corpus_queries import corpus_version, sentence
from .corpus_reading import DOCUMENT_IDS, source_for_document
from .errors import Invalid, NotFound
from .terms import TermInput, glossary_version, save_term

MIN_DOCUMENTS = 2
RISE = 3.0
NGRAM = 4
TOP_RISING = 150
DEFAULT_YEARS = 5  # since: the start of the year five years before the latest document's
MAX_LIMIT = 200


@dataclass
class Candidate:
    phrase: str
    kind: str  # numbered, quoted or rising
    first_date: str  # of the earliest document using it, at that document's precision
    documents: int  # recent documents using it
    occurrences: int  # in recent documents
    earlier_occurrences: int
    per_100k: float  # in recent documents
    earlier_per_100k: float
    g2: float
    example: dict[str, Any]  # {document, title, date, excerpt, start, end}


@dataclass(frozen=True)
class _Doc:
    id: int
    kind: str
    date: str
    sort_date: str
    title: str
    text: str


def _documents(session: Session) -> list[_Doc]:
    rows = session.execute(
        sa.select(Document.id, Document.kind, Document.date, Document.sort_date, Document.title, Document.text)
        .where(Document.overlaps_id.is_(None), Document.language.like("zh%"))
        .order_by(Document.sort_date, Document.id)
    )
    return [_Doc(*row) for row in rows]


def _known_forms(session: Session) -> set[str]:
    """Every spelling of every term, drafts included, folded as the annotator folds text."""
    return {fold(f) for f in session.scalars(sa.select(SurfaceForm.text)) if f}


def _held(phrase: str, known: set[str], long_known: list[str]) -> bool:
    folded = fold(phrase)
    if folded in known:
        return True
    if any(folded in form for form in long_known if len(form) > len(folded)):
        return True  # a piece of a held form
    return any(form in folded and len(folded) - len(form) <= 2 for form in long_known)


def default_since(session: Session) -> str | None:
    latest = session.scalar(sa.select(sa.func.max(Document.year)).where(Document.overlaps_id.is_(None)))
    return f"{latest - DEFAULT_YEARS + 1:04d}" if latest else None


# a threshold, not a stored date: 2021-02-30 is a fine place to start counting from
SINCE_PATTERN = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def _sortable(since: str) -> str:
    """since as documents' sort_date writes dates (2021 → 2021-00-00), or Invalid naming it."""
    if not re.match(SINCE_PATTERN, since):
        message = f"since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {since[:40]!r}"
        raise Invalid(message, [{"path": "since", "message": "not a date"}])
    return since + "-00" * (2 - since.count("-"))


def _spotted(recent: list[_Doc]) -> dict[str, str]:
    """phrase → kind, for the numbered, quoted and rising-candidate phrases of the recent texts."""
    kinds: dict[str, str] = {}
    numbered: Counter[str] = Counter()
    for doc in recent:
        numbered.update(p for p, _ in formulations.numbered(doc.text))
    for phrase in formulations.settle(numbered):
        kinds[phrase] = "numbered"
    for doc in recent:
        for phrase, _ in formulations.quoted(doc.text):
            kinds.setdefault(phrase, "quoted")
    return kinds


def _rising(recent: list[_Doc], earlier: list[_Doc], chars: tuple[int, int]) -> set[str]:
    """Four-character runs used at RISE times their earlier rate (or never before) in three or more
    recent documents of two or more kinds — so the vocabulary of one new law does not fill the
    list — the TOP_RISING strongest, each grown to its longest reading of at most eight characters
    that keeps 80% of its uses and does not begin or end on a particle."""
    counts: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    kinds: dict[str, set[str]] = {}
    for doc in recent:
        grams = formulations.ngrams(doc.text, NGRAM)
        counts.update(grams)
        spread.update(grams.keys())
        for gram in grams:
            kinds.setdefault(gram, set()).add(doc.kind)
    wanted = frozenset(g for g, n in counts.items() if n >= 5 and spread[g] >= 3 and len(kinds[g]) >= 2)
    before: Counter[str] = Counter()
    for doc in earlier:
        before.update(formulations.ngrams(doc.text, NGRAM, keep=wanted))
    recent_chars, earlier_chars = chars
    scored = [
        (g2(counts[g], before[g], recent_chars, earlier_chars), g)
        for g in wanted
        if before[g] * recent_chars * RISE <= counts[g] * max(earlier_chars, 1)
    ]
    top = frozenset(g for _, g in sorted(scored, reverse=True)[:TOP_RISING])
    families: dict[str, Counter[str]] = {g: Counter() for g in top}
    for doc in recent:
        for gram, readings in formulations.readings_around(doc.text, top, 2):
            families[gram].update(readings)
    grown: Counter[str] = Counter()
    for gram, family in families.items():
        floor = 0.8 * family[gram]
        fits = [r for r, n in family.items() if n >= floor and r[0] not in formulations.EDGE_WORDS]
        best = max((r for r in fits if r[-1] not in formulations.EDGE_WORDS), key=lambda r: (len(r), family[r]))
        grown[best] = family[best]
    return set(formulations.settle(grown))


def _on_word_boundaries(phrase: str, docs: list[_Doc], sample: int = 5) -> bool:
    """Whether segmentation puts word boundaries at the phrase's ends in most of (up to ``sample``)
    sentences using it: the annotator's boundary test (text.segment), applied to a phrase."""
    segmenter = shared_segmenter()
    verdicts = []
    for doc in docs[:sample]:
        at = doc.text.index(phrase)
        excerpt, offset = sentence(doc.text, at, at + len(phrase))
        verdicts.append(segmenter.boundary_check(excerpt, at - offset, at - offset + len(phrase)) is not None)
    return sum(verdicts) * 2 > len(verdicts)


def _measure(
    phrase: str, kind: str, recent: list[_Doc], earlier: list[_Doc], chars: tuple[int, int]
) -> Candidate | None:
    recent_chars, earlier_chars = chars
    uses = [(doc, doc.text.count(phrase)) for doc in recent]
    used = [(doc, n) for doc, n in uses if n]
    if len(used) < MIN_DOCUMENTS:
        return None
    n_recent = sum(n for _, n in used)
    n_earlier = sum(doc.text.count(phrase) for doc in earlier)
    first = next((doc for doc in earlier if phrase in doc.text), used[0][0])
    if n_earlier * recent_chars > n_recent * earlier_chars:
        return None  # used less now than before: not a new formulation
    shown = used[-1][0]  # the latest document: a formulation's current wording
    at = shown.text.index(phrase)
    excerpt, offset = sentence(shown.text, at, at + len(phrase))
    if kind != "quoted" and not _on_word_boundaries(phrase, [doc for doc, _ in used]):
        return None  # a window cut across words (平同志为核心的党, 一大市场), not a phrase
    return Candidate(
        phrase=phrase,
        kind=kind,
        first_date=first.date,
        documents=len(used),
        occurrences=n_recent,
        earlier_occurrences=n_earlier,
        per_100k=round(n_recent * 100_000 / recent_chars, 3) if recent_chars else 0.0,
        earlier_per_100k=round(n_earlier * 100_000 / earlier_chars, 3) if earlier_chars else 0.0,
        g2=round(g2(n_recent, n_earlier, recent_chars, earlier_chars), 3),
        example={
            "document": shown.id,
            "title": shown.title,
            "date": shown.date,
            "excerpt": excerpt,
            "start": at - offset,
            "end": at - offset + len(phrase),
        },
    )


KINDS = ("numbered", "quoted", "rising")


def find_candidates(
    session: Session, since: str | None = None, limit: int = 50, kind: str | None = None
) -> dict[str, Any]:
    """The watch list (see the module docstring): {since, corpus, recent_documents, items}; with
    ``kind``, only candidates of that kind."""
    since = since or default_since(session)
    if since is None:
        raise NotFound("the corpus holds no documents", [{"path": "since", "message": "no documents"}])
    start = _sortable(since)
    docs = _documents(session)
    recent = [d for d in docs if d.sort_date >= start]
    earlier = [d for d in docs if d.sort_date < start]
    if not recent:
        raise NotFound(f"no document is dated on or after {since}", [{"path": "since", "message": "no documents"}])
    chars = (sum(len(d.text) for d in recent), sum(len(d.text) for d in earlier))
    known = _known_forms(session)
    long_known = [f for f in known if len(f) >= 3]
    kinds = _spotted(recent) if kind != "rising" else {}
    if kind in (None, "rising"):
        for phrase in _rising(recent, earlier, chars):
            kinds.setdefault(phrase, "rising")
    items = []
    for phrase, found_as in kinds.items():
        if (kind and found_as != kind) or _held(phrase, known, long_known):
            continue
        found = _measure(phrase, found_as, recent, earlier, chars)
        if found is not None:
            items.append(found)
    items.sort(key=lambda c: (-c.g2, c.phrase))
    return {
        "since": since,
        "recent_documents": len(recent),
        "corpus": corpus_version(session),
        "items": [asdict(c) for c in items[:limit]],
    }


_cache: dict[tuple[str, int, str | None, int, str | None], dict[str, Any]] = {}
_lock = threading.Lock()


def candidates(session: Session, since: str | None = None, limit: int = 50, kind: str | None = None) -> dict[str, Any]:
    """find_candidates, kept per corpus and glossary version (the last 16 answers)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be 1–{MAX_LIMIT}, not {limit}", [{"path": "limit", "message": "out of range"}])
    if since is not None:
        _sortable(since)
    if kind is not None and kind not in KINDS:
        raise Invalid(
            f"kind must be one of {', '.join(KINDS)}, not {kind[:40]!r}", [{"path": "kind", "message": "unknown kind"}]
        )
    key = (corpus_version(session)["version"], glossary_version(session), since, limit, kind)
    with _lock:
        if key in _cache:
            return _cache[key]
    result = find_candidates(session, since, limit, kind)
    with _lock:
        if len(_cache) >= 16:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result


def draft_from_candidate(session: Session, phrase: str, document_id: int, actor: str) -> Term:
    """A draft entry for a watched phrase: its sentence in the document as a verbatim excerpt, the
    document as the excerpt's source. Nothing else is filled in: an editor completes it."""
    doc = session.get(Document, document_id) if document_id in DOCUMENT_IDS else None
    if doc is None:
        raise NotFound(f"no document {document_id}", [{"path": "document", "message": "not found"}])
    at = doc.text.find(phrase) if phrase else -1
    if at < 0:
        raise Invalid(
            f"document {document_id} does not contain {phrase[:40]!r}",
            [{"path": "phrase", "message": "not in the document"}],
        )
    excerpt, _ = sentence(doc.text, at, at + len(phrase))
    data = {
        "simplified": phrase,
        "status": "draft",
        "excerpts": [{"source": source_for_document(session, doc), "text": excerpt, "locator": None}],
        "note": f"Proposed by the new-formulation watch from {doc.title} ({doc.date}); to be completed and checked.",
    }
    return save_term(session, TermInput(data, actor, comment="proposed by the new-formulation watch"))
