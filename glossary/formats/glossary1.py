"""The glossary/1 JSON format: validation against its JSON Schema and canonical output."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from . import FormatError, decode_text

FORMAT = "glossary/1"
SCHEMA_PATH = Path(__file__).with_name("glossary-1.schema.json")
STATUS_ORDER = {"official": 0, "preferred": 1, "alternative": 2, "deprecated": 3}
SOURCE_FIELDS = ("id", "title", "author", "publisher", "container", "date", "url", "language", "note")
TERM_FIELDS = (
    "slug",
    "simplified",
    "traditional",
    "forms",
    "pinyin",
    "kind",
    "status",
    "annotation_policy",
    "policy_note",
    "translations",
    "definitions",
    "first_use",
    "excerpts",
    "related",
    "tags",
    "note",
)


# What a first use is the first of (first_use.scope), in words for pages and notes
FIRST_USE_SCOPES = {
    "anywhere": "anywhere",
    "official-documents": "in official documents",
    "party-congress-reports": "in a Party Congress report",
    "government-work-reports": "in a Government Work Report",
    "five-year-plans": "in a five-year plan",
    "laws": "in a law",
    "speeches": "in a speech",
}


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return loaded


@cache
def _validator(definition: str | None) -> jsonschema.Draft202012Validator:
    root = schema()
    if definition is None:
        return jsonschema.Draft202012Validator(root)
    sub = {"$ref": f"#/$defs/{definition}", "$defs": root["$defs"]}
    return jsonschema.Draft202012Validator(sub)


def _path(parts: Any, prefix: str = "") -> str:
    out = prefix
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _deepest(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Into a oneOf/anyOf of a value and null (first_use: {…} | null), the value's own error: a
    first use lacking its excerpt says so, not "is not valid under any of the given schemas"."""
    while err.validator in ("oneOf", "anyOf") and err.context and err.instance is not None:
        inner = [e for e in err.context if not (e.validator == "type" and e.validator_value == "null")]
        if not inner:
            break
        err = jsonschema.exceptions.best_match(inner)
    return err


def _schema_errors(doc: Any, definition: str | None, prefix: str) -> list[dict[str, str]]:
    errors = []
    for err in _validator(definition).iter_errors(doc):
        # report the deepest, most specific message of a oneOf/anyOf
        best = _deepest(jsonschema.exceptions.best_match([err]))
        path = _path(best.absolute_path, prefix)
        message = best.message
        if best.validator == "additionalProperties":
            message = f"unknown field: {message}"
        elif best.validator == "pattern" and best.validator_value == schema()["$defs"]["web_url"]["pattern"]:
            message = f"{best.instance!r} is not an http:// or https:// URL (pages link it; no other scheme may)"
        errors.append({"path": path, "message": message})
    return sorted(errors, key=lambda e: e["path"])


def lone_surrogate(text: str) -> bool:
    """Whether the text holds a lone surrogate (JSON's "\\ud800" escape makes one): only they
    cannot be encoded as UTF-8. The encoder tells in 0.3-1.3 ms for 1,000,000 Chinese characters,
    where a regular expression took 5 ms and a loop 50 (bench/annotate_cli.py's API figure)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unstorable_strings(value: Any, path: str = "") -> list[dict[str, str]]:
    """NUL characters and lone surrogates, which no database stores (PostgreSQL refuses NUL in
    text, and a lone surrogate cannot be encoded as UTF-8): one error naming each field that has one."""
    out = []
    if isinstance(value, str):
        if "\x00" in value:
            out.append({"path": path, "message": "contains a NUL character, which cannot be stored"})
        if lone_surrogate(value):
            out.append({"path": path, "message": "contains a lone surrogate (invalid Unicode), which cannot be stored"})
    elif isinstance(value, dict):
        for k, v in value.items():
            out += unstorable_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += unstorable_strings(v, f"{path}[{i}]")
    return out


def default_form_type(tag: str) -> str:
    """A form without a type: another script's spelling, or (in simplified) some variant."""
    return "variant" if tag == "zh-Hans" else "script"


def _rule_errors(term: dict[str, Any], prefix: str) -> list[dict[str, str]]:
    """Rules JSON Schema cannot express."""
    errors = []
    if term.get("policy_note") and term.get("annotation_policy", "auto") == "auto":
        errors.append(
            {
                "path": f"{prefix}.policy_note",
                "message": "gives the reason for an annotation_policy of confirm or never, but the policy is auto",
            }
        )
    preferred = Counter(t["lang"] for t in term.get("translations", []) if t.get("status") == "preferred")
    for lang, n in preferred.items():
        if n > 1:
            errors.append(
                {
                    "path": f"{prefix}.translations",
                    "message": f"{n} preferred translations in {lang!r}; at most one per language",
                }
            )
    return errors


def validate_term(term: Any, prefix: str = "term") -> None:
    errors = unstorable_strings(term, prefix) or _schema_errors(term, "term", prefix)
    if not errors:
        errors = _rule_errors(term, prefix)
    if errors:
        raise FormatError(errors)


# Where the Rust validator's rules are not jsonschema's: control characters \x1c-\x1f and U+0085
# are whitespace to Python's \\s but not to Rust's; integers past 64 bits and non-finite floats it
# does not compare; and NUL, which no database stores (see unstorable_strings).
_SUSPECT = re.compile(r"\\u0000|\\u001[c-fC-F]|\x85|[0-9]{16}|Infinity|NaN|[\ud800-\udfff]")


@cache
def _fast_validators() -> tuple[Any, Any]:  # jsonschema_rs is untyped
    """The document's schema (for a document whose terms are left out) and a term's: terms are
    checked one at a time, as the schema says nothing of them together, so the Rust validator
    holds one term's copy at a time, not the whole document's."""
    import jsonschema_rs

    whole = schema()
    term = {"$schema": whole["$schema"], "$defs": whole["$defs"], "$ref": "#/$defs/term"}
    return jsonschema_rs.Draft202012Validator(whole), jsonschema_rs.Draft202012Validator(term)


def _plainly_valid(doc: Any) -> bool:
    """Whether a document is valid, decided quickly: jsonschema-rs validates 50,000 terms in a
    fraction of a second where jsonschema takes minutes, but only jsonschema's errors say what is
    wrong, and its rules decide. So this says True only when the Rust validator accepts a
    document that holds nothing where the two could disagree (_SUSPECT; lone surrogates too);
    anything else goes to jsonschema, which finds the errors or, finding none, accepts it."""
    if not isinstance(doc, dict) or not isinstance(doc.get("terms"), list):
        return False
    parts = [{k: v for k, v in doc.items() if k != "terms"}, *doc["terms"]]
    try:  # a part at a time: one text of the whole document would double the memory an import takes
        if any(_SUSPECT.search(json.dumps(part, ensure_ascii=False)) for part in parts):
            return False
    except (ValueError, TypeError, RecursionError):
        return False
    whole, term = _fast_validators()
    return bool(whole.is_valid(parts[0] | {"terms": []})) and all(map(term.is_valid, doc["terms"]))


def validate_document(doc: Any) -> None:
    """Raise FormatError naming every problem (entry index and field) of a glossary/1 document."""
    if not isinstance(doc, dict):
        raise FormatError([{"path": "", "message": "a glossary/1 document is a JSON object"}])
    errors = [] if _plainly_valid(doc) else unstorable_strings(doc) or _schema_errors(doc, None, "")
    if not errors:
        seen: dict[str, int] = {}
        for i, term in enumerate(doc["terms"]):
            errors += _rule_errors(term, f"terms[{i}]")
            if (slug := term.get("slug")) is not None:
                if slug in seen:
                    errors.append(
                        {
                            "path": f"terms[{i}].slug",
                            "message": f"slug {slug!r} already used by terms[{seen[slug]}]",
                        }
                    )
                seen.setdefault(slug, i)
        ids = Counter(s["id"] for s in doc.get("sources", []))
        errors += [
            {"path": "sources", "message": f"source id {sid!r} appears {n} times"} for sid, n in ids.items() if n > 1
        ]
    if errors:
        raise FormatError(errors)


def parse(text: str | bytes) -> dict[str, Any]:
    """Parse and validate; errors name the line and column of malformed JSON."""
    if isinstance(text, bytes):
        text = decode_text(text)
    try:
        doc: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            [
                {
                    "path": f"line {exc.lineno} column {exc.colno}",
                    "message": f"invalid JSON: {exc.msg}",
                }
            ]
        ) from None
    except RecursionError:
        raise FormatError([{"path": "", "message": "JSON nested too deeply"}]) from None
    del text  # the decoded file (twice its UTF-8 size) goes before the document is validated
    validate_document(doc)
    return doc


def _ordered(item: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: item[k] for k in fields if item.get(k) not in (None, [], "")}


def canonical_term(term: dict[str, Any]) -> dict[str, Any]:
    """Stable field and list order, empty values dropped: what export writes."""
    t = dict(term)
    t["annotation_policy"] = t.get("annotation_policy") or "auto"
    t["forms"] = sorted(
        ({**f, "type": f.get("type") or default_form_type(f["tag"])} for f in t.get("forms", [])),
        key=lambda f: (f["tag"], f["text"]),
    )
    t["translations"] = sorted(
        t.get("translations", []), key=lambda x: (x["lang"], STATUS_ORDER[x["status"]], x["text"])
    )
    t["definitions"] = sorted(t.get("definitions", []), key=lambda d: (d["lang"], d["text"]))
    t["excerpts"] = sorted(t.get("excerpts", []), key=lambda e: (e["source"], e["text"]))
    t["related"] = sorted(t.get("related", []), key=lambda r: (r["type"], r["slug"]))
    t["tags"] = sorted(set(t.get("tags", [])))
    keys = {
        "forms": ("text", "tag", "type", "note"),
        "translations": ("lang", "text", "status", "from", "until", "source", "note", "excerpt"),
        "definitions": ("lang", "text", "source"),
        "excerpts": ("source", "text", "locator", "lang", "translation"),
        "related": ("slug", "type"),
    }
    for name, fields in keys.items():
        t[name] = [_ordered(x, fields) for x in t[name]]
    if t.get("first_use"):
        t["first_use"] = _ordered(t["first_use"], ("date", "source", "locator", "note", "basis", "scope", "excerpt"))
    return _ordered(t, TERM_FIELDS)


def document(sources: list[dict[str, Any]], terms: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "sources": [_ordered(s, SOURCE_FIELDS) for s in sorted(sources, key=lambda s: s["id"])],
        "terms": [canonical_term(t) for t in sorted(terms, key=lambda t: t["slug"])],
    }


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
