"""The `glossary` command: Click groups that parse, call one service and print.

Importing this package imports Click and nothing of the application: each command is a module
named in COMMANDS and imported when it runs (or when --help lists it), and each command imports
Flask, SQLAlchemy and jieba only inside its body — so `glossary --help` answers at Python's own
start-up speed (bench/cli.py measures it, tests/test_cli.py keeps the imports lazy).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from .errors import Failure
from .groups import Root

# name → "module:attribute", in the order --help lists them; a new command or group is one line
COMMANDS = {
    "serve": "glossary.cli.serve:serve",
    "init": "glossary.cli.database:init",
    "import": "glossary.cli.interchange:import_",
    "export": "glossary.cli.interchange:export",
    "extract": "glossary.cli.extract:extract",
    "annotate": "glossary.cli.annotate:annotate",
    "token": "glossary.cli.token:token",
    "user": "glossary.cli.user:user",
    "corpus": "glossary.cli.corpus:corpus_group",
}

cli = Root(
    "glossary",
    lazy=COMMANDS,
    help="A sourced glossary of CCP political language.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status: 0, 1 for a failure users can act on,
    2 for a usage error (each a single line on stderr), 130 when interrupted."""
    try:
        result = cli.main(args=None if argv is None else list(argv), prog_name="glossary", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "glossary"
        print(f"{where}: error: {_one_line(exc.format_message())}", file=sys.stderr)
        return 2
    except Failure as exc:
        print(f"glossary {exc.command}: error: {_one_line(exc.format_message())}", file=sys.stderr)
        return 1
    except click.ClickException as exc:  # raised by Click itself outside any command
        print(f"glossary: error: {_one_line(exc.format_message())}", file=sys.stderr)
        return exc.exit_code
    except click.Abort as exc:  # Click's word for Ctrl-C, and for end of input at a password prompt
        if isinstance(exc.__cause__, KeyboardInterrupt):
            return 130
        print("glossary: error: aborted: standard input ended", file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0
