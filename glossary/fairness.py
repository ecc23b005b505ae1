"""Fair and bounded annotation: one client's large texts must not starve everyone else.

Three limits, each configurable: a cost-based rate limit (characters a minute per client, in the
shared limiter storage, not requests), a cap on large annotations running at once in a worker
(over it, 503 with Retry-After at once, so the worker's other threads stay free for
term reads; "large" is judged by the request's Content-Length, before its body is parsed,
since parsing a 6 MB JSON body alone holds a worker's interpreter for a while), and, after a
large one, memory handed back to the system (a 2,000,000-character
annotation builds hundreds of MiB of short-lived objects; CPython's allocator and glibc's malloc
keep the pages unless asked: gc.collect() and malloc_trim(0) after the response is sent).
The HTML size cap lives with the callers, which know their formats.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable
from time import time

from flask import Flask, Response, current_app
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from .extensions import limiter

SLOTS = "glossary.large_annotations"
QUEUE_SECONDS = 0.0  # no wait: a waiting request would hold one of the worker's few threads
RETRY_AFTER = 5


def init_app(app: Flask) -> None:
    app.extensions[SLOTS] = threading.BoundedSemaphore(app.config["ANNOTATE_LARGE_CONCURRENCY"])


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
    """Build the response (parse, charge_characters, annotate) in one of the worker's few slots
    if the request is large; the slot is held until the response has been sent, and memory is
    returned after it."""
    if body_bytes < current_app.config["ANNOTATE_LARGE_BYTES"]:
        return build()
    slots: threading.BoundedSemaphore = current_app.extensions[SLOTS]
    if not slots.acquire(timeout=QUEUE_SECONDS):
        raise ServiceUnavailable(
            f"too many large annotations (requests over {current_app.config['ANNOTATE_LARGE_BYTES']:,} bytes) "
            f"are running; try again in {RETRY_AFTER} seconds, or send the text in smaller parts",
            retry_after=RETRY_AFTER,
        )
    try:
        response = build()
    except BaseException:
        slots.release()
        release_memory()
        raise

    def done() -> None:
        slots.release()
        release_memory()

    response.call_on_close(done)
    return response


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Free what a large request left behind and give the free pages back to the system."""
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)
