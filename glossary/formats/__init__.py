"""Readers and writers for the interchange formats; they work on glossary/1 dictionaries."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Imports larger than this are refused before parsing, so a huge upload cannot exhaust memory.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class FormatError(ValueError):
    """A document that cannot be imported; ``errors`` lists each problem with where it is."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        where = f"{first['path']}: " if first.get("path") else ""
        super().__init__(f"{where}{first['message']}{more}")


def encoding_problem(data: bytes) -> str | None:
    """Why bytes that should be UTF-8 text are not: UTF-16 or UTF-32, named (a spreadsheet or
    Windows editor's "Unicode" export), with or without a byte-order mark; else None.

    Without a mark, UTF-16 shows as NUL bytes at odd (little-endian) or even (big-endian)
    offsets wherever the text has ASCII; UTF-8 text has no NULs at all."""
    for mark, name in (
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a byte-order mark)"),
        (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a byte-order mark)"),
        (b"\xff\xfe", "UTF-16 (little-endian, with a byte-order mark)"),
        (b"\xfe\xff", "UTF-16 (big-endian, with a byte-order mark)"),
    ):
        if data.startswith(mark):
            return f"the file is {name}, not UTF-8; save it as UTF-8"
    sample = data[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd + even >= max(2, len(sample) // 100):
        if odd >= 3 * even:
            return "the file looks like UTF-16 (little-endian, no byte-order mark), not UTF-8; save it as UTF-8"
        if even >= 3 * odd:
            return "the file looks like UTF-16 (big-endian, no byte-order mark), not UTF-8; save it as UTF-8"
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 text (a byte-order mark allowed), or FormatError naming UTF-16 or the bad line."""
    if (problem := encoding_problem(data)) is not None:
        raise FormatError([{"path": "", "message": problem}])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(
            [{"path": f"line {line}", "message": f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8"}]
        ) from None


def drop_dangling_relations(terms: list[dict[str, Any]]) -> None:
    """Foreign files relate entries we may not have kept: drop relations to slugs not imported."""
    kept = {t.get("slug") for t in terms}
    for t in terms:
        t["related"] = [r for r in t.get("related", []) if r["slug"] in kept]
        if not t["related"]:
            t.pop("related")


class Unsupported(ValueError):
    """A format this installation cannot read or write (yet)."""


class Unwritable(ValueError):
    """A document the format cannot express (TBX needs at least one concept entry)."""


@dataclass
class Reading:
    """What a reader made of a file: the glossary/1 document plus what the user should be told.

    ``where[i]`` says where ``terms[i]`` came from (``line 12``, ``conceptEntry 'x'``), so import
    errors can point into the original file; ``notes`` lists what was mapped and what was skipped;
    ``new_only`` marks formats from other termbases whose entries must not overwrite existing terms;
    ``merge``, for formats that carry only some fields, combines an existing term's glossary/1 dict
    with the file's entry for it, so updating the term keeps what the file cannot express;
    ``validated``: the document has passed validate_document (every reader of read() checks what
    it returns), so an import need not check it again (5 s of CPU at 50,000 terms).
    """

    document: dict[str, Any]
    where: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_only: bool = False
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    validated: bool = False


def locate(path: str, where: list[str]) -> str:
    """Rewrite a document path into the original file: 'terms[3].translations[0]' → 'line 5, translations[0]'."""
    m = re.match(r"terms\[(\d+)\]\.?(.*)", path)
    if m is None or int(m.group(1)) >= len(where):
        return path
    rest = m.group(2)
    return f"{where[int(m.group(1))]}{', ' + rest if rest else ''}"


def _json_reader(data: bytes) -> Reading:
    from .glossary1 import parse

    return Reading(parse(data))


def _json_writer(doc: dict[str, Any], **options: Any) -> bytes:
    from .glossary1 import dumps

    return dumps(doc).encode("utf-8")


def _csv_reader(data: bytes) -> Reading:
    from .csv_format import read

    return read(data)


def _csv_writer(doc: dict[str, Any], **options: Any) -> bytes:
    from .csv_format import write

    return write(doc)


def _tbx_reader(data: bytes) -> Reading:
    from .tbx import read

    return read(data)


def _tbx_writer(doc: dict[str, Any], **options: Any) -> bytes:
    from .tbx import write

    return write(doc)


def _skos_reader(syntax: str) -> Callable[[bytes], Reading]:
    def read(data: bytes) -> Reading:
        from .skos import read as read_skos

        return read_skos(data, syntax)

    return read


def _skos_writer(syntax: str) -> Callable[..., bytes]:
    def write(doc: dict[str, Any], **options: Any) -> bytes:
        from .skos import write as write_skos

        return write_skos(doc, syntax, base=options.get("base"))

    return write


# name → reader of bytes; name → (writer of a document, media type, file extension)
READERS: dict[str, Callable[[bytes], Reading]] = {
    "json": _json_reader,
    "csv": _csv_reader,
    "tbx": _tbx_reader,
    "skos": _skos_reader("turtle"),
    "skos-jsonld": _skos_reader("json-ld"),
}
WRITERS: dict[str, tuple[Callable[..., bytes], str, str]] = {
    "json": (_json_writer, "application/json", "json"),
    "csv": (_csv_writer, "text/csv", "csv"),
    "tbx": (_tbx_writer, "application/x-tbx+xml", "tbx"),
    "skos": (_skos_writer("turtle"), "text/turtle", "ttl"),
    "skos-jsonld": (_skos_writer("json-ld"), "application/ld+json", "jsonld"),
}
FORMATS = ("json", "csv", "tbx", "skos", "skos-jsonld")
# file name suffix → format, for commands that guess
SUFFIXES = {"json": "json", "csv": "csv", "tbx": "tbx", "xml": "tbx", "ttl": "skos", "jsonld": "skos-jsonld"}


def _check_readable(name: str) -> None:
    if name not in READERS:
        ready = ", ".join(sorted(READERS))
        raise Unsupported(f"import from {name} is not supported (supported: {ready})")


def read(name: str, data: bytes, limit: int = MAX_IMPORT_BYTES) -> Reading:
    """Parse bytes in a named format; FormatError names the line, entry or element at fault."""
    _check_readable(name)
    if len(data) > limit:
        raise FormatError(
            [{"path": "", "message": f"the file is {len(data):,} bytes; the import limit is {limit:,} bytes"}]
        )
    reading = READERS[name](data)
    reading.validated = True  # each reader ends with validate_document (csv_format, tbx, skos, glossary1)
    return reading


def writer(name: str) -> tuple[Callable[..., bytes], str, str]:
    if name not in WRITERS:
        ready = ", ".join(sorted(WRITERS))
        raise Unsupported(f"export as {name} is not supported (supported: {ready})")
    return WRITERS[name]
