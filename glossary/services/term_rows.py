"""A term's rows as plain values, derived from its glossary/1 dict without the database: what
save_term sets on its objects and what a bulk import inserts with executemany, from one source."""

from __future__ import annotations

from typing import Any

from ..formats.glossary1 import default_form_type
from ..models import PINYIN_LENGTH
from ..text import forms as derive
from ..text.pinyin import to_pinyin
from ..text.segment import shared_segmenter
from .errors import Conflict, Invalid

FormRow = tuple[str, str, str, str, str | None]  # text, tag, origin, type, note


def derive_names(data: dict[str, Any], prefix: str) -> tuple[str, str, str]:
    """simplified, traditional and pinyin as the term will have them: given or derived."""
    simplified = data["simplified"].strip()
    traditional = data.get("traditional") or derive.traditional(simplified)
    pinyin = data.get("pinyin") or to_pinyin(simplified, shared_segmenter())
    if len(pinyin) > PINYIN_LENGTH:  # only a derived one can be: the schema bounds a given one
        message = f"its pinyin would be {len(pinyin)} characters (at most {PINYIN_LENGTH}); give pinyin"
        raise Invalid(f"{prefix}.simplified: {message}", [{"path": f"{prefix}.simplified", "message": message}])
    return simplified, traditional, pinyin


def wanted_forms(simplified: str, traditional: str, data: dict[str, Any]) -> list[FormRow]:
    """(text, tag, origin, type, note) for every surface form of a term, one per text: the
    headwords come first and win over a curated form with the same text."""
    wanted: list[FormRow] = [(simplified, "zh-Hans", "primary", "primary", None)]
    wanted += [
        (f["text"], f["tag"], "curated", f.get("type") or default_form_type(f["tag"]), f.get("note"))
        for f in data.get("forms", [])
    ]
    wanted.append((traditional, "zh-Hant", "derived", "primary", None))
    wanted += [
        (text, tag, "derived", "script", None)
        for text, tag in derive.derive_forms(simplified, data.get("kind", "concept"), traditional)
    ]
    rows: dict[str, FormRow] = {}
    for row in wanted:
        rows.setdefault(row[0], row)
    return list(rows.values())


def form_clash(prefix: str, text: str, owner: str) -> Conflict:
    """The error for a form another term (``owner``) already has."""
    return Conflict(
        f"{prefix}: surface form {text!r} already belongs to term {owner!r}",
        [{"path": f"{prefix}.forms", "message": f"{text!r} is a form of {owner!r}"}],
    )


def term_columns(data: dict[str, Any], resolved: dict[str, str]) -> dict[str, Any]:
    """The terms row's own columns (id, version and time stamps apart)."""
    fu = data.get("first_use") or {}
    return {
        "slug": resolved["slug"],
        "simplified": resolved["simplified"],
        "traditional": resolved["traditional"],
        "pinyin": resolved["pinyin"],
        "kind": data.get("kind", "concept"),
        "status": data.get("status", "published"),
        "note": data.get("note"),
        "annotation_policy": data.get("annotation_policy") or "auto",
        "policy_note": data.get("policy_note"),
        "first_use_date": fu.get("date"),
        "first_use_source_id": fu.get("source"),
        "first_use_locator": fu.get("locator"),
        "first_use_note": fu.get("note"),
        "first_use_basis": (fu.get("basis") or "asserted") if fu else None,
        "first_use_scope": fu.get("scope"),
        "first_use_excerpt": fu.get("excerpt"),
    }


def child_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Translations, definitions, excerpts and tags as column values (term_id apart), in order."""
    return {
        "translations": [
            {
                "lang": t["lang"],
                "text": t["text"],
                "status": t["status"],
                "date_from": t.get("from"),
                "date_until": t.get("until"),
                "source_id": t.get("source"),
                "note": t.get("note"),
                "excerpt": t.get("excerpt"),
            }
            for t in data.get("translations", [])
        ],
        "definitions": [
            {"lang": d["lang"], "text": d["text"], "source_id": d.get("source")} for d in data.get("definitions", [])
        ],
        "excerpts": [
            {
                "source_id": e["source"],
                "text": e["text"],
                "locator": e.get("locator"),
                "lang": e.get("lang"),
                "translation": e.get("translation"),
            }
            for e in data.get("excerpts", [])
        ],
        "tags": [{"tag": t} for t in sorted(set(data.get("tags", [])))],
    }
