"""Memory handed back to the system after a large request or job: a 2,000,000-character
annotation builds hundreds of MiB of short-lived objects, and CPython's allocator and glibc's
malloc keep the pages unless asked. Free of Flask, so the annotation process can use it too."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_memory(collect: bool = True) -> None:
    """Free what a large request left behind and give the free pages back to the system;
    ``collect`` false: only the pages (no cyclic garbage expected, so no full collection)."""
    if collect:
        gc.collect()
    if _TRIM is not None:
        _TRIM(0)
