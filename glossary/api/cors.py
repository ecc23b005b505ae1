"""CORS for the API: reads (and the annotator) are open to any origin, writes are not."""

from __future__ import annotations

from flask import Response, request

from ..errors import is_api_request
from . import bp

READS = ("GET", "HEAD", "OPTIONS")


@bp.after_app_request
def cors(response: Response) -> Response:
    """Reads under /api (their errors and unknown paths included) and POST /annotate are open to
    any origin. Writes are not cross-origin, by design: a preflight for any other method (POST
    /terms, PUT, PATCH, DELETE) or for an Authorization header gets no permission, so browsers
    refuse it; same-origin pages and clients other than browsers are not affected."""
    if not is_api_request():
        return response
    allowed = READS + ("POST",) if request.endpoint == "api.annotate" else READS
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    asked = request.headers["Access-Control-Request-Method"].upper() if preflight else request.method
    if asked not in allowed:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Location, Retry-After"
    if preflight:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(allowed)
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
