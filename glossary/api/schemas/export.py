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
    status: Literal["ok"]
    database: Literal["ok"]
    glossary_version: int = Field(description="raised by every write; caches compare it")
    terms: int = Field(description="published terms")


QUERY_EXAMPLE = {"format": "csv"}
HEALTH_EXAMPLE = {"status": "ok", "database": "ok", "glossary_version": 412, "terms": 167}
