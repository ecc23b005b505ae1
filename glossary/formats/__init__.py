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
