"""Search: one engine behind the web page and the API.

A query is read three ways at once (as Chinese, as pinyin, as a translation) and looked up in
the index tables, tier by tier, best first:

    exact form > exact pinyin > exact preferred translation > other exact translation
    > prefix > substring > phrase > fuzzy

Exact and prefix lookups are B-tree range scans on ``search_keys.key``; substring and fuzzy
lookups intersect n-gram postings (``search_grams`` for forms and pinyin, the database's
trigram index for translations: search_trigrams.py) and check only those candidates, so
no query scans every term; phrase lookups ask the database's full-text index (search_phrase.py).
A lower tier runs only while the result list is not full.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVarTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import SearchGram, SearchKey, Term, TermTag
from ..text.keys import (
    form_key,
    form_keyed,
    grams,
    has_han,
    latin_key,
    latin_keyed,
    pinyin_key,
    pinyin_keyed,
    within_edits,
)
from .representation import term_head
from .search_phrase import InText, content_words, phrase_condition, phrase_similarity, suggestion_score, terms_in_text
from .search_trigrams import translation_matches

if TYPE_CHECKING:
    from ..text.annotate import Annotator

_Row = TypeVarTuple("_Row")  # the selected columns, kept through the WHERE clauses added

MAX_QUERY = 200
CANDIDATES = 400
SCORES = {
    "exact-form": 1000,
    "exact-pinyin": 900,
    "exact-preferred": 800,
    "exact-translation": 700,
    "prefix": 500,
    "word-prefix": 450,
    "substring": 300,
    "phrase": 200,  # plus up to 99 for how closely the phrase matches
    "fuzzy": 100,
}
TOP = "\U0010ffff"


class QueryError(ValueError):
    """A query that cannot be searched (empty, too long)."""


@dataclass(frozen=True)
class Query:
    text: str
    form: str  # folded Chinese reading
    pinyin: str  # toneless pinyin reading
    latin: str  # translation reading

    @classmethod
    def parse(cls, raw: str) -> Query:
        text = " ".join(raw.split())
        if not text:
            raise QueryError("q must not be empty")
        if len(text) > MAX_QUERY:
            raise QueryError(f"q must be at most {MAX_QUERY} characters, got {len(text)}")
        han = has_han(text)
        return cls(
            text=text,
            form=form_key(text) if han else "",
            pinyin="" if han else pinyin_key(text),
            latin="" if han else latin_key(unicodedata.normalize("NFKC", text)),  # ｃｙｂｅｒ is cyber
        )


@dataclass
class Hit:
    term: Term
    score: int
    field: str
    value: str
    start: int
    end: int
    how: str

    def to_dict(self, lang: str) -> dict[str, Any]:
        return term_head(self.term, lang) | {
            "matched": {
                "field": self.field,
                "value": self.value,
                "start": self.start,
                "end": self.end,
                "how": self.how,
            },
            "score": self.score,
        }


def _span(value: str, field: str, offset: int, query: Query) -> tuple[int, int]:
    """Where in the displayed value the query matched (code-point offsets), for highlighting:
    found in the value's key (from `offset`, where a word-prefix key starts) and mapped back
    through the key's offsets; the whole value when it matched only approximately (fuzzy)."""
    if field == "form":
        if (i := value.find(query.text)) >= 0:  # the form as the user typed it
            return i, i + len(query.text)
        keyed, needle = form_keyed(value), query.form
    elif field == "pinyin":
        keyed, needle = pinyin_keyed(value), query.pinyin
    else:
        keyed, needle = latin_keyed(value), query.latin
    i = keyed.key.find(needle, offset)
    if i < 0:
        i = keyed.key.find(needle)
    return keyed.span(i, i + len(needle)) if i >= 0 and needle else (0, len(value))


def _as_typed(key: SearchKey, current: Hit, query: Query) -> bool:
    """Of two forms that match equally (網絡主權 and 网络主权 fold alike), show the one typed."""
    return key.field == current.field == "form" and query.text in key.value and query.text not in current.value


def _fuzzy_ok(query: str, key: str) -> bool:
    """Every query word matches a key word: long words (≥5 letters) within 1–2 edits, short exactly."""
    key_words = key.split()
    for word in query.split():
        if len(word) >= 5:
            limit = 1 if len(word) < 8 else 2
            if not any(within_edits(word, kw, limit) for kw in key_words):
                return False
        elif word not in key_words:
            return False
    return True


def _containing(part: str) -> Callable[[str], bool]:
    """A test that a text contains part, bound to it now (not to a loop variable that moves on)."""
    return lambda text: part in text


def _closeness(field: str, reading: str) -> Callable[[str], int | None]:
    """Edits from the query's reading to a key of field, or None when too far for a suggestion."""
    if field == "translation":
        return lambda key: suggestion_score(reading, key)
    edits = 1 if len(reading) < 8 else 2 if len(reading) < 14 else 3
    return lambda key: next((n for n in range(edits + 1) if within_edits(reading, key, n)), None)


def _accepts(close: Callable[[str], int | None]) -> Callable[[str], bool]:
    return lambda key: close(key) is not None


class Searcher:
    def __init__(
        self,
        session: Session,
        *,
        lang: str = "en",
        kind: str | None = None,
        tag: str | None = None,
        include_drafts: bool = False,
    ) -> None:
        self.session = session
        self.lang = lang
        self.kind = kind
        self.tag = tag
        self.include_drafts = include_drafts

    def _filter(self, stmt: sa.Select[*_Row]) -> sa.Select[*_Row]:
        return self._restrict(stmt.join(Term, Term.id == SearchKey.term_id))

    def _restrict(self, stmt: sa.Select[*_Row]) -> sa.Select[*_Row]:
        """Only the terms this search may show: published (unless drafts are asked for), of its
        kind and tag; ``stmt`` selects from Term or has joined it."""
        if not self.include_drafts:
            stmt = stmt.where(Term.status == "published")
        if self.kind:
            stmt = stmt.where(Term.kind == self.kind)
        if self.tag:
            stmt = stmt.where(Term.id.in_(sa.select(TermTag.term_id).where(TermTag.tag == self.tag)))
        return stmt

    def _keys(self, condition: sa.ColumnElement[Any], limit: int = CANDIDATES) -> list[SearchKey]:
        """Keys meeting condition whose terms pass the filters; in key order, so a capped prefix
        lookup keeps the closest continuations."""
        stmt = self._filter(sa.select(SearchKey).where(condition)).options(joinedload(SearchKey.term))
        return list(self.session.scalars(stmt.order_by(SearchKey.key, SearchKey.id).limit(limit)))

    def _gram_candidates(
        self, key: str, field: str, exact_all: bool, keep: Callable[[str], bool], contains: str | None = None
    ) -> list[SearchKey]:
        """Keys of `field` sharing all (exact_all) or half of key's n-grams, containing `contains`,
        whose terms pass the filters and whose normalised text passes `keep`.

        The filters apply before the CANDIDATES cap, so other kinds, tags or drafts cannot take
        the places; most grams shared first, then key order. Only those chosen are loaded as
        objects with their terms."""
        wanted = sorted(grams(key))
        if not wanted:
            return []
        if field == "translation":
            matching = translation_matches(self.session, key, exact_all)
        else:
            shared = sa.func.count(sa.distinct(SearchGram.gram)).label("shared")
            matching = (
                sa.select(SearchGram.key_id, shared)
                .where(SearchGram.field == field, SearchGram.gram.in_(wanted))
                .group_by(SearchGram.key_id)
                .having(shared == len(wanted) if exact_all else shared >= max(1, len(wanted) // 2))
                .subquery()
            )
        stmt = self._filter(sa.select(SearchKey.id, SearchKey.key).join(matching, matching.c.key_id == SearchKey.id))
        if contains:
            stmt = stmt.where(SearchKey.key.contains(contains, autoescape=True))
        rows = self.session.execute(stmt.order_by(matching.c.shared.desc(), SearchKey.id).limit(CANDIDATES))
        chosen = [key_id for key_id, text in rows if keep(text)]
        return self._keys(SearchKey.id.in_(chosen)) if chosen else []

    def search(self, raw: str, limit: int = 20) -> list[Hit]:
        q = Query.parse(raw)
        best: dict[int, Hit] = {}

        def offer(key: SearchKey, how: str, bonus: int = 0) -> None:
            score = SCORES[how] + bonus
            if how == "prefix" and key.field == "form":
                score += 20  # a form prefix beats a translation prefix
            if key.field == "translation" and key.lang == self.lang.split("-")[0]:
                score += 5
            current = best.get(key.term_id)
            if current is None or score > current.score or (score == current.score and _as_typed(key, current, q)):
                start, end = _span(key.value, key.field, key.offset, q)
                best[key.term_id] = Hit(key.term, score, key.field, key.value, start, end, how)

        readings = [(r, f) for r, f in ((q.form, "form"), (q.pinyin, "pinyin"), (q.latin, "translation")) if r]
        keys = [r for r, _ in readings]
        for key in self._keys(SearchKey.key.in_(keys)):
            if key.offset:
                offer(key, "word-prefix")
            elif key.field == "form" and key.key == q.form:
                offer(key, "exact-form")
            elif key.field == "pinyin" and key.key == q.pinyin:
                offer(key, "exact-pinyin")
            elif key.field == "translation" and key.key == q.latin:
                offer(key, "exact-preferred" if key.status in ("preferred", "official") else "exact-translation")
        if len(best) < limit:
            for reading, field in readings:
                for key in self._keys(
                    sa.and_(SearchKey.key > reading, SearchKey.key < reading + TOP, SearchKey.field == field)
                ):
                    offer(key, "word-prefix" if key.offset else "prefix")
        if len(best) < limit:
            for reading, field in readings:
                for key in self._gram_candidates(reading, field, True, _containing(reading), reading):
                    offer(key, "substring")
        if len(best) < limit and len(words := content_words(q.latin)) >= 2:
            for key, similarity in self._phrases(words):
                offer(key, "phrase", round(99 * similarity))
        if len(best) < limit and q.latin and any(len(w) >= 5 for w in q.latin.split()):
            for key in self._gram_candidates(q.latin, "translation", False, lambda text: _fuzzy_ok(q.latin, text)):
                offer(key, "fuzzy")
        hits = sorted(best.values(), key=lambda h: (-h.score, len(h.term.simplified), h.term.slug))[:limit]
        self._load_translations([h.term for h in hits])
        return hits

    def _phrases(self, words: list[str]) -> list[tuple[SearchKey, float]]:
        """Whole translations sharing word stems with the query's content words, from the
        full-text index, that phrase_similarity accepts."""
        condition = phrase_condition(self.session, words)
        if condition is None:
            return []
        rows = self.session.execute(
            self._filter(sa.select(SearchKey.id, SearchKey.key).where(condition))
            .order_by(SearchKey.id)
            .limit(CANDIDATES)
        )
        scored = {key_id: phrase_similarity(words, content_words(key)) for key_id, key in rows}
        chosen = {key_id: score for key_id, score in scored.items() if score > 0}
        return [(key, chosen[key.id]) for key in self._keys(SearchKey.id.in_(chosen))] if chosen else []

    def in_text(self, annotator: Annotator, raw: str) -> list[InText]:
        """The terms the annotator finds in the query, in its order (see terms_in_text), that
        pass the filters; offsets are into the query as given."""
        Query.parse(raw)  # the same limits as search
        found = terms_in_text(annotator, raw)
        if not found:
            return []
        stmt = self._restrict(sa.select(Term).where(Term.slug.in_([slug for slug, *_ in found])))
        terms = {t.slug: t for t in self.session.scalars(stmt.options(selectinload(Term.translations)))}
        return [
            InText(terms[slug], start, end, raw[start:end], confidence, form_type, rendering)
            for slug, start, end, confidence, form_type, rendering in found
            if slug in terms
        ]

    def suggest(self, raw: str, limit: int = 3) -> list[str]:
        """Close spellings to try when a query found nothing (did you mean …?): translations,
        pinyin or forms a few edits away (see suggestion_score), closest first."""
        q = Query.parse(raw)
        scored: dict[str, int] = {}
        for reading, field in ((q.form, "form"), (q.pinyin, "pinyin"), (q.latin, "translation")):
            if not reading:
                continue
            close = _closeness(field, reading)
            for key in self._gram_candidates(reading, field, False, _accepts(close)):
                score = close(key.key)
                if score is not None and score < scored.get(key.value, score + 1):
                    scored[key.value] = score
        return sorted(scored, key=lambda value: (scored[value], len(value), value))[:limit]

    def _load_translations(self, terms: list[Term]) -> None:
        if terms:
            self.session.scalars(
                sa.select(Term).where(Term.id.in_([t.id for t in terms])).options(selectinload(Term.translations))
            ).all()
