"""JSON API v1 under /api/v1: thin routes over services."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import cors, routes  # noqa: E402,F401  (routes register themselves on bp)
