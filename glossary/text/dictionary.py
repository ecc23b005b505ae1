"""jieba's dictionary, kept between processes in a form a short-lived process can read in part.

jieba loads its whole dictionary (580,000 words and prefixes) from its own cache in about 0.7 s
of CPU; `glossary annotate` needs it for the few windows the edge grams leave unsettled (144 in
10 M characters of the 20th Party Congress report). :class:`BucketedFrequencies` holds the same
words and counts grouped by first character (every word jieba looks up while segmenting a window
starts at one of the window's characters) and unpickles a group on first use, so segmenting a
window reads a few kilobytes. A long-running process keeps jieba's plain dict, which is faster per
lookup once loaded.

The files live in the temporary folder, as jieba's own cache does, named by what they are built
from, so a new jieba or dictionary is a new file, never a stale one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import tempfile
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path

FORMAT = 1  # bump when the bucket file's layout changes


def dictionary_signature() -> str:
    """jieba's version and its dictionary file's path, size and time: what a cache of anything
    built from the dictionary is keyed by. (jieba is found, not imported: that costs 0.4 s.)"""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    dictionary = Path(spec.origin).with_name("dict.txt")
    stat = dictionary.stat()
    return f"{version('jieba')}|{dictionary}|{stat.st_size}|{stat.st_mtime_ns}"


def cache_path(name: str, key: bytes, suffix: str) -> Path:
    """A file in the temporary folder for what ``key`` identifies."""
    return Path(tempfile.gettempdir()) / f"glossary-{name}-{hashlib.sha256(key).hexdigest()[:16]}{suffix}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write whole, then rename, so that a reader never sees half a file; a read-only temporary
    folder only means the next process builds the file again."""
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except OSError:
        pass


def _buckets_file() -> Path:
    return cache_path("jieba-buckets", f"{FORMAT}|{dictionary_signature()}".encode(), ".bin")


class BucketedFrequencies(Mapping[str, int]):
    """A read-only stand-in for jieba's ``Tokenizer.FREQ`` (word or prefix → count, 0 for a prefix
    that is no word), loaded one first character at a time."""

    def __init__(self, data: bytes) -> None:
        size = int.from_bytes(data[:8], "little")
        _, self.total, self._index = marshal.loads(data[8 : 8 + size])
        self._data = memoryview(data)[8 + size :]
        self._buckets: dict[str, dict[str, int]] = {}

    def _bucket(self, char: str) -> dict[str, int]:
        bucket = self._buckets.get(char)
        if bucket is None:  # two threads may both load it: the same dict, harmlessly twice
            span = self._index.get(char)
            bucket = marshal.loads(self._data[span[0] : span[1]]) if span else {}
            self._buckets[char] = bucket
        return bucket

    def __getitem__(self, word: str) -> int:
        if not word:
            raise KeyError(word)
        return self._bucket(word[0])[word]

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        return self._bucket(word[0]).get(word, default) if word else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and word in self._bucket(word[0])

    def __iter__(self) -> Iterator[str]:
        for char in list(self._index):
            yield from self._bucket(char)

    def __len__(self) -> int:
        return sum(len(self._bucket(char)) for char in list(self._index))


def load_buckets() -> BucketedFrequencies | None:
    """The bucketed dictionary from its file, or None when there is none (yet) or it is unreadable."""
    try:
        return BucketedFrequencies(_buckets_file().read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def save_buckets(freq: Mapping[str, int], total: int) -> None:
    """Write jieba's loaded dictionary as buckets for the next short-lived process."""
    buckets: dict[str, dict[str, int]] = {}
    for word, count in freq.items():
        if word:
            buckets.setdefault(word[0], {})[word] = count
    blobs, index, offset = [], {}, 0
    for char, bucket in buckets.items():
        blob = marshal.dumps(bucket)
        index[char] = (offset, offset + len(blob))
        blobs.append(blob)
        offset += len(blob)
    header = marshal.dumps((FORMAT, total, index))
    write_atomically(_buckets_file(), len(header).to_bytes(8, "little") + header + b"".join(blobs))
