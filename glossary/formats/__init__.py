"""Readers and writers for the interchange formats; they work on glossary/1 dictionaries."""

from __future__ import annotations


class FormatError(ValueError):
    """A document that cannot be imported; ``errors`` lists each problem with where it is."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        where = f"{first['path']}: " if first.get("path") else ""
        super().__init__(f"{where}{first['message']}{more}")


class Unsupported(ValueError):
    """A format this installation cannot read or write (yet)."""


def _json_reader(data: bytes) -> dict:
    from .glossary1 import parse

    return parse(data)


def _json_writer(doc: dict) -> bytes:
    from .glossary1 import dumps

    return dumps(doc).encode("utf-8")


# name → (reader of bytes into a glossary/1 document); name → (writer, media type, file extension)
READERS = {"json": _json_reader}
WRITERS = {"json": (_json_writer, "application/json", "json")}
FORMATS = ("json", "csv", "tbx", "skos")


def reader(name: str):  # noqa: ANN201
    if name not in READERS:
        ready = ", ".join(sorted(READERS))
        raise Unsupported(f"import from {name} is not supported yet (supported: {ready})")
    return READERS[name]


def writer(name: str):  # noqa: ANN201
    if name not in WRITERS:
        ready = ", ".join(sorted(WRITERS))
        raise Unsupported(f"export as {name} is not supported yet (supported: {ready})")
    return WRITERS[name]
