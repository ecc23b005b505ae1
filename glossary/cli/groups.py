"""Click groups whose mistakes read as they always have: one line naming what was wrong.

Plain click.Group rather than Flask's AppGroup/FlaskGroup: those live in flask.cli, whose
import (Flask, Werkzeug, Jinja) alone takes about 0.25 s over the bare interpreter, most of the
0.3 s `glossary --help` may take (bench/cli.py), and FlaskGroup builds the app before any
command runs; here a command builds the app itself, when and how it needs it (serve warms it
before gunicorn forks; a bad configuration is one line).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from .app import APP, DATABASE_URL
from .errors import Failure, explain


class Group(click.Group):
    """A group that says "invalid choice" for an unknown command and requires one: a missing
    or unknown command is a usage error (exit 2), never a page of help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["invoke_without_command"] = True  # so that invoke() words the missing command
        kwargs.setdefault("subcommand_metavar", "COMMAND [ARGS]...")  # required, whatever Click infers
        super().__init__(*args, **kwargs)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            ctx.fail(f"invalid choice: {name!r} (choose from {', '.join(self.list_commands(ctx))})")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        result = super().invoke(ctx)
        if ctx.invoked_subcommand is None:
            ctx.fail(f"a command is required, one of: {', '.join(self.list_commands(ctx))}")
        return result


class LazyGroup(Group):
    """A group whose commands are named "module:attribute" and imported when first needed, so
    running one command imports only its own module (Click's documented lazy-loading pattern)."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)


class Root(LazyGroup):
    """The top group: a failure inside any command becomes one line naming the command, and
    errors users can act on (a database that cannot be used, a bad setting) lose their traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Failure as exc:
            exc.command = exc.command or ctx.invoked_subcommand or ""
            raise
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            app = ctx.meta.get(APP)
            url = app.config["DATABASE_URL"] if app is not None else ctx.meta.get(DATABASE_URL)
            url = url or os.environ.get("GLOSSARY_DATABASE_URL", "")
            message = explain(exc, url)
            if message is None:
                raise
            raise Failure(message, ctx.invoked_subcommand or "") from exc
