"""Keeps the search index tables in step with a term (called inside the term's transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import KEY_LENGTH, SearchGram, SearchKey, Term
from ..text.keys import form_key, grams, latin_key, pinyin_key, word_starts
from .fastinsert import allocate_ids, insert_rows

# A translation gets one extra key per word after the first, for word-prefix search ("sovereignty"
# finds "cyber sovereignty"); words after this many are still found as substrings.
WORD_PREFIXES = 32
# the fields whose keys' n-grams are search_grams rows; whole translations are found through the
# database's trigram index instead (migration 0015, services/search_trigrams)
GRAM_FIELDS = ("form", "pinyin")


def key_rows(
    forms: Iterable[tuple[str, str, str]], pinyin: str, translations: Iterable[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """A term's search keys from its forms (text, tag, origin), its pinyin and its translations
    (lang, status, text), in that order."""
    rows: list[dict[str, Any]] = []
    for text, tag, origin in forms:
        rows.append({"field": "form", "lang": tag, "status": origin, "key": form_key(text), "value": text, "offset": 0})
    rows.append(
        {
            "field": "pinyin",
            "lang": "zh-Latn",
            "status": "pinyin",
            "key": pinyin_key(pinyin),
            "value": pinyin,
            "offset": 0,
        }
    )
    for lang, status, text in translations:
        key = latin_key(text)
        if not key:
            continue
        base = {"field": "translation", "lang": lang, "status": status, "value": text}
        rows.append({**base, "key": key, "offset": 0})
        rows += [{**base, "key": key[i:], "offset": i} for i in word_starts(key)[:WORD_PREFIXES]]
    for row in rows:
        row["key"] = row["key"][:KEY_LENGTH].rstrip()
    return [r for r in rows if r["key"]]


def index_term(session: Session, term: Term, fresh: bool = False) -> None:
    """Replace the term's index rows (fresh: the term is new, there is nothing to delete)."""
    if not fresh:
        session.execute(sa.delete(SearchKey).where(SearchKey.term_id == term.id))
    forms = [(f.text, f.tag, f.origin) for f in term.forms]
    rows = key_rows(forms, term.pinyin, [(t.lang, t.status, t.text) for t in term.translations])
    insert_keys(session, [{**r, "term_id": term.id} for r in rows])


KEY_COLUMNS = ("id", "term_id", "field", "lang", "status", "key", "value", "offset")


def insert_keys(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert search keys (each with its term_id) and the n-grams of each whole form and pinyin
    key (GRAM_FIELDS)."""
    write_keys(session, *prepare_keys(rows))


def prepare_keys(rows: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, int]]]:
    """Search keys as rows (KEY_COLUMNS but the id) and the (field, gram, key) rows of their
    n-grams, a key by its place in ``rows``, sorted as their table's key is, so that each batch
    walks its index once (ids are allocated in order, so the order holds)."""
    keys = [tuple(row[c] for c in KEY_COLUMNS[1:]) for row in rows]
    gram_rows = sorted(
        (row["field"], g, i)
        for i, row in enumerate(rows)
        if row["offset"] == 0 and row["field"] in GRAM_FIELDS
        for g in grams(row["key"])
    )
    return keys, gram_rows


def write_keys(
    session: Session,
    keys: list[tuple[Any, ...]],
    gram_rows: list[tuple[str, str, int]],
    term_ids: list[int] | None = None,
) -> None:
    """Insert prepared keys and n-grams (prepare_keys); ``term_ids``: the ids of the terms whose
    place the keys give as their term_id (a bulk import's batch), if not the ids themselves."""
    if not keys:
        return
    ids = allocate_ids(session, SearchKey.__tablename__, len(keys))
    pairs = zip(ids, keys, strict=True)
    if term_ids is None:
        rows = ((key_id, *key) for key_id, key in pairs)
    else:
        rows = ((key_id, term_ids[key[0]], *key[1:]) for key_id, key in pairs)
    insert_rows(session, SearchKey.__tablename__, KEY_COLUMNS, rows)
    gram_rows_by_id = ((field, gram, ids[k]) for field, gram, k in gram_rows)
    insert_rows(session, SearchGram.__tablename__, ("field", "gram", "key_id"), gram_rows_by_id)
