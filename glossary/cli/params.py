"""Parameter types whose errors say what was wrong in the words the command has always used."""

from __future__ import annotations

from typing import Any

import click


class Choice(click.Choice[str]):
    """click.Choice, worded "invalid choice: 'x' (choose from a, b)"."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        return f"invalid choice: {value!r} (choose from {', '.join(map(str, self.choices))})"


class Port(click.ParamType[int]):
    """A TCP port, 1–65535."""

    name = "port"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            port = int(value)
        except (TypeError, ValueError):
            self.fail(f"not a port number: {value!r}", param, ctx)
        if not 1 <= port <= 65535:
            self.fail(f"port must be 1–65535, got {port}", param, ctx)
        return port


class Positive(click.ParamType[int]):
    """A whole number of at least 1 (workers, threads, occurrences)."""

    name = "n"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            n = int(value)
        except (TypeError, ValueError):
            self.fail(f"not a whole number: {value!r}", param, ctx)
        if n < 1:
            self.fail(f"must be at least 1, got {n}", param, ctx)
        return n


# a file argument or option: the shell completes file names; the command checks the file itself
# (so that a missing or unreadable file is a one-line failure, as for every other input problem)
FILE = click.Path(allow_dash=True, readable=False)
