"""The application a command works on, built on demand and closed when the command ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from flask import Flask

APP = "glossary.app"  # key of the command's app in click.Context.meta (for error messages)


def make_app() -> Flask:
    """create_app() for the running command; its engine is disposed when the command ends,
    whether it succeeded or not, so no pooled connection is left for the garbage collector
    (psycopg warns when it closes one, in whatever runs at that moment)."""
    from .. import create_app
    from ..extensions import db

    app = create_app()
    root = click.get_current_context().find_root()
    root.meta[APP] = app
    root.call_on_close(db.engine(app).dispose)
    return app
