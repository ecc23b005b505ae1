"""Phrase search over translations, did-you-mean, and the terms a long query contains.

Phrases: the database's full-text index (SQLite FTS5 with the porter stemmer; PostgreSQL
to_tsvector('english'), migration 0008) picks the translations sharing a word stem with the
query; :func:`phrase_similarity` then ranks them the same way on both databases, so "community
of shared future" finds "community with a shared future for mankind" in the same place on each.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import SearchKey, Term
from ..text.annotate import Annotator
from ..text.keys import within_edits
from ..text.languages import annotate_text
from ..text.renderings import normalise_word
from .representation import term_head
from .search_trigrams import WHOLE

# words a phrase query can leave out or say differently without meaning something else
STOPWORDS = frozenset(
    ("a", "an", "the", "of", "for", "to", "in", "on", "and", "with", "by", "at", "as", "from", "into", "s", "its")
)
_TSQUERY_WORD = re.compile(r"[a-z0-9]+")


def content_words(latin: str) -> list[str]:
    """The words of a translation key that carry its meaning, normalised (plurals, -isation)."""
    return [normalise_word(w, "en") for w in latin.split() if w not in STOPWORDS]


def _matched(words: list[str], other: list[str]) -> int:
    """How many of ``words`` the other side has, as a word or joined with a neighbour
    ("cyber power" and "cyberpower")."""
    have = set(other) | {a + b for a, b in zip(other, other[1:], strict=False)}
    count = 0
    for i, word in enumerate(words):
        joined = {words[i - 1] + word if i else "", word + words[i + 1] if i + 1 < len(words) else ""}
        count += word in have or bool(joined & have)
    return count


def phrase_similarity(query: list[str], key: list[str]) -> float:
    """0–1: the share of both sides' content words the other side has; 0 when less than
    three fifths of the query's are found (a phrase must be mostly there)."""
    if not query or not key:
        return 0.0
    found = _matched(query, key)
    if found < math.ceil(0.6 * len(query)):
        return 0.0
    return (found + _matched(key, query)) / (len(query) + len(key))


def phrase_condition(session: Session, words: list[str]) -> sa.ColumnElement[bool] | None:
    """SearchKey rows whose whole translation shares a word stem (or a word's prefix) with the
    query, from the database's full-text index; None when no word is left to look for."""
    terms = sorted({w for w in words if _TSQUERY_WORD.fullmatch(w)})
    if not terms:
        return None
    whole = sa.and_(*WHOLE)
    if session.get_bind().dialect.name == "postgresql":
        query = " | ".join(f"{w}:*" for w in terms)
        vector = sa.func.to_tsvector(sa.literal_column("'english'"), SearchKey.value)
        return sa.and_(whole, vector.op("@@")(sa.func.to_tsquery(sa.literal_column("'english'"), query)))
    match = " OR ".join(f'"{w}"*' for w in terms)
    fts = sa.text("SELECT rowid FROM search_key_fts WHERE search_key_fts MATCH :match").bindparams(match=match)
    return sa.and_(whole, SearchKey.id.in_(fts.columns(sa.column("rowid", sa.Integer))))


def suggestion_score(query: str, key: str) -> int | None:
    """Edits between a query and a key (None if too far): a word of 3–5 letters may be one edit
    off, a longer one two, three from 10 letters; each query word must meet a key word."""
    total = 0
    key_words = key.split()
    for word in query.split():
        limit = 0 if len(word) < 3 else 1 if len(word) < 6 else 2 if len(word) < 10 else 3
        best = next((n for n in range(limit + 1) if any(within_edits(word, k, n) for k in key_words)), None)
        if best is None:
            return None
        total += best
    return total


@dataclass(frozen=True)
class InText:
    """A term the annotator found in the query: where, and as which form or rendering."""

    term: Term
    start: int
    end: int
    surface: str
    confidence: str
    form_type: str
    rendering: str | None

    def to_dict(self, lang: str) -> dict[str, Any]:
        item: dict[str, Any] = term_head(self.term, lang) | {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "confidence": self.confidence,
            "form_type": self.form_type,
        }
        if self.rendering is not None:
            item["rendering"] = self.rendering
        return item


def terms_in_text(annotator: Annotator, text: str) -> list[tuple[str, int, int, str, str, str | None]]:
    """(slug, start, end, confidence, form_type, rendering) of each term the annotator finds in
    ``text``, first occurrence only, in text order; empty when the text is just one term (the
    ordinary hits say that)."""
    matches = [m for m in annotate_text(annotator, text).matches if not m.nested]
    if len(matches) == 1 and text[: matches[0].start].strip() == "" and text[matches[0].end :].strip() == "":
        return []
    seen: dict[str, tuple[str, int, int, str, str, str | None]] = {}
    for m in matches:
        rendering = m.rendering.text if m.rendering is not None else None
        seen.setdefault(m.entry.slug, (m.entry.slug, m.start, m.end, m.confidence, m.form_type, rendering))
    return list(seen.values())
