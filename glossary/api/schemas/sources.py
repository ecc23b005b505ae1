"""Sources: the list and one source with the excerpts citing it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .base import G1Extension, Page, QueryModel, whole_number


class SourceListQuery(QueryModel):
    page: whole_number(1, 1_000_000) = 1
    per_page: whole_number(1, 100) = 50


class SourceLinks(BaseModel):
    self: str


class Source(G1Extension):
    """A glossary/1 source with a link to its detail."""

    G1 = "source"
    links: SourceLinks


class SourcePage(Page):
    items: list[Source]


class CitingExcerpt(BaseModel):
    term: str = Field(description="the slug of the term the excerpt is for")
    text: str
    locator: str | None
    lang: str | None


class SourceDetail(G1Extension):
    """A glossary/1 source with the published excerpts taken from it and the terms citing it."""

    G1 = "source"
    excerpts: list[CitingExcerpt]
    terms: list[str] = Field(description="slugs of the published terms with an excerpt from the source")


_SOURCE = {
    "id": "aspi-cyber-vision",
    "title": "China's cyber vision",
    "author": None,
    "publisher": "ASPI",
    "container": None,
    "date": "2024-02",
    "url": "https://www.aspi.org.au/report/chinas-cyber-vision",
    "language": "en",
    "note": None,
}
PAGE_EXAMPLE = {
    "items": [_SOURCE | {"links": {"self": "/api/v1/sources/aspi-cyber-vision"}}],
    "total": 1,
    "page": 1,
    "per_page": 50,
    "links": {"next": None, "prev": None},
}
DETAIL_EXAMPLE = _SOURCE | {
    "excerpts": [{"term": "wangluo-zhuquan", "text": "cyber sovereignty (网络主权)", "locator": "p. 4", "lang": "en"}],
    "terms": ["wangluo-zhuquan"],
}
