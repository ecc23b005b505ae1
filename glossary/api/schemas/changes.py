"""Changes since a time, for keeping a mirror in step."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from .base import QueryModel, query_error


def _utc_time(raw: object) -> datetime:
    """An ISO 8601 date or time as UTC (a time without an offset is taken as UTC)."""
    if isinstance(raw, datetime):
        return raw
    text = str(raw)
    if not text:
        raise query_error("{name} is required (ISO 8601, e.g. 2024-01-01T00:00:00Z)", "required")
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise query_error(f"{{name}} must be an ISO 8601 date or time, got {text[:40]!r}", "not ISO 8601") from None
    try:  # 9999-12-31T23:59:59-01:00 is a valid time that has no UTC equivalent a datetime can hold
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise query_error(
            f"{{name}} is outside the years 1–9999 once converted to UTC, got {text[:40]!r}", "out of range"
        ) from None


UtcTime: Any = Annotated[datetime, BeforeValidator(_utc_time)]


class ChangesQuery(QueryModel):
    since: UtcTime = Field(
        description="ISO 8601; the `until` of the previous reply to keep a mirror in step",
    )

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ChangesQuery:
        """`since` is required: absent or empty both answer the same 400."""
        return super().from_args({"since": args.get("since", "")})


class ChangeLinks(BaseModel):
    self: str | None = Field(None, description="the term (absent for a deleted one)")


class Change(BaseModel):
    slug: str
    change: Literal["added", "changed", "deleted"]
    at: datetime
    revision: int
    links: ChangeLinks


class ChangeFeed(BaseModel):
    items: list[Change]
    total: int
    since: datetime
    until: datetime = Field(description="the next since: the time of the latest revision read")


QUERY_EXAMPLE = {"since": "2024-05-01T00:00:00Z"}
EXAMPLE = {
    "items": [
        {
            "slug": "wangluo-zhuquan",
            "change": "changed",
            "at": "2024-05-01T08:30:00+00:00",
            "revision": 3,
            "links": {"self": "/api/v1/terms/wangluo-zhuquan"},
        }
    ],
    "total": 1,
    "since": "2024-05-01T00:00:00+00:00",
    "until": "2024-05-01T08:30:00+00:00",
}
