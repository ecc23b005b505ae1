"""CSV: one row per term for spreadsheets; multi-valued cells hold one item per line.

The columns and item syntax are documented in docs/interchange.md.  Fields a spreadsheet user
rarely edits (first use, excerpt translations, dates in use, notes on translations and forms) are
not exported; sources are not exported either and must already exist when a CSV is imported.
A row that updates an existing term keeps those fields (see ``merge``), so a CSV round trip
loses nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from . import FormatError, Reading, decode_text, locate
from .glossary1 import FORMAT, default_form_type, validate_document

COLUMNS = (
    "slug",
    "simplified",
    "traditional",
    "pinyin",
    "kind",
    "status",
    "annotation_policy",
    "policy_note",
    "translations",
    "definitions",
    "forms",
    "excerpts",
    "related",
    "tags",
    "note",
)
SCALARS = ("slug", "simplified", "traditional", "pinyin", "kind", "status", "annotation_policy", "policy_note", "note")
_FORM_TYPES = "script|abbreviation|full|older|punctuation|formula-spelling|variant"
_LANG = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"
_SOURCE = r"[a-z0-9][a-z0-9-]*"
ITEM_SYNTAX = {
    "translations": (
        "LANG STATUS [SOURCE]: TEXT",
        re.compile(
            rf"^(?P<lang>{_LANG}) (?P<status>official|preferred|alternative|deprecated)"
            rf"(?: \[(?P<source>{_SOURCE})\])?: (?P<text>.*\S.*)$"
        ),
    ),
    "definitions": (
        "LANG [SOURCE]: TEXT",
        re.compile(rf"^(?P<lang>{_LANG})(?: \[(?P<source>{_SOURCE})\])?: (?P<text>.*\S.*)$"),
    ),
    "forms": (
        "TAG [TYPE]: TEXT",
        re.compile(rf"^(?P<tag>zh-Hans|zh-Hant|zh-TW|zh-HK)(?: (?P<type>{_FORM_TYPES}))?: (?P<text>.*\S.*)$"),
    ),
    "excerpts": (
        "SOURCE [LOCATOR]: TEXT",
        re.compile(rf"^(?P<source>{_SOURCE})(?: \[(?P<locator>.*?)\])?: (?P<text>.*\S.*)$"),
    ),
    "related": ("TYPE: SLUG", re.compile(r"^(?P<type>[a-z-]+): (?P<slug>\S+)$")),
}


# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV
# injection"); the writer puts an apostrophe before it, as spreadsheets themselves do, and the
# reader takes it off again. Cells that start with an apostrophe get one too, so the rule is
# reversible: every value reads back exactly as it was written.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _restored(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _one_line(text: str) -> str:
    """Items are separated by line breaks, so a break inside one becomes a space."""
    return " ".join(text.split("\n")).replace("\r", " ")


def _format_items(name: str, items: list[dict[str, Any]]) -> str:
    lines = []
    for x in items:
        if name == "translations":
            src = f" [{x['source']}]" if x.get("source") else ""
            lines.append(f"{x['lang']} {x['status']}{src}: {_one_line(x['text'])}")
        elif name == "definitions":
            src = f" [{x['source']}]" if x.get("source") else ""
            lines.append(f"{x['lang']}{src}: {_one_line(x['text'])}")
        elif name == "forms":
            kind = x.get("type") or default_form_type(x["tag"])
            typed = "" if kind == default_form_type(x["tag"]) else f" {kind}"
            lines.append(f"{x['tag']}{typed}: {_one_line(x['text'])}")
        elif name == "excerpts":
            loc = f" [{_one_line(x['locator'])}]" if x.get("locator") else ""
            lines.append(f"{x['source']}{loc}: {_one_line(x['text'])}")
        elif name == "related":
            lines.append(f"{x['type']}: {x['slug']}")
    return "\n".join(lines)


# fields of list items that CSV does not carry, kept from the item they belong to on update
UNCARRIED = {
    "translations": ("from", "until", "note", "excerpt"),
    "definitions": (),
    "forms": ("note",),
    "excerpts": ("lang", "translation"),
}
# what identifies an item across an export and its re-import (text compared as CSV writes it)
IDENTITY = {
    "translations": ("lang", "text"),
    "definitions": ("lang", "text"),
    "forms": ("tag", "text"),
    "excerpts": ("source", "text"),
}


def _identity(name: str, item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(_one_line(item.get(k) or "") for k in IDENTITY[name])


def _merge_items(name: str, current: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each incoming item gets back what CSV dropped from the current item it matches: its
    uncarried fields, and text whose line breaks CSV turned into spaces."""
    pool: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for item in current:
        pool.setdefault(_identity(name, item), []).append(item)
    out = []
    for item in incoming:
        matches = pool.get(_identity(name, item))
        if not matches:
            out.append(item)
            continue
        old = matches.pop(0)
        merged = dict(item)
        for key, value in old.items():
            if key in UNCARRIED[name] or (isinstance(value, str) and _one_line(value) == item.get(key)):
                merged[key] = value
        out.append(merged)
    return out


def merge(current: dict[str, Any], incoming: dict[str, Any], columns: frozenset[str]) -> dict[str, Any]:
    """The term a CSV row describes, completed from the existing term it updates: columns the
    file leaves out, first use, and the uncarried fields of items that are still there.

    An item the row no longer lists (or lists with different text) is gone with its fields;
    an empty cell in a column the file has clears that field, as in the spreadsheet.
    """
    merged = dict(incoming)
    for name, value in current.items():
        if name == "first_use" or (name in COLUMNS and name not in columns):
            merged[name] = value
        elif name in UNCARRIED and name in incoming:
            merged[name] = _merge_items(name, value, incoming[name])
    return merged


def write(doc: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark, which spreadsheet programs need to read Chinese correctly."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for term in doc["terms"]:
        row = []
        for col in COLUMNS:
            if col in SCALARS:
                row.append(term.get(col) or "")
            elif col == "tags":
                row.append("\n".join(term.get("tags", [])))
            else:
                row.append(_format_items(col, term.get(col, [])))
        w.writerow([_neutralised(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table(header: list[str], rows: list[list[str]]) -> bytes:
    """Any other table (an annotation's terms) written the way the glossary's CSV is: UTF-8 with
    a byte-order mark, CRLF, and every cell neutralised against formula injection."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([_neutralised(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _parse_items(name: str, cell: str, where: str) -> list[dict[str, Any]]:
    syntax, pattern = ITEM_SYNTAX[name]
    items = []
    for n, line in enumerate(cell.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        m = pattern.match(line)
        if m is None:
            raise FormatError(
                [{"path": f"{where}, column {name}, item {n}", "message": f"expected '{syntax}', got {line[:60]!r}"}]
            )
        items.append({k: v for k, v in m.groupdict().items() if v is not None})
    return items


def _term(row: dict[str, str], where: str) -> dict[str, Any]:
    term: dict[str, Any] = {}
    for col, cell in row.items():
        cell = _restored((cell or "").strip())
        if not cell:
            continue
        if col in SCALARS:
            term[col] = cell
        elif col == "tags":
            term["tags"] = [t.strip() for t in cell.splitlines() if t.strip()]
        else:
            term[col] = _parse_items(col, cell, where)
    return term


def _rows(text: str) -> Callable[[], tuple[int, list[str]] | None]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)

    def next_row() -> tuple[int, list[str]] | None:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise FormatError(
                [{"path": f"line {reader.line_num or start}", "message": f"malformed CSV: {exc}"}]
            ) from None
        return start, row

    return next_row


def read(data: bytes) -> Reading:
    text = decode_text(data)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FormatError([{"path": f"line {line}", "message": "contains a NUL character; is this really a CSV file?"}])
    next_row = _rows(text)
    first = next_row()
    if first is None:
        raise FormatError([{"path": "line 1", "message": "the file is empty; expected a header row"}])
    header = [h.strip() for h in first[1]]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise FormatError(
            [{"path": "line 1", "message": f"unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})"}]
        )
    if "simplified" not in header:
        raise FormatError([{"path": "line 1", "message": "the header has no 'simplified' column"}])
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise FormatError([{"path": "line 1", "message": f"column {dup!r} appears twice"}])
    terms: list[dict[str, Any]] = []
    where: list[str] = []
    while (item := next_row()) is not None:
        line, cells = item
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise FormatError(
                [{"path": f"line {line}", "message": f"{len(cells)} cells; the header has {len(header)}"}]
            )
        terms.append(_term(dict(zip(header, cells, strict=True)), f"line {line}"))
        where.append(f"line {line}")
    doc = {"format": FORMAT, "sources": [], "terms": terms}
    try:
        validate_document(doc)
    except FormatError as exc:
        raise FormatError([{**e, "path": locate(e["path"], where)} for e in exc.errors]) from None
    return Reading(doc, where, [f"{len(terms)} rows read"], merge=partial(merge, columns=frozenset(header)))
