"""A glossary app on a fresh, migrated SQLite database of its own, and any WSGI app served on a
free port of 127.0.0.1 in a thread: what the browser tests (pages, extension) point Chromium and
Firefox at. For the extension: a glossary of two terms, and a fixture page on another origin."""

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


PAGE = Path(__file__).resolve().parent / "data" / "extension_page"  # the fixture page and its script
FIXTURE = (PAGE / "index.html").read_text()
SCRIPT = (PAGE / "page.js").read_text()


@contextmanager
def extension_glossary(root: Path) -> Iterator[tuple[str, list[str]]]:
    """A glossary server with two terms (one only a possible match), counting annotate requests:
    yields its address and the Origin header of each annotate request, in order."""
    from glossary.extensions import db
    from glossary.services.terms import TermInput, save_term

    app = migrated_app(root)
    with app.app_context():
        english = [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}]
        save_term(db.session, TermInput({"simplified": "网络主权", "translations": english}, "tests"))
        prosperity = {"simplified": "共同富裕", "annotation_policy": "confirm"}
        prosperity["translations"] = [{"lang": "en", "text": "common prosperity", "status": "preferred"}]
        save_term(db.session, TermInput(prosperity, "tests"))
        db.session.commit()
    app.test_client().post("/api/v1/annotate", json={"text": "网络主权"})  # builds the annotator (seconds)
    seen: list[str] = []
    inner = app.wsgi_app

    def counting(environ, start_response):
        if environ["PATH_INFO"] == "/api/v1/annotate" and environ["REQUEST_METHOD"] == "POST":
            seen.append(environ.get("HTTP_ORIGIN", ""))
        return inner(environ, start_response)

    app.wsgi_app = counting
    try:
        with serving(app) as url:
            yield url, seen
    finally:
        db.engine(app).dispose()


@contextmanager
def fixture_site() -> Iterator[str]:
    """The fixture page, on an origin of its own (another port), with scripts of its own."""

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        body, kind = (SCRIPT, "text/javascript") if path == "/page.js" else (FIXTURE, "text/html; charset=utf-8")
        start_response("200 OK", [("Content-Type", kind)])
        return [body.encode()]

    with serving(app) as url:
        yield url
