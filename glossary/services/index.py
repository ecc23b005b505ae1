"""Keeps the search index tables in step with a term (called inside the term's transaction)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import KEY_LENGTH, SearchGram, SearchKey, Term
from ..text.keys import form_key, grams, latin_key, pinyin_key, word_starts

# A translation gets one extra key per word after the first, for word-prefix search ("sovereignty"
# finds "cyber sovereignty"); words after this many are still found as substrings.
WORD_PREFIXES = 32


def _keys(term: Term) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for form in term.forms:
        rows.append(
            {
                "field": "form",
                "lang": form.tag,
                "status": form.origin,
                "key": form_key(form.text),
                "value": form.text,
                "offset": 0,
            }
        )
    rows.append(
        {
            "field": "pinyin",
            "lang": "zh-Latn",
            "status": "pinyin",
            "key": pinyin_key(term.pinyin),
            "value": term.pinyin,
            "offset": 0,
        }
    )
    for tr in term.translations:
        key = latin_key(tr.text)
        if not key:
            continue
        base = {"field": "translation", "lang": tr.lang, "status": tr.status, "value": tr.text}
        rows.append({**base, "key": key, "offset": 0})
        rows += [{**base, "key": key[i:], "offset": i} for i in word_starts(key)[:WORD_PREFIXES]]
    for row in rows:
        row["key"] = row["key"][:KEY_LENGTH].rstrip()
    return [r for r in rows if r["key"]]


def index_term(session: Session, term: Term, fresh: bool = False) -> None:
    """Replace the term's index rows (fresh: the term is new, there is nothing to delete)."""
    if not fresh:
        session.execute(sa.delete(SearchKey).where(SearchKey.term_id == term.id))
    rows = _keys(term)
    if not rows:
        return
    ids = session.scalars(
        sa.insert(SearchKey).returning(SearchKey.id, sort_by_parameter_order=True),
        [{**r, "term_id": term.id} for r in rows],
    ).all()
    gram_rows = [
        {"field": row["field"], "gram": g, "key_id": key_id}
        for key_id, row in zip(ids, rows, strict=True)
        if row["offset"] == 0
        for g in grams(row["key"])
    ]
    if gram_rows:
        session.execute(sa.insert(SearchGram), gram_rows)
