"""Server-rendered pages: thin routes over services."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from . import pages  # noqa: E402,F401
