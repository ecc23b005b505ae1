"""`glossary serve`: gunicorn in front of the app, warmed before its workers fork."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

import click

from .app import make_app
from .errors import database_problem
from .params import Port, Positive

if TYPE_CHECKING:
    from flask import Flask


def warm(app: Flask) -> None:
    """Load jieba's dictionary and the pinyin library, and build the current glossary's
    annotator in the server's master process, so that every worker forked from it starts with
    them instead of spending its first request on them (a second or more), and drain what a
    crash left in the corpus re-index queue; the engine's connections are closed before the
    fork, since workers must not share them. A
    database that cannot be read yet is no reason not to serve: the workers answer 503 until it
    can, and build the annotator then. What is loaded by then is frozen out of the garbage
    collector's reach (gc.freeze, as Python's documentation advises before a fork)."""
    from sqlalchemy.exc import OperationalError

    from ..extensions import db
    from ..reindexer import reindexer_of
    from ..text.pinyin import load_library

    load_library()  # every term page sets pinyin over its characters
    try:
        with app.app_context():
            app.extensions["glossary.annotator"].get(db.session).segmenter.tokenizer  # noqa: B018
        if app.config["CORPUS_REINDEX"] != "off":
            reindexer_of(app).drain()  # what a crash left queued, before any worker serves figures
    except OperationalError as exc:
        problem = database_problem(exc, app.config["DATABASE_URL"])
        print(f"glossary serve: warning: {problem}; starting anyway", file=sys.stderr)
    finally:
        db.engine(app).dispose()
    # what was loaded so far lives as long as the workers: the collector need never scan it again
    # (a full collection of jieba's dictionary held a worker's GIL for 0.1 s), nor touch its pages
    gc.freeze()


@click.command(short_help="serve the site and API with gunicorn")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", type=Port(), default=8000, show_default=True)
@click.option("--workers", type=Positive(), default=2, envvar="GLOSSARY_WORKERS", show_default=True, show_envvar=True)
@click.option("--threads", type=Positive(), default=4, show_default=True, help="threads per worker")
@click.option("--access-log", is_flag=True, help="log every request to stdout")
def serve(host: str, port: int, workers: int, threads: int, access_log: bool) -> None:
    """Serve the web site and JSON API with a production WSGI server (gunicorn)."""
    from gunicorn.app.base import BaseApplication

    from .worker import REQUEST_LINE_LIMIT, ProblemWorker

    app = make_app()
    warm(app)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 120)
            self.cfg.set("worker_class", ProblemWorker)  # gunicorn's own 414/431 in problem+json
            self.cfg.set("limit_request_line", REQUEST_LINE_LIMIT)
            self.cfg.set("accesslog", "-" if access_log else None)

        def load(self) -> Flask:
            return app

    print(f"serving on http://{host}:{port} with {workers} worker(s)", file=sys.stderr, flush=True)
    Server().run()
