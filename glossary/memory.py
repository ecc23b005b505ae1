"""Memory handed back to the system after a large request or job: a 2,000,000-character
annotation builds hundreds of MiB of short-lived objects, and CPython's allocator and glibc's
malloc keep the pages unless asked. Free of Flask, so the annotation process can use it too."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable
from functools import cache


@cache
def _libc(name: str) -> Callable[..., int] | None:
    """A function of glibc's malloc (looked up in the process's own symbols: no search for
    the library file, which costs 20 ms), or None elsewhere (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(None), name)  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def release_memory(collect: bool = True) -> None:
    """Free what a large request left behind and give the free pages back to the system;
    ``collect`` false: only the pages (no cyclic garbage expected, so no full collection)."""
    if collect:
        gc.collect()
    if (trim := _libc("malloc_trim")) is not None:
        trim(0)


_M_TRIM_THRESHOLD, _M_TOP_PAD = -1, -2  # glibc's malloc.h


def keep_freed_memory() -> None:
    """For a process given over to large jobs (``glossary annotate`` of a long text, the
    annotation process of glossary/annotate_process.py): ask glibc's malloc to keep the memory
    it frees and serve later requests from it, instead of returning each large block to the
    system and faulting fresh pages in for the next (10 M characters allocate and free several
    40 MB arrays in turn: nearly half the page faults and about 0.25 s of system time go, for 15%
    more peak memory). release_memory() still hands it all back when asked (malloc_trim ignores
    the threshold set here). Nothing elsewhere (musl, macOS)."""
    if (mallopt := _libc("mallopt")) is None:
        return
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)  # the heap's free top is kept, up to 1 GiB
    mallopt(_M_TOP_PAD, 256 << 20)  # and grown 256 MiB at a time
