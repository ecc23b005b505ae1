"""Fair and bounded annotation: one client's large texts must not starve everyone else.

Three limits, each configurable: a cost-based rate limit (characters a minute per client, in the
shared limiter storage, not requests), a cap on large annotations running at once on the host,
across all its workers (over it, 503 with Retry-After at once, so the workers' threads stay free
for term reads; "large" is judged by the request's Content-Length, before its body is parsed,
since parsing a 6 MB JSON body alone holds a worker's interpreter for a while), and, after a
large one, memory handed back to the system (a 2,000,000-character
annotation builds hundreds of MiB of short-lived objects; CPython's allocator and glibc's malloc
keep the pages unless asked: gc.collect() and malloc_trim(0) after the response is sent).
The HTML size cap lives with the callers, which know their formats.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from time import time

from flask import Flask, Response, current_app, g
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from .extensions import limiter
from .memory import release_memory

SLOTS = "glossary.large_annotations"
WORKED_ELSEWHERE = "glossary_large_work_elsewhere"  # flask.g: the large request's work ran in another process
RETRY_AFTER = 5


class HostSlots:
    """At most ``count`` holders at once among every process of the host: a slot is an exclusive
    flock(2) on one of ``count`` files in a folder the workers share. A per-worker semaphore let
    4 workers run 4 large annotations on 2 CPUs, leaving nothing for reads. The kernel drops a
    process's locks when it dies, so a worker killed mid-annotation (kill -9, OOM) leaves no slot
    taken; flock, unlike fcntl's record locks, also excludes two threads of one process, since each
    take opens the file anew."""

    def __init__(self, folder: Path, count: int) -> None:
        self.folder, self.count = folder, count

    def take(self) -> int | None:
        """A free slot's descriptor (held until release), or None if all are taken."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for n in range(self.count):
            fd = os.open(self.folder / f"slot-{n}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        return None

    @staticmethod
    def release(fd: int) -> None:
        os.close(fd)  # the lock goes with the file's last descriptor


def init_app(app: Flask) -> None:
    app.extensions[SLOTS] = HostSlots(
        Path(app.instance_path) / "annotate-slots", app.config["ANNOTATE_LARGE_CONCURRENCY"]
    )


def charge_characters(chars: int) -> None:
    """Count a text's characters against its client's budget; 429 naming it when spent."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    item = parse(current_app.config["RATELIMIT_ANNOTATE_CHARS"])
    client = get_remote_address()
    if limiter.limiter.hit(item, "annotate-chars", client, cost=chars):
        return
    wait = max(1, int(limiter.limiter.get_window_stats(item, "annotate-chars", client).reset_time - time()) + 1)
    raise TooManyRequests(
        f"annotate allows {item.amount:,} characters per {item.get_expiry()} seconds per client; this text "
        f"has {chars:,} and the rest of this window's budget is smaller: try again in {wait} seconds",
        retry_after=wait,
    )


def bounded(body_bytes: int, build: Callable[[], Response]) -> Response:
    """Build the response (parse, charge_characters, annotate) in one of the host's few slots
    if the request is large; the slot is held until the response has been sent, and memory is
    returned after it."""
    if body_bytes < current_app.config["ANNOTATE_LARGE_BYTES"]:
        return build()
    slots: HostSlots = current_app.extensions[SLOTS]
    slot = slots.take()
    if slot is None:
        raise ServiceUnavailable(
            f"too many large annotations (requests over {current_app.config['ANNOTATE_LARGE_BYTES']:,} bytes) "
            f"are running; try again in {RETRY_AFTER} seconds, or send the text in smaller parts",
            retry_after=RETRY_AFTER,
        )
    try:
        response = build()
    except BaseException:
        slots.release(slot)
        release_memory()
        raise

    # a full collection holds the GIL for 0.1 s or more, which the worker's reads would wait for: only
    # after work that made objects here (the annotate API's large texts run in a process of their own)
    collect = not g.get(WORKED_ELSEWHERE, False)

    def done() -> None:
        slots.release(slot)
        release_memory(collect)

    response.call_on_close(done)
    return response
