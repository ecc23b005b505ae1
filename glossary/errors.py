"""One error handler for the whole app: problem+json on /api paths, friendly pages elsewhere."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .formats import Unwritable
from .services.errors import Busy, ServiceError, from_integrity_error
from .services.health import storage_failure

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_text(value: object) -> str:
    """JSON with <, > and & escaped, so echoed input can never be read as markup."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)


def problem(status: int, title: str, detail: str, errors: list[Any] | None = None, **extra: object) -> Response:
    body = {"type": f"https://glossary.invalid/problems/{status}", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(json_text(body), status=status, mimetype=PROBLEM)


# SQLSTATE class 40: the server rolled the transaction back (40001 serialization failure,
# 40P01 deadlock); retrying it is the documented remedy
_ROLLED_BACK = ("40001", "40P01")
BUSY_DETAIL = "another write held the data this request needed, so nothing was changed; retry the request"


def is_write_conflict(exc: OperationalError) -> bool:
    """A transient clash between writers (retry helps), as against a database that is gone."""
    if getattr(exc.orig, "sqlstate", None) in _ROLLED_BACK:
        return True
    return str(exc.orig).startswith(("database is locked", "database table is locked"))


def is_api_request() -> bool:
    """Whether the request is for /api or below (answered in JSON, open to other origins for reads)."""
    return request.path == "/api" or request.path.startswith("/api/")


def _page(status: int, title: str, detail: str | None) -> Response:
    html = render_template("error.html", status=status, title=title, detail=detail)
    return Response(html, status=status, mimetype="text/html")


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        log.warning("rollback failed", exc_info=True)


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError) -> Response:
        _rollback()
        if is_api_request():
            return problem(exc.status, exc.title, exc.detail, exc.errors)
        # a page says "not found" in its own words, not the API's ("no term 'x'")
        return _page(exc.status, exc.title, None if exc.status == 404 else exc.detail)

    @app.errorhandler(Unwritable)
    def unwritable(exc: Unwritable) -> Response:
        """An export the format cannot express in the glossary's current state (an empty TBX)."""
        if is_api_request():
            return problem(409, "Conflict", str(exc))
        return _page(409, "Nothing to export", str(exc)[0].upper() + str(exc)[1:] + ".")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        if exc.response is not None:  # already a complete response (API problem documents)
            return exc.response  # type: ignore[return-value]  # ApiError's is a flask Response
        status = exc.code or 500
        detail = exc.description or exc.name
        if status == 413:
            detail = f"request body larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes"
        if is_api_request():
            response = problem(status, exc.name, detail)
        else:  # a 404 page has its own words for Werkzeug's stock "The requested URL was not found…"
            stock = status == 404 and exc.description == type(exc).description
            response = _page(status, exc.name, None if stock else detail)
        for key, value in exc.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        if status == 429:
            response.headers.setdefault("Retry-After", "60")
        return response

    def cannot_write(failure: str) -> Response:
        """A write the database refused for want of space (507) or because it is read-only (503):
        say which, rather than that it cannot be reached, since reads still work."""
        log.error("database %s: write refused", failure)
        if failure == "disk full":
            status, title, detail = 507, "Insufficient storage", "the database's disk is full, so nothing was changed"
        else:
            status, title, detail = 503, "Service unavailable", "the database is read-only, so nothing was changed"
        detail += "; reads still work, and an operator has to fix it before writes can"
        response = (
            problem(status, title, detail)
            if is_api_request()
            else _page(status, title, detail[0].upper() + detail[1:] + ".")
        )
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(OperationalError)
    def db_unavailable(exc: OperationalError) -> Response:
        _rollback()
        if (failure := storage_failure(exc)) is not None:
            return cannot_write(failure)
        if is_write_conflict(exc):
            log.warning("write conflict, rolled back: %s", exc.orig)
            title, detail, retry = "Database busy", BUSY_DETAIL, "1"
        else:
            log.error("database unavailable: %s", exc)
            title, detail, retry = "Service unavailable", "the database cannot be reached; try again shortly", "5"
        if is_api_request():
            response = problem(503, title, detail)
        else:
            response = _page(503, title, detail[0].upper() + detail[1:] + ".")
        response.headers["Retry-After"] = retry
        return response

    @app.errorhandler(IntegrityError)
    def integrity_error(exc: IntegrityError) -> Response:
        """A unique violation two concurrent writers ran into: 409 (or 503 to retry), not 500."""
        mapped = from_integrity_error(exc)
        if mapped is None:
            return unexpected(exc)
        log.warning("concurrent write refused: %s", exc.orig)
        response = service_error(mapped)
        if isinstance(mapped, Busy):
            response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        _rollback()
        if isinstance(exc, DBAPIError) and (failure := storage_failure(exc)) is not None:
            return cannot_write(failure)  # PostgreSQL's read-only transaction is an InternalError
        log.exception("unhandled error")
        if is_api_request():
            return problem(500, "Internal server error", "an unexpected error occurred; it has been logged")
        return _page(500, "Something went wrong", "An unexpected error occurred; it has been logged.")
