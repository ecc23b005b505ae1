"""Reading the files commands are given and writing the files they make, refusing what would
exhaust memory or replace something that is not a regular file."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import Failure


def progress(label: str) -> Callable[[int, int], None] | None:
    """A progress line on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            end = "\n" if done == total else ""
            print(f"\r{label}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def read_input(path: str, limit: int, limit_text: str | None = None) -> bytes:
    """The file's (or stdin's) bytes; a file larger than limit bytes is refused from its size,
    before it is read, so a huge file cannot exhaust memory."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        size = len(data)
    else:
        p = Path(path)
        if not p.is_file():
            raise Failure(f"{path}: no such file")
        try:
            size = p.stat().st_size
            data = p.read_bytes() if size <= limit else b""
        except OSError as exc:
            raise Failure(f"{path}: cannot read: {exc.strerror or exc}") from None
        size = max(size, len(data))  # it may have grown since
    if size > limit:
        amount = f"more than {limit:,}" if path == "-" else f"{size:,}"  # stdin is read only that far
        limit_text = limit_text or f"the import limit is {limit:,} bytes"
        raise Failure(f"{path}: the file is {amount} bytes; {limit_text}; nothing was read")
    return data


def read_text(path: str, limit: int | None, setting: str = "GLOSSARY_MAX_TEXT_CHARS") -> str:
    """A UTF-8 text file (or stdin) of at most ``limit`` characters (None: any length), or a
    one-line error; ``setting`` names where the limit comes from."""
    from ..formats import encoding_problem

    if limit is None:
        raw = sys.stdin.buffer.read() if path == "-" else _read_whole(path)
    else:
        most = 4 * limit + 3  # UTF-8 takes at most 4 bytes a character, and 3 for a byte-order mark
        raw = read_input(path, most, f"the limit is {limit:,} characters ({setting}), at most {most:,} bytes")
    if (problem := encoding_problem(raw)) is not None:
        raise Failure(f"{path}: {problem}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise Failure(f"{path}: not valid UTF-8 (line {line}, byte {exc.start})") from None
    if limit is not None and len(text) > limit:
        raise Failure(f"{path}: {len(text)} characters; the limit is {limit} ({setting})")
    return text


def _read_whole(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise Failure(f"{path}: no such file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise Failure(f"{path}: cannot read: {exc.strerror or exc}") from None


_SPECIAL = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


def output_path(path: str) -> Path:
    """Where -o may write: a new file or an existing regular one, never a directory, link or device
    (writing replaces the target, which would turn /dev/null or a symlink into a plain file)."""
    p = Path(path)
    try:
        mode = p.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise Failure(f"{path}: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise Failure(f"{path}: is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        kind = _SPECIAL.get(stat.S_IFMT(mode), "a special file")
        raise Failure(f"{path}: is {kind}, not a regular file; refusing to replace it (omit -o for stdout)")
    if not p.parent.exists():
        raise Failure(f"{path}: folder {p.parent} does not exist")
    return p


def write_output(target: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a failed write leaves the target as it was."""
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise Failure(f"{target}: cannot write: {exc.strerror or exc}") from None


def write_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
