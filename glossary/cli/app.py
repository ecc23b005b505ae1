"""The application a command works on, built on demand and closed when the command ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import sqlalchemy as sa
    from flask import Flask

APP = "glossary.app"  # key of the command's app in click.Context.meta (for error messages)
DATABASE_URL = "glossary.database_url"  # the URL of a database opened without an app (ditto)


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
    root.call_on_close(lambda: drain_at_end(app))  # closers run last-registered first
    return app


def drain_at_end(app: Flask) -> None:
    """The corpus re-index this command's edits queued (glossary/reindexer.py), after their
    commit; if it fails the requests stay queued for the next drain, and the command says so."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..reindexer import reindexer_of

    try:
        reindexer_of(app).drain_if_due()
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        click.echo(
            f"warning: corpus re-index left queued ({reason}); run `glossary corpus reindex --pending`", err=True
        )


def open_database() -> sa.Engine:
    """An engine for the configured database, without the Flask app, for a command that only
    reads the glossary; disposed when the command ends, as make_app's is."""
    from ..config import DEFAULT_LOCK_WAIT_MS, database_url, instance_path
    from ..database import make_engine

    url = database_url(instance_path())
    root = click.get_current_context().find_root()
    root.meta[DATABASE_URL] = url
    engine = make_engine(url, DEFAULT_LOCK_WAIT_MS)
    root.call_on_close(engine.dispose)
    return engine
