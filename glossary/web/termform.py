"""The term editor's form: posted fields to a glossary/1 term and service errors back to fields.

The form is re-rendered from what was posted (never from the database) when saving fails, so an
editor loses nothing; repeated entries (translations, excerpts …) are numbered rows named
``translations-0-text`` and so on, and a row whose main field is empty (or is ticked "remove")
is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from ..formats.glossary1 import unstorable_strings
from ..models import Term
from ..services.errors import ServiceError

# each repeated section: its fields (the first is the one that makes a row count) and defaults
ROWS: dict[str, tuple[str, ...]] = {
    "translations": ("text", "lang", "status", "from", "until", "source", "note"),
    "definitions": ("text", "lang", "source"),
    "excerpts": ("text", "source", "locator", "lang", "translation"),
    "related": ("slug", "type"),
    "forms": ("text", "tag", "note"),
}
DEFAULTS = {
    "translations": {"lang": "en", "status": "alternative"},
    "definitions": {"lang": "en"},
    "related": {"type": "related"},
    "forms": {"tag": "zh-TW"},
}
SCALARS = ("simplified", "traditional", "pinyin", "slug", "kind", "status", "tags", "note", "comment", "version")
FIRST_USE = ("date", "source", "locator", "note")
_ROW_FIELD = re.compile(r"^(" + "|".join(ROWS) + r")-(\d{1,4})-(\w+)$")
_PATH = re.compile(r"^term(?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?")
_REQUIRED = re.compile(r"^'(\w+)' is a required property$")
DATE_HELP = "Use YYYY, YYYY-MM or YYYY-MM-DD."


def blank_row(section: str) -> dict[str, str]:
    return {name: "" for name in ROWS[section]} | DEFAULTS.get(section, {})


@dataclass
class TermForm:
    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {s: [] for s in ROWS})
    errors: dict[str, list[str]] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    # form row index of each data list entry, to put an error on the row the editor typed it in
    row_of: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def new(cls) -> TermForm:
        return cls(values={"kind": "concept", "status": "draft"})

    @classmethod
    def from_term(cls, term: Term, data: dict, derived_traditional: str, derived_pinyin: str) -> TermForm:
        """The form for an existing term; traditional and pinyin stay empty where they equal the
        derived values, so changing the simplified form re-derives them."""
        fu = data.get("first_use") or {}
        values = {
            "simplified": data["simplified"],
            "traditional": "" if data.get("traditional") == derived_traditional else data.get("traditional", ""),
            "pinyin": "" if data.get("pinyin") == derived_pinyin else data.get("pinyin", ""),
            "slug": term.slug,
            "kind": data.get("kind", "concept"),
            "status": data.get("status", "published"),
            "tags": " ".join(data.get("tags", [])),
            "note": data.get("note") or "",
            "version": str(term.version),
        }
        values |= {f"first_use-{k}": fu.get(k) or "" for k in FIRST_USE}
        rows = {}
        for section, names in ROWS.items():
            rows[section] = [
                {name: "" if item.get(name) is None else str(item.get(name)) for name in names}
                for item in data.get(section, [])
            ]
        return cls(values=values, rows=rows)

    @classmethod
    def from_post(cls, form: MultiDict) -> TermForm:
        values = {name: form.get(name, "").strip() for name in SCALARS}
        values |= {f"first_use-{k}": form.get(f"first_use-{k}", "").strip() for k in FIRST_USE}
        grouped: dict[str, dict[int, dict[str, str]]] = {s: {} for s in ROWS}
        removed: set[tuple[str, int]] = set()
        for key in form:
            m = _ROW_FIELD.match(key)
            if not m:
                continue
            section, index, name = m.group(1), int(m.group(2)), m.group(3)
            if name == "remove":
                removed.add((section, index))
            elif name in ROWS[section]:
                grouped[section].setdefault(index, blank_row(section))[name] = form.get(key, "").strip()
        rows = {
            section: [row for i, row in sorted(by_index.items()) if (section, i) not in removed and any(row.values())]
            for section, by_index in grouped.items()
        }
        # a row with only its defaults (an untouched blank row) is not an entry
        rows = {
            section: [row for row in section_rows if row != blank_row(section)]
            for section, section_rows in rows.items()
        }
        return cls(values=values, rows=rows)

    def to_data(self, slug: str | None = None) -> dict:
        """The glossary/1 term this form describes (derived fields left out when empty)."""
        v = self.values
        for error in unstorable_strings(v.get("comment", ""), "comment"):  # the revision's, not the term's
            self.add_error("comment", error["message"])
        data: dict = {"simplified": v.get("simplified", "")}
        for name in ("traditional", "pinyin"):
            if v.get(name):
                data[name] = v[name]
        if slug or v.get("slug"):
            data["slug"] = slug or v["slug"]
        data["kind"] = v.get("kind") or "concept"
        data["status"] = v.get("status") or "draft"
        tags = [t.lower() for t in re.split(r"[\s,]+", v.get("tags", "")) if t]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
        if v.get("note"):
            data["note"] = v["note"]
        fu = {k: v.get(f"first_use-{k}") or None for k in FIRST_USE}
        if any(fu.values()):
            data["first_use"] = fu
        self.row_of = {}
        for section, names in ROWS.items():
            items = []
            for row_index, row in enumerate(self.rows[section]):
                if not row.get(names[0]):
                    self.add_error(f"{section}-{row_index}-{names[0]}", "Required (or tick Remove).")
                    continue
                self.row_of[(section, len(items))] = row_index
                items.append({name: row[name] or None for name in names if row.get(name) or name == names[0]})
            if items:
                data[section] = items
        return data

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def add_service_error(self, exc: ServiceError) -> None:
        """Put each error of a failed save next to the field it is about, and list it at the top."""
        if not exc.errors:
            self.summary.append(exc.detail)
            return
        for error in exc.errors:
            path, message = error.get("path", ""), error.get("message", "")
            if m := _REQUIRED.match(message):  # reported on the object; point at the missing field
                path, message = f"{path}.{m.group(1)}", "Required."
            name = self.field_for(path)
            message = friendly(path, message)
            self.add_error(name, message)
            self.summary.append(f"{label(name)}: {message}")

    def field_for(self, path: str) -> str:
        """The form field a glossary/1 error path points at ('term.translations[1].lang' → 'translations-1-lang')."""
        m = _PATH.match(path)
        if not m or not m.group(1):
            return "simplified"
        top, index, sub = m.group(1), m.group(2), m.group(3)
        if top == "first_use":
            return f"first_use-{sub}" if sub in FIRST_USE else "first_use-date"
        if top in ROWS:
            if index is None:
                return top
            row = self.row_of.get((top, int(index)), int(index))
            return f"{top}-{row}-{sub}" if sub in ROWS[top] else f"{top}-{row}-{ROWS[top][0]}"
        return top if top in SCALARS else "simplified"

    def has_errors(self) -> bool:
        return bool(self.errors or self.summary)


def friendly(path: str, message: str) -> str:
    """JSON Schema's messages quote regular expressions; say what is expected instead."""
    if "does not match" not in message and "is not valid under any" not in message:
        return message
    last = re.split(r"[.\[\]]+", path.rstrip("]"))[-1]
    if last in ("date", "from", "until"):
        return DATE_HELP
    if last == "lang":
        return "Use a language tag such as en, fr or zh-Hans."
    if path.startswith("term.tags"):
        return "Tags are lower-case words joined by hyphens, e.g. party-building."
    if last == "slug" or path.endswith("slug"):
        return "Use lower-case letters and digits joined by hyphens."
    if last == "source":
        return "Choose a source id from the list."
    return message


def label(name: str) -> str:
    """A field name as the editor reads it: 'translations-1-text' → 'Translation 2, text'."""
    singular = {
        "translations": "Translation",
        "definitions": "Definition",
        "excerpts": "Excerpt",
        "related": "Relation",
        "forms": "Form",
    }
    parts = name.split("-")
    if parts[0] in singular and len(parts) == 3:
        return f"{singular[parts[0]]} {int(parts[1]) + 1}, {parts[2]}"
    if parts[0] in singular:
        return singular[parts[0]] + "s"
    if parts[0] == "first_use":
        return f"First use {parts[1]}"
    return name.capitalize()
