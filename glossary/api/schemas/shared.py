"""Shared annotated texts: what a token holder sends to save one, and what is returned."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .base import BodyModel


class ShareRequest(BodyModel):
    text: str = Field(description="the text to annotate and save; at most GLOSSARY_SHARE_MAX_CHARS characters")
    title: str = Field("", description="shown on the shared page; the text's first line when empty")

    MESSAGES = {"text": "must be a string", "title": "must be a string"}


class SharedTerm(BaseModel):
    slug: str
    simplified: str
    pinyin: str
    gloss: str = Field(description="the preferred English rendering when saved, or empty")
    count: int
    low: int = Field(description="how many of the occurrences are only possible matches")


class Shared(BaseModel):
    id: str = Field(description="random, 22 characters: the shared page is found only through its URL")
    url: str = Field(description="the read-only page showing the annotated text")
    title: str
    text: str
    chars: int
    glossary_version: int = Field(description="the glossary version the text was annotated against")
    created: str = Field(description="when it was saved (UTC, ISO 8601)")
    creator: str = Field(description="the editor or token that saved it")
    terms: list[SharedTerm]
    html: str = Field(description="the annotated text as saved: escaped, each match linked to its term page")


REQUEST_EXAMPLE = {"text": "坚持网络主权", "title": "A sentence on cyber sovereignty"}
EXAMPLE = {
    "id": "q0Yd9T3m1kYJtq0w2vXbZg",
    "url": "/a/q0Yd9T3m1kYJtq0w2vXbZg",
    "title": "A sentence on cyber sovereignty",
    "text": "坚持网络主权",
    "chars": 6,
    "glossary_version": 412,
    "created": "2026-12-03T15:20:00Z",
    "creator": "token:newsroom",
    "terms": [
        {
            "slug": "wangluo-zhuquan",
            "simplified": "网络主权",
            "pinyin": "wǎngluò zhǔquán",
            "gloss": "cyber sovereignty",
            "count": 1,
            "low": 0,
        }
    ],
    "html": '坚持<a class="term term-primary" href="/terms/wangluo-zhuquan" data-slug="wangluo-zhuquan">网络主权</a>',
}
