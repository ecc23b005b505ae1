"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def reject_nul() -> None:
        """No database stores NUL in text (PostgreSQL refuses it): refuse it at the door."""
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
            abort(400, "NUL characters are not allowed in URLs")

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path == "/api/docs":
            response.headers["Content-Security-Policy"] = CSP
        return response
