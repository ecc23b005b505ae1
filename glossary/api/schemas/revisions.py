"""Revisions: a term's history, and one revision with its snapshot."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from .base import Page, QueryModel, component, whole_number


class RevisionListQuery(QueryModel):
    page: whole_number(1, 1_000_000) = 1
    per_page: whole_number(1, 100) = 20


class RevisionLinks(BaseModel):
    self: str


class RevisionSummary(BaseModel):
    number: int = Field(description="1 for the first revision, one more for each write")
    action: str = Field(description="what the write did: create, update, delete, restore …")
    actor: str = Field(description="who wrote it: an editor, or token:NAME")
    created: datetime
    comment: str | None
    links: RevisionLinks


class RevisionPage(Page):
    items: list[RevisionSummary]


class Revision(RevisionSummary):
    term: component("g1_term") | None = Field(description="the term as it was after the write; null for a deletion")


_SUMMARY = {
    "number": 2,
    "action": "update",
    "actor": "token:newsroom",
    "created": "2024-05-01T08:30:00+00:00",
    "comment": None,
    "links": {"self": "/api/v1/terms/wangluo-zhuquan/revisions/2"},
}
PAGE_EXAMPLE = {"items": [_SUMMARY], "total": 2, "page": 1, "per_page": 20, "links": {"next": None, "prev": None}}
EXAMPLE = _SUMMARY | {"term": {"slug": "wangluo-zhuquan", "simplified": "网络主权", "tags": ["cyber"]}}
