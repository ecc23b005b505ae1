"""The term editor's form (WTForms): its fields, their checks, and a failed save's errors put back
on the fields they are about.

The form is re-rendered from what was posted (never from the database) when saving fails, so an
editor loses nothing. Repeated entries (translations, excerpts …) are numbered rows named
``translations-0-text`` and so on, WTForms' own FieldList naming; a row whose fields are all empty
or at their defaults, or whose "remove" is ticked, is dropped before the form is read
(:func:`compact`), so what is left is numbered as the term's lists are and an error the service
reports on ``term.translations[1]`` lands on row 1.

Format checks (dates, language tags, slugs, tags) use the glossary/1 schema's own patterns, so
the form, the browser's ``pattern`` attributes and the service agree; what needs the database
(unknown sources, clashing forms, two preferred renderings) stays the service's to say.
Adding a field is one line here (a select: ``SelectField(label, choices=…, default=…)``) and one
in the template: :meth:`TermForm.to_data` sends every field under its own name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..formats.glossary1 import FIRST_USE_SCOPES, schema, unstorable_strings
from ..models import FORM_TAGS, FORM_TYPES, RELATION_TYPES, TERM_KINDS, TRANSLATION_STATUSES
from ..services.errors import ServiceError

_DEFS = schema()["$defs"]
DATE = _DEFS["date"]["pattern"]
LANG = _DEFS["lang"]["pattern"]
SLUG = _DEFS["slug"]["pattern"]
_TAG = schema()["$defs"]["term"]["properties"]["tags"]["items"]
TAG, TAG_LENGTH = re.compile(_TAG["pattern"]), _TAG["maxLength"]

DATE_HELP = "Use YYYY, YYYY-MM or YYYY-MM-DD."
LANG_HELP = "Use a language tag such as en, fr or zh-Hans."
SLUG_HELP = "Use lower-case letters and digits joined by hyphens."
TAG_HELP = "Tags are lower-case words joined by hyphens, e.g. party-building."
ROW_REQUIRED = "Required (or tick Remove)."
_PATH = re.compile(r"^term(?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?")
_REQUIRED = re.compile(r"^'(\w+)' is a required property$")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _date(label: str, **kw: Any) -> StringField:
    """A date at the precision a source gives; the browser checks the same pattern as it is typed."""
    render = {"pattern": DATE, "data-error": DATE_HELP, "placeholder": "YYYY-MM", "inputmode": "numeric"}
    render |= kw.pop("render_kw", {})
    return StringField(
        label, filters=[_strip], validators=[Optional(), Regexp(DATE, message=DATE_HELP)], render_kw=render, **kw
    )


def _lang(label: str, default: str | None = None, **render: str) -> StringField:
    render = {"pattern": LANG, "data-error": LANG_HELP} | render
    return StringField(
        label,
        default=default,
        filters=[_strip],
        validators=[Optional(), Regexp(LANG, message=LANG_HELP)],
        render_kw=render,
    )


def _text(label: str, **render: str) -> StringField:
    return StringField(label, filters=[_strip], render_kw=render or None)


def _source(label: str = "Source") -> StringField:
    return StringField(label, filters=[_strip], render_kw={"list": "source-ids"})


CURATED_FORM_TYPES = [t for t in FORM_TYPES if t != "primary"]  # primary is the headword's own


class Row(Form):
    """One entry of a repeated section; MAIN is the field that makes a row count."""

    MAIN = "text"
    remove = BooleanField("Remove")

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        main = self[self.MAIN]
        if not main.data:  # compact() dropped the empty rows: this one has something else in it
            main.errors = [*main.errors, ROW_REQUIRED]
            return False
        return ok

    def values(self) -> dict[str, str | None]:
        """The glossary/1 entry: its main field always, the others when given."""
        return {
            f.short_name: f.data or None
            for f in self
            if f.short_name != "remove" and (f.data or f.short_name == self.MAIN)
        }


class TranslationRow(Row):
    text = _text("Rendering")
    lang = _lang("Language", "en")
    status = SelectField("Status", choices=TRANSLATION_STATUSES, default="alternative")
    date_from = _date("In use from", name="from")
    until = _date("until")
    source = _source()
    note = _text("Note")
    excerpt = TextAreaField("Proof: the verbatim passage that shows it", filters=[_strip], render_kw={"rows": 2})


class DefinitionRow(Row):
    text = TextAreaField(
        "Definition",
        filters=[_strip],
        description="One to three sentences. *emphasis*, `code` and [links](https://…) are allowed.",
    )
    lang = _lang("Language", "en")
    source = _source()


class ExcerptRow(Row):
    text = TextAreaField("Passage (verbatim)", filters=[_strip])
    source = _source()
    locator = _text("Page or section")
    lang = _lang("Language", placeholder="the source’s")
    translation = TextAreaField("Translation", filters=[_strip], render_kw={"rows": 2})


class RelationRow(Row):
    MAIN = "slug"
    type = SelectField("This term is", choices=RELATION_TYPES, default="related")
    slug = StringField(
        "Other term (slug)",
        filters=[_strip],
        validators=[Optional(), Regexp(SLUG, message=SLUG_HELP)],
        render_kw={"list": "term-slugs", "pattern": SLUG, "data-error": SLUG_HELP},
    )


class FormRow(Row):
    text = _text("Form", lang="zh")
    tag = SelectField("Script / region", choices=FORM_TAGS, default="zh-TW")
    # empty: the tag's default (variant for zh-Hans, script for the others)
    type = SelectField(
        "Type", choices=[SelectChoice("", "default for its script"), *(SelectChoice(t, t) for t in CURATED_FORM_TYPES)]
    )
    note = _text("Note")


class FirstUseForm(Form):
    date = _date("Date", render_kw={"placeholder": "YYYY, YYYY-MM or YYYY-MM-DD"})
    source = _source()
    locator = _text("Page or section")
    # a first use is what it rests on and what it is the first of (glossary/1 first_use.basis, .scope)
    basis = SelectField(
        "Basis",
        choices=[
            SelectChoice("asserted", "asserted by the source"),
            SelectChoice("attested", "attested by a corpus document"),
        ],
        default="asserted",
    )
    scope = SelectField(
        "First",
        choices=[SelectChoice("", "scope not stated"), *(SelectChoice(k, v) for k, v in FIRST_USE_SCOPES.items())],
        default="",
    )
    excerpt = TextAreaField("Attesting passage (verbatim)", filters=[_strip], render_kw={"rows": 2})
    note = TextAreaField("Note", filters=[_strip], render_kw={"rows": 2})


ROWS: dict[str, type[Row]] = {
    "translations": TranslationRow,
    "definitions": DefinitionRow,
    "excerpts": ExcerptRow,
    "related": RelationRow,
    "forms": FormRow,
}
_ROW_KEY = re.compile(r"^(" + "|".join(ROWS) + r")-(\d{1,4})-(\w+)$")


def parse_tags(raw: str) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Comma-separated tags → (tags, renamed, refused).

    A tag typed with spaces ("party building") becomes its slug (party-building) and is listed in
    ``renamed`` so the editor is told; upper case is lowered silently. Anything else that is not a
    slug (underscores, Chinese, a leading hyphen) is refused rather than guessed at.
    """
    tags: list[str] = []
    renamed: list[tuple[str, str]] = []
    refused: list[str] = []
    for part in re.split(r"[,\n]", raw):
        typed = part.strip()
        if not typed:
            continue
        slug = re.sub(r"\s+", "-", typed.lower())
        if not TAG.match(slug) or len(slug) > TAG_LENGTH:
            refused.append(typed)
            continue
        if slug != typed.lower():
            renamed.append((typed, slug))
        if slug not in tags:
            tags.append(slug)
    return tags, renamed, refused


class TagsField(StringField):
    """Tags as one comma-separated text box (the no-JavaScript path; editor.js turns it into tokens)."""

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])
        self.renamed: list[tuple[str, str]] = []
        self.refused: list[str] = []

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            self.data, self.renamed, self.refused = parse_tags(valuelist[0])

    def pre_validate(self, form: Any) -> None:
        if self.refused:
            quoted = ", ".join(f"“{t}”" for t in self.refused)
            raise ValidationError(
                f"{quoted} {'is not a tag' if len(self.refused) == 1 else 'are not tags'}. {TAG_HELP}"
            )

    def _value(self) -> str:
        if self.refused and self.raw_data:  # give back what was typed, to be corrected
            typed: str = self.raw_data[0]
            return typed
        return ", ".join(self.data or [])


class TermForm(FlaskForm):
    simplified = StringField("Simplified", filters=[_strip], validators=[DataRequired("Required."), Length(max=200)])
    traditional = _text("Traditional")
    pinyin = _text("Pinyin")
    slug = StringField(
        "Slug",
        filters=[_strip],
        validators=[Optional(), Regexp(SLUG, message=SLUG_HELP), Length(max=200)],
        render_kw={"pattern": SLUG, "data-error": SLUG_HELP},
    )
    kind = SelectField("Kind", choices=TERM_KINDS, default="concept")
    annotation_policy = SelectField(
        "Annotation",
        choices=[
            SelectChoice("auto", "auto: linked in running text"),
            SelectChoice("confirm", "confirm: a possible match, not linked by default"),
            SelectChoice("never", "never: found by search and lookup only"),
        ],
        default="auto",
    )
    policy_note = _text("Why not auto")
    status = RadioField(
        "Visibility",
        choices=[SelectChoice("draft", "Draft (editors only)"), SelectChoice("published", "Published")],
        default="draft",
    )
    tags = TagsField(
        "Tags",
        description="Separate tags with commas. A tag is lower-case words joined by hyphens: "
        "party-building (typed with a space, it becomes one).",
        render_kw={"data-pattern": _TAG["pattern"], "data-error": TAG_HELP, "data-max": str(TAG_LENGTH)},
    )
    first_use = FormField(FirstUseForm)
    translations = FieldList(FormField(TranslationRow))
    definitions = FieldList(FormField(DefinitionRow))
    excerpts = FieldList(FormField(ExcerptRow))
    related = FieldList(FormField(RelationRow))
    forms = FieldList(FormField(FormRow))
    note = TextAreaField("Editorial note", filters=[_strip], render_kw={"rows": 2})
    comment = StringField("Summary of this change", filters=[_strip], description="Shown in the revision history.")
    version = HiddenField()

    DERIVED = ("traditional", "pinyin")  # left out when empty: saving derives them
    NOT_TERM = ("csrf_token", "comment", "version")  # the revision's or the form's, not the term's

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_errors: dict[str, list[str]] = {}
        self.summary: list[str] = []

    @classmethod
    def posted(cls, formdata: MultiDict[str, str]) -> TermForm:
        return cls(formdata=compact(formdata))

    @classmethod
    def for_term(cls, data: dict[str, Any], version: int, derived_traditional: str, derived_pinyin: str) -> TermForm:
        """The form for an existing term; traditional and pinyin stay empty where they equal the
        derived values, so changing the simplified form re-derives them."""
        data = dict(data)
        for name, derived in (("traditional", derived_traditional), ("pinyin", derived_pinyin)):
            if data.get(name) == derived:
                data.pop(name)
        return cls(formdata=_flatten(data) | MultiDict({"version": str(version)}))

    def validate_comment(self, field: Field) -> None:
        for error in unstorable_strings(field.data or "", "comment"):  # the revision's, not the term's
            raise ValidationError(error["message"])

    def with_blank_rows(self) -> TermForm:
        """One empty row a section, to add an entry without JavaScript."""
        for section in ROWS:
            self[section].append_entry()
        return self

    def to_data(self, slug: str | None = None) -> dict[str, Any]:
        """The glossary/1 term this form describes (derived fields left out when empty)."""
        data: dict[str, Any] = {}
        for field in self:
            name = field.short_name
            if name in self.NOT_TERM:
                continue
            if isinstance(field, FieldList):
                items = [entry.form.values() for entry in field]
                if items:
                    data[name] = items
            elif isinstance(field, FormField):
                values = {f.short_name: f.data or None for f in field.form}
                if any(v for k, v in values.items() if k != "basis"):  # a basis alone, its default, is no first use
                    data[name] = values
            elif field.data or name == "simplified":
                data[name] = field.data
        data["kind"] = data.get("kind") or "concept"
        data["status"] = data.get("status") or "draft"
        if slug:
            data["slug"] = slug
        return data

    # errors

    def add_error(self, name: str, message: str) -> None:
        """An error on the field with this name ('translations-1-lang'), or on its section."""
        field = self.field_named(name)
        if field is None or isinstance(field, FieldList):
            self.section_errors.setdefault(name, []).append(message)
        else:
            field.errors = [*field.errors, message]

    def add_service_error(self, exc: ServiceError) -> None:
        """Put each error of a failed save next to the field it is about."""
        if not exc.errors:
            self.summary.append(exc.detail)
            return
        for error in exc.errors:
            path, message = error.get("path", ""), error.get("message", "")
            if m := _REQUIRED.match(message):  # reported on the object; point at the missing field
                path, message = f"{path}.{m.group(1)}", "Required."
            self.add_error(self.name_for(path), friendly(path, message))

    def name_for(self, path: str) -> str:
        """The form field a glossary/1 error path points at ('term.translations[1].lang' → 'translations-1-lang')."""
        m = _PATH.match(path)
        if not m or not m.group(1):
            return "simplified"
        top, index, sub = m.group(1), m.group(2), m.group(3)
        if top == "first_use":
            return f"first_use-{sub}" if sub in {f.short_name for f in self.first_use.form} else "first_use-date"
        if top in ROWS:
            if index is None:
                return top
            names = {f.short_name for f in ROWS[top]()}
            return f"{top}-{index}-{sub if sub in names else ROWS[top].MAIN}"
        return top if top in self else "simplified"

    def field_named(self, name: str) -> Field | None:
        """The field a full name ('first_use-date', 'excerpts-0-text') belongs to."""
        return next((f for f in self.fields() if f.name == name), None) or self._fields.get(name)

    def fields(self) -> Iterator[Field]:
        """Every input field, rows included, in page order."""
        for field in self:
            if isinstance(field, FieldList):
                for entry in field:
                    yield from entry.form
            elif isinstance(field, FormField):
                yield from field.form
            else:
                yield field

    def invalid_fields(self) -> list[tuple[str, str]]:
        """(element id, label) of each field with an error, in page order, for the links above the form."""
        out = [(f"f-{f.name}", label(f.name, f.label.text)) for f in self.fields() if f.errors]
        return out + [(f"section-{section}", label(section, section)) for section in self.section_errors]


def compact(formdata: MultiDict[str, str]) -> MultiDict[str, str]:
    """The posted form without the rows an editor left empty or ticked "remove", the rest renumbered
    from 0 in the order posted, so row numbers match the term's list indices."""
    defaults = {section: {f.name: f.default or "" for f in row()} for section, row in ROWS.items()}
    rows: dict[tuple[str, int], dict[str, list[str]]] = {}
    out: MultiDict[str, str] = MultiDict()
    for key, value in formdata.items(multi=True):
        m = _ROW_KEY.match(key)
        if not m:
            out.add(key, value)
            continue
        section, index, name = m.group(1), int(m.group(2)), m.group(3)
        if name in defaults[section]:
            rows.setdefault((section, index), {}).setdefault(name, []).append(value)
    count = dict.fromkeys(ROWS, 0)
    for (section, _index), fields in sorted(rows.items()):
        if "remove" in fields:
            continue
        if all(v.strip() in ("", defaults[section][name]) for name, values in fields.items() for v in values):
            continue
        for name, values in fields.items():
            for value in values:
                out.add(f"{section}-{count[section]}-{name}", value)
        count[section] += 1
    return out


def _flatten(data: dict[str, Any]) -> MultiDict[str, str]:
    """A glossary/1 term as the form would post it."""
    out: MultiDict[str, str] = MultiDict()
    for name, value in data.items():
        if name == "tags":
            out.add(name, ", ".join(value))
        elif name == "first_use" and value:
            for key, item in value.items():
                out.add(f"first_use-{key}", "" if item is None else str(item))
        elif name in ROWS:
            for i, item in enumerate(value):
                for key, item_value in item.items():
                    out.add(f"{name}-{i}-{key}", "" if item_value is None else str(item_value))
        elif value is not None and not isinstance(value, list | dict):
            out.add(name, str(value))
    return out


def friendly(path: str, message: str) -> str:
    """JSON Schema's messages quote regular expressions; say what is expected instead."""
    if "does not match" not in message and "is not valid under any" not in message:
        return message
    last = re.split(r"[.\[\]]+", path.rstrip("]"))[-1]
    if last in ("date", "from", "until"):
        return DATE_HELP
    if last == "lang":
        return LANG_HELP
    if path.startswith("term.tags"):
        return TAG_HELP
    if last == "slug" or path.endswith("slug"):
        return SLUG_HELP
    if last == "source":
        return "Choose a source id from the list."
    return message


def label(name: str, text: str) -> str:
    """A field as the editor reads it: 'translations-1-text' → 'Translation 2: Rendering'."""
    singular = {
        "translations": "Translation",
        "definitions": "Definition",
        "excerpts": "Excerpt",
        "related": "Relation",
        "forms": "Form",
    }
    parts = name.split("-")
    if parts[0] in singular and len(parts) == 3:
        return f"{singular[parts[0]]} {int(parts[1]) + 1}: {text}"
    if parts[0] in singular:
        return f"{singular[parts[0]]}s"
    if parts[0] == "first_use":
        return f"First use: {text}"
    return text
