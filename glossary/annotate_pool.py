"""Large annotations in a separate process, so the web worker that received them stays free for reads.

A worker's thread annotating 2,000,000 characters held the worker's GIL for seconds: the term
reads its other threads served waited for the interpreter at every I/O (term GET p99 1.0 s with
32 such clients on 2 CPUs). A request over GLOSSARY_ANNOTATE_LARGE_BYTES (the one that holds a
host-wide slot, glossary/fairness.py) is parsed and charged in the worker as before, then its
annotation, rendering and JSON encoding run in a child process of the worker
(glossary/annotate_process.py, at a lower CPU priority) while the request thread waits on a
pipe, without the GIL. The child is built for the glossary version the request saw: the worker
sends it the entries of the annotator it would have used whenever that version changes, or only
the entries replaced since the child's version where its annotator cache made that version by
replacing them (services/annotation.py).

Each worker starts its children when first needed (at most as many as it runs large requests at
once: the host-wide cap) and reuses them; an idle child exits after a while, handing its memory
back. A child that dies mid-job (killed, out of memory) makes that request a 503 naming the
cause, and the next request starts a new one; a client that disconnects while waiting has its
job stopped (the child is killed, so its CPU and memory go at once).
"""

from __future__ import annotations

import contextlib
import fcntl
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from typing import IO, TYPE_CHECKING, cast

from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .annotate_process import read_frame, write_frame
from .extensions import db
from .fairness import WORKED_ELSEWHERE
from .services.annotate_job import AnnotateJob, annotate_reply
from .text.annotate import Annotator, Entry

if TYPE_CHECKING:
    from .services.annotation import AnnotatorCache

POOL = "glossary.annotate_pool"
TIMEOUT = 300.0  # seconds a large annotation may take before it is stopped (and its slot freed)
RETRY_AFTER = 1
PIPE_BYTES = 1 << 20


class PoolFailed(Exception):
    """The child could not answer (it died, or took too long): worth retrying, a 503."""


class JobFailed(Exception):
    """The child answered with an error raised while annotating: a bug, a 500."""


class ClientClosedRequest(HTTPException):
    """The client went away before its large annotation was done; the job was stopped. (Nobody
    reads this answer; nginx's code 499 marks it in the access log.)"""

    code = 499
    description = "the client closed the connection before the annotation was done; it was stopped"

    @property
    def name(self) -> str:
        return "Client Closed Request"


class _Child:
    """One annotation process and the glossary version its annotator was built for."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "glossary.annotate_process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        # 1 MiB pipes (Linux's default most): a 1,000,000-character job and its reply cross in 11 ms
        # instead of 15, in 1 MiB turns rather than 64 KiB ones
        if (size := getattr(fcntl, "F_SETPIPE_SZ", None)) is not None:
            for pipe in (self.stdin, self.stdout):
                with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size: the default stays
                    fcntl.fcntl(pipe.fileno(), size, PIPE_BYTES)
        self.version: int | None = None
        self.serial: int | None = None  # the serial of the annotator cache's annotator it mirrors

    @property
    def stdin(self) -> IO[bytes]:
        return cast(IO[bytes], self.process.stdin)

    @property
    def stdout(self) -> IO[bytes]:
        return cast(IO[bytes], self.process.stdout)

    def alive(self) -> bool:
        """Whether it can take a job: running, and (idle, so it has nothing to say) its output
        not readable — a process killed while idle has closed it before anyone reaps it."""
        if self.process.poll() is not None:
            return False
        readable, _, _ = select.select([self.stdout], [], [], 0)
        return not readable

    def stop(self) -> None:
        """Kill it (if still running) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):  # a frame half-written to a dead process cannot be flushed
                pipe.close()

    def cause(self) -> str:
        """Why it stopped, in words: after its output ended without an answer."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "it closed its output but is still running"
        if code < 0:
            name = signal.Signals(-code).name
            killed = f"it was killed by {name}"
            return killed + (" (as the kernel's out-of-memory killer does)" if name == "SIGKILL" else "")
        return f"it exited with status {code}"


def _stop_all(children: list[_Child]) -> None:
    while children:
        children.pop().stop()


class AnnotatePool:
    """One per worker process: its idle annotation processes, taken one per large request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        weakref.finalize(self, _stop_all, self._idle)  # no process outlives a dropped pool

    def close(self) -> None:
        """Stop the idle processes (one busy with a job stops when its request is done)."""
        with self._lock:
            _stop_all(self._idle)

    def annotate(
        self,
        annotator: Annotator,
        version: int,
        job: AnnotateJob,
        client: socket.socket | None,
        cache: AnnotatorCache | None = None,
    ) -> bytes:
        """The reply body that annotate_reply(annotator, job) would give, computed in a child
        built from ``annotator``'s entries: sent whole, or only those replaced since the
        annotator the child mirrors, where ``cache`` (which made both) knows them (a rendering
        edit a second must not cost every child a rebuild a second). While waiting, a
        ``client`` that disconnects stops the job (ClientClosedRequest)."""
        child = self._take()
        try:
            serial = cache.serial(annotator) if cache is not None else None
            entries: list[Entry] | dict[int, Entry] | None = None
            if (child.version != version) if serial is None else (child.serial != serial):
                changes = cache.changes_between(child.serial, annotator) if cache is not None else None
                entries = changes if changes is not None else annotator.entries
            try:
                write_frame(child.stdin, (entries, job))
            except OSError as exc:  # a broken pipe: it died before reading
                raise PoolFailed(f"the process that annotates large texts stopped: {child.cause()}") from exc
            child.version, child.serial = version, serial
            kind, value = self._answer(child, client)
        except BaseException:
            child.stop()
            raise
        self._give_back(child)
        if kind != "ok":
            raise JobFailed(value)
        return cast(bytes, value)

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.alive():
                    return child
                child.stop()  # it exited after idling
        return _Child()

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            self._idle.append(child)

    @staticmethod
    def _answer(child: _Child, client: socket.socket | None) -> tuple[str, object]:
        deadline = time.monotonic() + TIMEOUT
        watched: list[IO[bytes] | socket.socket] = [child.stdout] + ([client] if client is not None else [])
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PoolFailed(f"the annotation took longer than {TIMEOUT:g} seconds and was stopped")
            ready, _, _ = select.select(watched, [], [], left)
            if child.stdout in ready:
                break
            if client is not None and client in ready:
                if _closed(client):
                    raise ClientClosedRequest()
                watched = [child.stdout]  # the client's next request, pipelined: not ours to read
        reply = read_frame(child.stdout)
        if reply is None:
            raise PoolFailed(f"the process that annotates large texts stopped before it answered: {child.cause()}")
        return cast(tuple[str, object], reply)


def _closed(client: socket.socket) -> bool:
    """Whether the client has closed its end (a readable socket with nothing to read)."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True  # reset by the peer


def init_app(app: Flask) -> None:
    app.extensions[POOL] = AnnotatePool()


def annotate_body(job: AnnotateJob) -> bytes:
    """The reply body for ``job``: computed in this thread for a small request, in the worker's
    annotation process for a large one (GLOSSARY_ANNOTATE_POOL=off: always in this thread)."""
    annotator, version = current_app.extensions["glossary.annotator"].versioned(db.session)
    large = (request.content_length or 0) >= current_app.config["ANNOTATE_LARGE_BYTES"]
    if not large or current_app.config["ANNOTATE_POOL"] == "off":
        return annotate_reply(annotator, job)
    setattr(g, WORKED_ELSEWHERE, True)  # the worker has no garbage of it to collect afterwards
    db.session.close()  # the wait may be seconds: no connection (nor PostgreSQL snapshot) held meanwhile
    pool: AnnotatePool = current_app.extensions[POOL]
    try:
        cache = current_app.extensions["glossary.annotator"]
        return pool.annotate(annotator, version, job, request.environ.get("gunicorn.socket"), cache)
    except PoolFailed as exc:
        current_app.logger.error("large annotation failed: %s", exc)
        raise ServiceUnavailable(f"{exc}; try again", retry_after=RETRY_AFTER) from exc
    except JobFailed as exc:
        current_app.logger.error("large annotation failed in its process: %s", exc)
        raise InternalServerError(f"annotating this text failed ({exc}); the server log has the details") from exc
