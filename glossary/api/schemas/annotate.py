"""Annotate: the request body (validated here) and the annotation returned."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationError

from ...formats.glossary1 import lone_surrogate
from ...models import FORM_TYPES
from ...text.annotate import RENDERING
from ...text.languages import TEXT_LANGS
from ..http import fail
from .base import BodyModel


class AnnotateRequest(BodyModel):
    """Text to annotate and how to answer. (Fields are in the order their errors are reported.)"""

    text: str = Field(description="the text to annotate; offsets in the reply are code points into it")
    lang: str = Field("en", min_length=1, max_length=35, description="the language of each match's gloss")
    format: Literal["json", "html"] = Field("json", description="html adds the text marked up with links")
    nested: bool = Field(False, description="also report terms inside longer matches")
    ruby: bool = Field(False, description="with format html: pinyin over each term as ruby")
    text_lang: Literal[TEXT_LANGS] | None = Field(
        None,
        description="the language of the text besides Chinese: the renderings of entries in it are found too "
        "(`zh`: Chinese terms only); absent: detected (kana: ja, Cyrillic: ru, Latin letters: the language "
        "whose common words the text uses most, else en). Chinese terms are always found.",
    )
    date: str | None = Field(
        None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="the text's own date (YYYY, YYYY-MM or YYYY-MM-DD), where known: terms whose sense "
        "the glossary dates later (their first use in official texts) are then reported low",
    )

    MESSAGES: ClassVar[dict[str, str]] = {
        "lang": "must be a language tag such as en or fr",
        "format": "must be json or html",
        "nested": "must be true or false",
        "ruby": "must be true or false",
        "text_lang": f"must be one of {', '.join(TEXT_LANGS)}",
        "date": "must be a date: YYYY, YYYY-MM or YYYY-MM-DD",
    }

    @classmethod
    def parse(cls, body: Any, max_chars: int) -> AnnotateRequest:
        """The request, or the problem the API has always answered, checked in this order:
        the body's shape, unknown fields, the text, its length (413), the options, surrogates."""
        if not isinstance(body, dict):
            fail(400, "Bad request", "the body must be a JSON object with a text field")
        try:
            request = cls.model_validate(body)
        except ValidationError as exc:
            errors = cls.field_errors(exc)
            unknown = sorted(e["path"] for e in errors if e["message"] == "unknown field")
            if unknown:
                fail(
                    400,
                    "Bad request",
                    f"unknown field(s): {', '.join(unknown)}",
                    [{"path": k, "message": "unknown field"} for k in unknown],
                )
            if any(e["path"] == "text" for e in errors):
                missing = body.get("text") is None
                fail(
                    400,
                    "Bad request",
                    "text is required and must be a string",
                    [{"path": "text", "message": "required string" if missing else "must be a string"}],
                )
            _check_length(body["text"], max_chars)
            fail(400, "Bad request", f"{errors[0]['path']}: {errors[0]['message']}", errors)
        _check_length(request.text, max_chars)
        if lone_surrogate(request.text):
            fail(
                400,
                "Bad request",
                "text contains a lone surrogate (invalid Unicode)",
                [{"path": "text", "message": "lone surrogate"}],
            )
        return request


class AnnotateUpload(BaseModel):
    """The multipart/form-data form of the request: a file in place of text, the options as form fields."""

    file: bytes = Field(
        description="a UTF-8 .txt or .md, .html, .docx, or .pdf with a text layer (the name's extension picks the "
        "reader); its text is annotated and returned as `text`"
    )
    lang: str = Field("en", description="as in the JSON body")
    format: Literal["json", "html"] = Field("json", description="as in the JSON body")
    nested: Literal["true", "false"] = Field("false", description="as in the JSON body")
    ruby: Literal["true", "false"] = Field("false", description="as in the JSON body")
    text_lang: Literal[TEXT_LANGS] | None = Field(None, description="as in the JSON body")
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="as in the JSON body")


_FLAGS = {"true": True, "false": False}


def upload_body(form: dict[str, str], text: str) -> dict[str, Any]:
    """A multipart upload's fields as the JSON body they stand for, so one parser checks both:
    flags are the words true and false (any other word is reported as the JSON body's would be)."""
    body: dict[str, Any] = {k: v for k, v in form.items() if k != "file"}
    for flag in ("nested", "ruby"):
        if flag in body:
            body[flag] = _FLAGS.get(body[flag].lower(), body[flag])
    return body | {"text": text}


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        fail(
            413,
            "Payload too large",
            f"text has {len(text)} characters; the limit is {limit}",
            [{"path": "text", "message": f"longer than {limit} characters"}],
        )


class Match(BaseModel):
    start: int
    end: int
    surface: str = Field(description="the text as it appears: text[start:end]")
    slug: str
    simplified: str
    traditional: str
    pinyin: str
    gloss: str | None
    lang: str | None = Field(description="the language of gloss")
    confidence: Literal["high", "low"] = Field(
        description="always `low` for a term whose annotation_policy is `confirm` (`never` terms are not matched)"
    )
    form_type: Literal[(*FORM_TYPES, RENDERING)] = Field(
        description="the type of the form that matched: `primary` for the term's simplified or traditional form, "
        "`script` for another script's or region's spelling, `rendering` for a rendering in another language "
        "(see `rendering`), else the curated form's type (docs/format.md)"
    )
    nested: bool = Field(False, description="present (true) for a term inside a longer match")
    text_lang: str | None = Field(None, description="present for a rendering: the language of the text matched")
    rendering: str | None = Field(None, description="present for a rendering: the glossary's rendering matched")
    status: str | None = Field(
        None, description="present for a rendering: its status (official, preferred, alternative, deprecated)"
    )
    deprecated: bool = Field(False, description="present (true) when the rendering matched is deprecated")
    current: str | None = Field(None, description="with deprecated: the rendering to use now, in that language")


class TermCount(BaseModel):
    slug: str
    count: int


class Annotation(BaseModel):
    matches: list[Match]
    terms: list[TermCount] = Field(description="each term found, with how often")
    chars: int = Field(description="the length of the text in code points")
    html: str = Field("", description="with format html only: the text with each match linked")
    text: str = Field("", description="with a file upload only: the text read from the file, which offsets index")


REQUEST_EXAMPLE = {"text": "坚持网络主权", "lang": "en", "format": "json"}
EXAMPLE = {
    "matches": [
        {
            "start": 2,
            "end": 6,
            "surface": "网络主权",
            "slug": "wangluo-zhuquan",
            "simplified": "网络主权",
            "traditional": "網絡主權",
            "pinyin": "wǎngluò zhǔquán",
            "gloss": "cyber sovereignty",
            "lang": "en",
            "confidence": "high",
            "form_type": "primary",
        }
    ],
    "terms": [{"slug": "wangluo-zhuquan", "count": 1}],
    "chars": 6,
}

UPLOAD_EXAMPLE = {"file": "report.pdf", "format": "json", "lang": "en"}
