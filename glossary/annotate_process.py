"""The process that annotates large texts for a web worker (`python -m glossary.annotate_process`,
started by glossary/annotate_pool.py), and the framing both ends speak over its stdin/stdout.

Why a process: a 2,000,000-character annotation is seconds of pure-Python work; run in a
gunicorn worker's thread it holds that worker's GIL, so the term reads its other threads serve
wait 5 ms for the interpreter at every I/O they do. Here it holds only its own, at a lower CPU
priority (os.nice), so the kernel runs the request workers first.

Messages, each a frame (a kind byte and an 8-byte big-endian length, then that many bytes: of
pickle, or a reply's body as it is; only ever
between a worker and the child it started, one at a time): to the child ``(entries, job)``, where
entries, when not None, are the glossary's entries to build a new annotator from (the worker sends
them when the glossary version it annotates for changes), or a dict of replacements (entry index
→ entry) for the annotator it has, and job an AnnotateJob; from it
``("ok", body)`` or ``("error", description)``. The child exits at end of input (its worker is gone) or after
IDLE_SECONDS without a job, handing all its memory back; a job's memory is kept for the next
for RELEASE_SECONDS, then returned.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import sys
import traceback
from typing import IO, Any

IDLE_SECONDS = 120.0
# A job's memory is kept this long for the next (glibc told to keep what it frees: main()), then
# handed back: a 1,000,000-character job that found its memory already mapped took 0.11 s instead
# of 0.11-0.18 s, and the request 1.4x the engine's time instead of 1.6-2.1x (bench/annotate_cli.py).
# jemalloc hands back unused pages after 10 s by default too.
RELEASE_SECONDS = 10.0
NICE = 10  # added to the worker's niceness: the kernel gives request workers the CPU first
_HEADER = struct.Struct("!cQ")  # the frame's kind, then its length
_PICKLED, _OK = b"P", b"K"  # a pickled message; ("ok", body) with the body's bytes as they are


def write_frame(out: IO[bytes], message: object) -> None:
    """One message; ("ok", bytes), a reply, goes as its bytes (a 1,000,000-character text's
    reply is megabytes that pickle would copy at each end for nothing)."""
    if isinstance(message, tuple) and len(message) == 2 and message[0] == "ok" and isinstance(message[1], bytes):
        kind, data = _OK, message[1]
    else:
        kind, data = _PICKLED, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(kind, len(data)))
    out.write(data)
    out.flush()


def read_frame(source: IO[bytes]) -> Any:
    """The next message, or None at end of input (the other end has closed or died)."""
    header = source.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    kind, size = _HEADER.unpack(header)
    data = source.read(size)
    if len(data) < size:
        return None
    if kind == _OK:
        return "ok", data
    return pickle.loads(data)  # from the worker that started this process, through a pipe


def serve(source: IO[bytes], out: IO[bytes]) -> None:
    """Answer jobs until the input ends or stays idle."""
    from .memory import release_memory
    from .services.annotate_job import annotate_reply
    from .text.annotate import Annotator
    from .text.segment import shared_segmenter

    annotator: Annotator | None = None
    holding = False  # whether the last job's memory is still held
    while True:
        ready, _, _ = select.select([source], [], [], RELEASE_SECONDS if holding else IDLE_SECONDS)
        if not ready:
            if not holding:
                return
            release_memory()
            holding = False
            continue
        message = read_frame(source)
        if message is None:
            return
        entries, job = message
        try:
            if isinstance(entries, dict):  # replacements for the annotator held (entry index → entry)
                if annotator is None:
                    raise RuntimeError("a job came with replacements before the glossary's entries")
                annotator = annotator.replaced(entries)
            elif entries is not None:
                annotator = None  # the old one's memory goes before the new one is built
                annotator = Annotator(entries, shared_segmenter())
            if annotator is None:
                raise RuntimeError("a job came before the glossary's entries")
            reply: tuple[str, object] = ("ok", annotate_reply(annotator, job))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)  # into the server's log
            reply = ("error", f"{type(exc).__name__}: {exc}")
        write_frame(out, reply)
        del reply, job, message
        holding = True


def main() -> None:
    from .memory import keep_freed_memory

    os.nice(NICE)
    keep_freed_memory()
    source, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident may corrupt the frames
    serve(source, out)


if __name__ == "__main__":
    main()
