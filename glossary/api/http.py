"""Request body parsing, authentication and caching helpers shared by the API routes."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from flask import Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from ..errors import json_text, problem
from ..extensions import db
from ..formats.glossary1 import unstorable_strings
from ..models import ApiToken
from ..services.auth import actor, find_token

JSON_TYPES = {"application/json"}
MAX_DEPTH = 32
INT64 = range(-(2**63), 2**63)
MAX_INT_DIGITS = 19  # 2**63 has 19 digits: longer is out of range without converting it


class OutOfRange(ValueError):
    """A JSON integer no column can hold (nor Python read, past 4,300 digits)."""


def _int64(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INT_DIGITS or int(literal) not in INT64:
        raise OutOfRange(f"the body holds a number of {digits} digits, outside the 64-bit range (±2⁶³) stored here")
    return int(literal)


class ApiError(HTTPException):
    """An error response that is already a problem+json document."""

    def __init__(self, response: Response) -> None:
        super().__init__(response=response)
        self.code = response.status_code


def fail(
    status: int, title: str, detail: str, errors: list[Any] | None = None, headers: dict[str, Any] | None = None
) -> NoReturn:
    response = problem(status, title, detail, errors)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    raise ApiError(response)


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def json_body(types: set[str] = JSON_TYPES, check_strings: bool = True) -> Any:
    """The request's JSON, or a 415/400 naming what is wrong with it."""
    mimetype = request.mimetype
    if mimetype not in types:
        fail(
            415,
            "Unsupported media type",
            f"send the body as {' or '.join(sorted(types))} (got {mimetype or 'no Content-Type'})",
        )
    raw = request.get_data(cache=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(400, "Bad request", f"the body is not valid UTF-8 (byte {exc.start})")
    try:
        value = json.loads(text, parse_int=_int64)
    except json.JSONDecodeError as exc:
        fail(400, "Bad request", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    except OutOfRange as exc:
        fail(400, "Bad request", str(exc))
    except RecursionError:
        fail(400, "Bad request", f"JSON nested deeper than {MAX_DEPTH} levels")
    if _depth(value) > MAX_DEPTH:
        fail(400, "Bad request", f"JSON nested deeper than {MAX_DEPTH} levels")
    if check_strings and (bad := unstorable_strings(value)):
        bad = [e | {"path": e["path"] or "body"} for e in bad]
        fail(400, "Bad request", f"{bad[0]['path']}: {bad[0]['message']}", bad)
    return value


def bearer_token() -> ApiToken | None:
    """The request's bearer token (None when it sends no Authorization); 401 when it is not valid."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        fail(
            401,
            "Unauthorized",
            "Authorization must be 'Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="glossary"'},
        )
    row = find_token(db.session, token.strip())
    if row is None:
        fail(
            401,
            "Unauthorized",
            "the bearer token is not valid",
            headers={"WWW-Authenticate": 'Bearer realm="glossary", error="invalid_token"'},
        )
    return row


def bearer_scope() -> str | None:
    token = bearer_token()
    return token.scope if token else None


def require_write() -> str:
    """The actor a write is recorded under, or 401/403 when the request may not write."""
    token = bearer_token()
    if token is None:
        fail(
            401,
            "Unauthorized",
            "writing needs a bearer token of write scope (glossary token create)",
            headers={"WWW-Authenticate": 'Bearer realm="glossary"'},
        )
    if token.scope != "write":
        fail(403, "Forbidden", "this token is read-only; writing needs a token of write scope")
    return actor(token)


def not_modified(etag: str) -> bool:
    """Whether a GET's If-None-Match matches etag: weak comparison (W/"x" matches "x") and *
    matching any representation, as RFC 9110 §13.1.2 has it."""
    header = request.headers.get("If-None-Match")
    if request.method not in ("GET", "HEAD") or not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def body_etag(body: str) -> str:
    """A strong ETag made from a serialized body."""
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def cached_json(
    payload: Any,
    etag: str | None = None,
    max_age: int = 60,
    status: int = 200,
    headers: dict[str, Any] | None = None,
    *,
    drafts: bool | None = None,
) -> Response:
    """JSON with an ETag and Cache-Control; answers 304 to a matching If-None-Match.
    A payload that is already a `str` is taken as serialized JSON (from a cache).

    drafts: None for a response that is the same whoever asks; otherwise whether the caller's
    token let it include drafts. Such responses vary with Authorization, and one that may hold
    drafts is private and never stored, so no shared cache hands a draft to anyone else.
    """
    body = payload if isinstance(payload, str) else json_text(payload)
    tag = etag or body_etag(body)
    if not_modified(tag):
        response = Response(status=304)
    else:
        response = current_app.response_class(body, status=status, mimetype="application/json")
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "private, no-store" if drafts else f"public, max-age={max_age}"
    if drafts is not None:
        response.vary.add("Authorization")
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def collection(items: list[Any], total: int, page: int, per_page: int, endpoint: str, **params: Any) -> dict[str, Any]:
    params = {k: v for k, v in params.items() if v is not None}
    last = max(1, -(-total // per_page))

    def link(p: int) -> str:
        return url_for(endpoint, page=p, per_page=per_page, **params)

    return {
        "items": items,
        "total": total,
        "page": page,
        "per_page": per_page,
        "links": {"next": link(page + 1) if page < last else None, "prev": link(page - 1) if page > 1 else None},
    }
