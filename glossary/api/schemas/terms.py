"""Terms: the list query and the term as served (a glossary/1 term plus read-only fields).

A term's request body is a glossary/1 term and stays validated by the glossary/1 JSON Schema
(glossary.formats.glossary1), whose entry- and field-level messages the API returns; the document
describes it by that same schema (component `g1_term`), so a new glossary/1 field needs no change here."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ...models import FORM_TYPES, TERM_KINDS
from .base import G1Extension, Page, QueryModel, component, whole_number

READ_ONLY_FIELDS = ("updated", "links", "surface_forms", "version", "created")
SORTS = ("slug", "-slug", "updated", "-updated", "created", "-created", "simplified")
Kind = Literal[TERM_KINDS]
TermBody = component("g1_term")


class TermListQuery(QueryModel):
    page: whole_number(1, 1_000_000) = 1
    per_page: whole_number(1, 100) = 20
    kind: Kind | None = None
    tag: str | None = Field(None, description="only terms with this tag")
    status: Literal["draft", "published"] | None = Field(None, description="draft needs a write token")
    sort: Literal[SORTS] | None = Field(None, description="default slug (toneless pinyin order)")


class SurfaceForm(BaseModel):
    text: str
    tag: str = Field(description="the script or region: zh-Hans, zh-Hant, zh-TW, zh-HK …")
    origin: Literal["primary", "derived", "curated"]
    type: Literal[FORM_TYPES] = Field(description="primary, script, or the curated form's type (docs/format.md)")


class TermLinks(BaseModel):
    self: str
    html: str
    revisions: str


class Term(G1Extension):
    """A glossary/1 term with the read-only fields the API adds (ignored when written back)."""

    G1 = "term"
    updated: datetime
    links: TermLinks
    surface_forms: list[SurfaceForm] = Field(description="every form the term is found by, curated and derived")


class TermPage(Page):
    items: list[Term]


BODY_EXAMPLE = {
    "simplified": "网络主权",
    "kind": "concept",
    "translations": [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}],
    "tags": ["cyber"],
}
TERM_EXAMPLE = {
    "slug": "wangluo-zhuquan",
    "simplified": "网络主权",
    "traditional": "網絡主權",
    "pinyin": "wǎngluò zhǔquán",
    "kind": "concept",
    "status": "published",
    "translations": [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}],
    "tags": ["cyber"],
    "updated": "2024-05-01T08:30:00+00:00",
    "surface_forms": [
        {"text": "网络主权", "tag": "zh-Hans", "origin": "primary", "type": "primary"},
        {"text": "網絡主權", "tag": "zh-Hant", "origin": "derived", "type": "primary"},
    ],
    "links": {
        "self": "/api/v1/terms/wangluo-zhuquan",
        "html": "/terms/wangluo-zhuquan",
        "revisions": "/api/v1/terms/wangluo-zhuquan/revisions",
    },
}
PATCH_EXAMPLE = {"tags": ["cyber", "internet governance"], "note": None}
PAGE_EXAMPLE = {
    "items": [TERM_EXAMPLE],
    "total": 1,
    "page": 1,
    "per_page": 20,
    "links": {"next": None, "prev": None},
}
