"""The API's per-process caches of serialized replies: terms, and trends (api.routes.corpus).

Keyed by the term a URL key resolves to (its slug, and whether the reply may hold drafts), not by
the raw key: 网络主权, 網絡主權, ` 网络主权 ` and the slug share one entry, so 20,000 variants of
one key cost one entry instead of 20,000 (+75 MiB per worker before). An entry is good while the
glossary version it was made at is current (a relation's target turning draft changes a term's
reply without changing the term). Bounded by the bytes of the bodies it holds, least recently
used first out; a body larger than the whole bound is served but not kept. The trends cache
keys by its canonical query instead of a slug, and its version is the pair of glossary version
and corpus generation (services.version.figure_versions).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..config import DEFAULT_TERM_CACHE_BYTES

Version = int | tuple[int, int]  # what an entry is good for: compared with the current one by ==
TRENDS_CACHE_SHARE = 8  # the trends cache gets 1/8 of GLOSSARY_TERM_CACHE_BYTES: 4 MiB, ~100 answers of 8 terms
_OVERHEAD = 200  # bytes an entry costs beside its body (key, tuple, etag), roughly


@dataclass(frozen=True, slots=True)
class Entry:
    version: Version  # the glossary version (and corpus generation) the body was made at
    body: str
    etag: str

    @property
    def size(self) -> int:
        return len(self.body.encode()) + len(self.etag) + _OVERHEAD


class TermCache:
    """slug × drafts-visible → Entry, at most max_bytes in all (thread-safe)."""

    def __init__(self, max_bytes: int = DEFAULT_TERM_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, bool], Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, slug: str, drafts: bool, version: Version) -> Entry | None:
        """The entry if it was made at this glossary version (a stale one is dropped)."""
        with self._lock:
            entry = self._entries.get((slug, drafts))
            if entry is None:
                return None
            if entry.version != version:
                self._drop((slug, drafts))
                return None
            self._entries.move_to_end((slug, drafts))
            return entry

    def put(self, slug: str, drafts: bool, entry: Entry) -> None:
        size = entry.size
        with self._lock:
            self._drop((slug, drafts))
            if size > self.max_bytes:
                return
            while self._entries and self.bytes + size > self.max_bytes:
                self._drop(next(iter(self._entries)))
            self._entries[(slug, drafts)] = entry
            self.bytes += size

    def _drop(self, key: tuple[str, bool]) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size
