"""The whole glossary as a download, and the health check."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from ...formats import FORMATS
from .base import QueryModel


class ExportQuery(QueryModel):
    format: Literal[FORMATS] = Field("json", description="the interchange format")

    MESSAGES: ClassVar[dict[str, tuple[str, str]]] = {
        "format": (f"format must be one of {', '.join(FORMATS)}", "unknown format")
    }


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded: reads work, writes cannot")
    database: Literal["ok", "read-only", "disk full"]
    writable: bool = Field(description="a write (rolled back) succeeded and there is room to grow")
    detail: str | None = Field(None, description="the database's own words when it cannot take writes")
    glossary_version: int = Field(description="raised by every write; caches compare it")
    terms: int = Field(description="published terms")


QUERY_EXAMPLE = {"format": "csv"}
HEALTH_EXAMPLE = {"status": "ok", "database": "ok", "writable": True, "glossary_version": 412, "terms": 167}
UNWRITABLE_EXAMPLE = {
    "status": "degraded",
    "database": "read-only",
    "writable": False,
    "detail": "attempt to write a readonly database",
    "glossary_version": 412,
    "terms": 167,
}
