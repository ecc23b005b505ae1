"""The RFC 9457 problem+json document every error answers with."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProblemItem(BaseModel):
    path: str = Field(description="the field or parameter at fault, e.g. `translations[0].source` or `page`")
    message: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str = Field(description="what was wrong, in a sentence")
    errors: list[ProblemItem] = Field(default=[], description="one item per field at fault (absent when none)")


EXAMPLE = {
    "type": "https://glossary.invalid/problems/404",
    "title": "Not found",
    "status": 404,
    "detail": "no term 'nope'",
}
