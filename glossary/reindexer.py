"""Who drains the corpus re-index queue (services.corpus_queue), and when.

An edit commits a request; the drain runs after the commit, never inside the edit. How is set by
GLOSSARY_CORPUS_REINDEX:

- ``background`` (the default): a daemon thread in each web worker, started by the worker's first
  request (so a gunicorn worker forked from the master starts its own), drains what is queued at
  once (a crash between an earlier commit and its drain loses nothing) and then whenever a commit
  queued something, or every POLL_SECONDS in case another worker's wake-up was lost with it;
- ``inline``: the request that committed drains after its view, before its response is sent (the
  edit's transaction is over; the client waits for both: tests, and deployments that want a
  term's figures fresh when the edit returns);
- ``off``: only ``glossary corpus reindex --pending`` drains (e.g. from cron).

A CLI command that queued something drains at its end (both in ``background`` and ``inline``).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import Flask

if TYPE_CHECKING:
    from .services.corpus_queue import Drained

MODES = ("background", "inline", "off")
POLL_SECONDS = 30.0
KEY = "glossary.reindexer"


class Reindexer:
    """The drain policy of one app (one per process in a web worker)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.mode: str = app.config["CORPUS_REINDEX"]
        if self.mode not in MODES:
            raise ValueError(f"CORPUS_REINDEX must be one of {', '.join(MODES)}, got {self.mode!r}")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._started_in: int | None = None  # the pid that last started draining (fork-safe)
        self._due = False  # a commit queued work that no drain has taken since

    def committed(self) -> None:
        """A transaction that queued a request has committed."""
        self._due = True
        if self._thread is not None and self._thread.is_alive():
            self._wake.set()

    def drain(self) -> Drained:
        """Everything queued, in a session of its own."""
        from .services.corpus_queue import drain

        self._due = False
        session = self.app.extensions["glossary.sessionmaker"]()
        try:
            return drain(session)
        finally:
            session.close()

    def drain_if_due(self) -> None:
        """At the end of a CLI command: drain if one of its commits queued something."""
        if self._due and self.mode != "off":
            self.drain()

    def start(self) -> None:
        """On a worker's first request: drain what an earlier process left, at once (inline) or
        in the thread this starts (background). Cheap on every later request."""
        if self._started_in == os.getpid() or self.mode == "off":
            return
        with self._lock:
            if self._started_in == os.getpid():
                return
            self._started_in = os.getpid()
            if self.mode == "inline":
                self._safely_drain()
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="corpus-reindex", daemon=True)
            self._thread.start()

    def after_request(self) -> None:
        """Inline: drain now if this worker's commits queued something; background: the thread
        has been woken by the commit already."""
        if self.mode == "inline" and self._due:
            self._safely_drain()

    def stop(self, timeout: float = 30.0) -> None:
        """End the background thread after its current round (tests; a clean shutdown)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._started_in = None

    def _safely_drain(self) -> None:
        """A failed drain leaves its requests queued for the next one: it must not fail the
        request whose edit has committed, nor end the thread."""
        try:
            self.drain()
        except sa.exc.SQLAlchemyError:
            self.app.logger.exception("corpus re-index drain failed; its requests stay queued")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._safely_drain()
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()


def init_app(app: Flask) -> None:
    from flask import Response

    from .services.corpus_queue import QUEUED

    reindexer = app.extensions[KEY] = Reindexer(app)

    @sa.event.listens_for(app.extensions["glossary.sessionmaker"], "after_commit")
    def on_commit(session: Any) -> None:
        if session.info.pop(QUEUED, False):
            reindexer.committed()

    @app.before_request
    def start() -> None:
        reindexer.start()

    @app.after_request
    def after(response: Response) -> Response:
        reindexer.after_request()
        return response


def reindexer_of(app: Flask) -> Reindexer:
    found: Reindexer = app.extensions[KEY]
    return found
