"""What a route tells the OpenAPI generator about itself: its schemas, errors and examples.

A route is decorated with ``@describe(Operation(...))``; glossary.api.openapi walks the app's URL
map and fails loudly for an /api/v1 route that has no Operation, so none goes undocumented."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Body:
    """A request body: a model (or an annotated type such as a glossary/1 component) and an example."""

    schema: Any
    example: Any
    media_types: tuple[str, ...] = ("application/json",)
    # media type -> (schema, example) of a body that takes another shape (a file upload's form)
    others: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """A successful response. content maps other media types to schemas (None: any bytes)."""

    description: str
    schema: Any = None
    example: Any = None
    etag: bool = False
    location: bool = False
    content: dict[str, Any] | None = None


@dataclass(frozen=True)
class Operation:
    operation_id: str
    summary: str
    replies: dict[int, Reply]
    description: str = ""
    query: type[BaseModel] | None = None
    query_example: dict[str, Any] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)  # parameter name -> description
    path_example: dict[str, Any] = field(default_factory=dict)
    headers: tuple[str, ...] = ()  # "If-Match", "If-None-Match"
    body: Body | None = None
    errors: dict[int, str] = field(default_factory=dict)  # problem+json statuses besides 429/500/503
    write: bool = False  # needs a bearer token of write scope


def describe(operation: Operation) -> Callable[[F], F]:
    def attach(view: F) -> F:
        view.openapi_operation = operation  # type: ignore[attr-defined]
        return view

    return attach


def operation_of(view: Callable[..., Any]) -> Operation | None:
    return getattr(view, "openapi_operation", None)
