"""What every resource's schemas share: query-string models with the API's own error messages,
strict body models, paged collections, and a reference to a component the generator supplies.

Validation errors are turned into problem+json here, in the words the API has always used
("page must be between 1 and 1000000, got 0"), so clients that read `detail` or `errors[].path`
see no change from the hand-written checks these models replaced."""

from __future__ import annotations

import typing
from typing import Annotated, Any, ClassVar, NoReturn

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..http import fail

# a query string may not carry NUL (Werkzeug refuses such URLs with 400 before routing)
NO_NUL = "^[^\\x00]*$"
COMPONENT = "x-component"


def component(name: str) -> Any:
    """A field whose schema is the document component `name` (one the generator adds from
    another source, such as the glossary/1 JSON Schema), while Python sees plain JSON. The
    generator turns the placeholder into a $ref (pydantic resolves any $ref it emits itself)."""
    return Annotated[dict[str, Any], WithJsonSchema({COMPONENT: name})]


def query_error(name_detail: str, message: str) -> PydanticCustomError:
    """An error whose detail names the parameter: `{name}` is filled in from the error's location."""
    return PydanticCustomError("query_arg", message, {"detail": name_detail})


def whole_number(low: int, high: int) -> Any:
    """An integer query parameter in [low, high]; the checks run on the raw string so the
    messages quote what the client sent, as Python's int() reads it (so ' 7 ' is 7)."""

    def parse(raw: object) -> int:
        if isinstance(raw, int):
            return raw
        try:
            value = int(str(raw))
        except ValueError:
            detail = f"{{name}} must be a whole number, got {str(raw)[:40]!r}"
            raise query_error(detail, "not a whole number") from None
        if not low <= value <= high:
            raise query_error(f"{{name}} must be between {low} and {high}, got {value}", f"out of range {low}–{high}")
        return value

    return Annotated[int, Field(ge=low, le=high), BeforeValidator(parse)]


class QueryModel(BaseModel):
    """Query parameters: unknown ones are ignored, an empty whole number means its default."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    # field -> (detail, message) for a value it does not allow, where the generic words would do worse
    MESSAGES: ClassVar[dict[str, tuple[str, str]]] = {}

    @classmethod
    def from_args(cls, args: typing.Mapping[str, str]) -> typing.Self:
        """The parameters, or a 400 naming the first one that is wrong."""
        names = {info.alias or name for name, info in cls.model_fields.items()}  # "from" is field from_
        values = {k: v for k, v in args.items() if k in names}
        for name, info in cls.model_fields.items():
            if info.annotation is int and values.get(name) == "":
                del values[name]
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            query_problem(cls, exc)


def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The values a Literal (or optional Literal) field allows."""
    annotation = model.model_fields[name].annotation
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return ()


def query_problem(model: type[QueryModel], exc: ValidationError) -> NoReturn:
    error = exc.errors(include_url=False)[0]
    name = str(error["loc"][0])
    raw = error.get("input")
    if error["type"] != "missing" and name in getattr(model, "MESSAGES", {}):
        detail, message = model.MESSAGES[name]
    elif error["type"] == "query_arg":
        detail, message = error["ctx"]["detail"].replace("{name}", name), error["msg"]
    elif error["type"] == "missing":
        detail, message = f"{name} is required", "required"
    elif error["type"] == "literal_error":
        detail = f"{name} must be one of {', '.join(_choices(model, name))}; got {str(raw)[:40]!r}"
        message = "not an allowed value"
    else:  # a constraint a model added without its own message
        detail, message = f"{name}: {error['msg']}", error["msg"]
    fail(400, "Bad request", detail, [{"path": name, "message": message}])


class BodyModel(BaseModel):
    """A JSON request body: types as JSON has them (no "yes" for true), no unknown fields.
    MESSAGES gives the client-facing message for a field that has the wrong type or value."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    MESSAGES: ClassVar[dict[str, str]] = {}

    @classmethod
    def field_errors(cls, exc: ValidationError) -> list[dict[str, str]]:
        """[{path, message}] for each error: unknown fields first, then in the model's field order."""
        order = list(cls.model_fields)
        out = []
        for error in exc.errors(include_url=False):
            path = ".".join(str(p) for p in error["loc"])
            if error["type"] == "extra_forbidden":
                message, rank = "unknown field", -1
            else:
                message = "required" if error["type"] == "missing" else cls.MESSAGES.get(path, error["msg"])
                rank = order.index(path) if path in order else len(order)
            out.append((rank, {"path": path, "message": message}))
        return [e for _, e in sorted(out, key=lambda pair: pair[0])]


class Links(BaseModel):
    next: str | None = Field(description="the next page, or null on the last")
    prev: str | None = Field(description="the previous page, or null on the first")


class Page(BaseModel):
    """A page of a collection; `items` is narrowed by each resource."""

    items: list[Any]
    total: int = Field(description="items in the whole collection")
    page: int
    per_page: int
    links: Links


class G1Extension(BaseModel):
    """A glossary/1 object (named by G1) as the API serves it, with the fields declared here added.
    The generator describes it as the glossary/1 JSON Schema's definition plus these fields, so a
    field added to glossary/1 appears in the API document without being written twice."""

    G1: ClassVar[str]
