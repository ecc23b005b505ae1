"""A glossary app on a fresh, migrated SQLite database of its own, and any WSGI app served on a
free port of 127.0.0.1 in a thread: what the browser tests (pages, extension) point Chromium at."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def migrated_app(root: Path):
    """The app on ``root``/glossary.db (migrated, empty), its instance folder in ``root``."""
    from glossary import create_app
    from glossary.extensions import db
    from glossary.services import migrate

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GLOSSARY_INSTANCE_PATH", str(root / "instance"))
        mp.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{root / 'glossary.db'}")
        app = create_app({"RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        migrate.upgrade(db.engine(app))
    return app


@contextmanager
def serving(app) -> Iterator[str]:
    """``app`` answering on a free port of 127.0.0.1 until the block ends; yields its address."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
