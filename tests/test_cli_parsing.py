"""What the command line says before any command runs: help on every group and command, usage
errors, shell completion, and the lazy imports that keep `glossary --help` fast."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from glossary.cli import COMMANDS, cli, main

GLOSSARY = str(Path(sys.executable).with_name("glossary"))


def _tree(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under the group: ('serve',), ('token',), ('token', 'create') …"""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _tree(command, (*path, name))


EVERY_COMMAND = [(), *_tree(cli)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_tree_has_every_command_of_the_registry() -> None:
    assert {path[0] for path in EVERY_COMMAND if path} == set(COMMANDS)
    assert ("token", "create") in EVERY_COMMAND and ("user", "create") in EVERY_COMMAND


@pytest.mark.parametrize("path", EVERY_COMMAND, ids=lambda p: " ".join(p) or "glossary")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_group_and_command(path: tuple[str, ...], flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *path, flag)
    assert (code, err) == (0, "")
    assert out.startswith(f"Usage: {' '.join(('glossary', *path))} ")
    assert "Options:" in out and "-h, --help" in out


@pytest.mark.parametrize(
    ("argv", "where", "message"),
    [
        (["frobnicate"], "glossary", "invalid choice: 'frobnicate' (choose from serve, init, import, export,"),
        (["token", "rotate"], "glossary token", "invalid choice: 'rotate' (choose from create, list, revoke)"),
        (["user"], "glossary user", "a command is required, one of: create, disable, enable, password"),
        (["export", "--frobnicate"], "glossary export", "No such option '--frobnicate'. Did you mean '--format'?"),
        (["token", "create"], "glossary token create", "Missing argument 'NAME'"),
        (["annotate", "--format", "pdf"], "glossary annotate", "invalid choice: 'pdf' (choose from json, html)"),
        (["extract", "x.txt", "--min-count", "0"], "glossary extract", "must be at least 1, got 0"),
    ],
)
def test_usage_errors_are_one_line_naming_the_command_exit_2(
    argv: list[str], where: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"{where}: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_worker_count_in_the_environment_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSSARY_WORKERS", "many")
    code, _, err = run(capsys, "serve")
    assert code == 2
    assert err.strip() == (
        "glossary serve: error: Invalid value for '--workers' (env var: 'GLOSSARY_WORKERS'): not a whole number: 'many'"
    )


def test_interrupted_command_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Interrupted(io.StringIO):
        def readline(self, *args: object) -> str:
            raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdin", Interrupted())  # Ctrl-C while a script pipes the password in
    code, out, err = run(capsys, "user", "create", "editor")
    assert (code, out, err.strip()) == (130, "", "")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_cannot_be_read_is_a_one_line_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", "/proc/self/mem")  # a regular file whose first byte cannot be read
    assert code == 1
    assert err.startswith("glossary import: error: /proc/self/mem: cannot read: ") and len(err.splitlines()) == 1


def _complete(shell_var: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GLOSSARY], capture_output=True, text=True, env=os.environ | {"_GLOSSARY_COMPLETE": shell_var, **env}
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "_glossary_completion()"), ("zsh", "#compdef glossary"), ("fish", "function _glossary_completion")],
)
def test_completion_scripts_are_generated(shell: str, marker: str) -> None:
    result = _complete(f"{shell}_source")
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and "_GLOSSARY_COMPLETE" in result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("glossary to", ["token"]),
        ("glossary ", list(COMMANDS)),
        ("glossary token ", ["create", "list", "revoke"]),
        ("glossary export --format skos", ["skos", "skos-jsonld"]),
        ("glossary token create ci --scope ", ["read", "write"]),
    ],
)
def test_completion_answers_commands_and_choices(words: str, expected: list[str]) -> None:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    result = _complete("bash_complete", COMP_WORDS=words, COMP_CWORD=cword)
    assert result.returncode == 0, result.stderr
    assert [line.split(",", 1)[1] for line in result.stdout.splitlines()] == expected


def test_completion_of_a_path_is_left_to_the_shell() -> None:
    result = _complete("bash_complete", COMP_WORDS="glossary import ", COMP_CWORD="2")
    assert result.stdout.splitlines() == ["file,"]


HEAVY = ("flask", "werkzeug", "jinja2", "sqlalchemy", "alembic", "jieba", "pypinyin", "opencc", "gunicorn")
APPLICATION = ("glossary.extensions", "glossary.config", "glossary.models", "glossary.services", "glossary.text")


@pytest.mark.parametrize(
    "code",
    ["import glossary.cli", "from glossary.cli import main; main(['--help']); main(['token', 'create', '--help'])"],
    ids=["import", "help"],
)
def test_the_command_line_imports_nothing_heavy_until_a_command_runs(code: str) -> None:
    """`import glossary.cli` took 2 s when the app, SQLAlchemy and jieba came with it; a command
    imports them inside its body, so help and completion answer at Python's own speed."""
    probe = f"""
import contextlib, io, json, sys
with contextlib.redirect_stdout(io.StringIO()):
    {code}
print(json.dumps(sorted(sys.modules)))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    heavy = [
        m
        for m in loaded
        if m.split(".")[0] in HEAVY or m.startswith(APPLICATION) or m in ("glossary.api", "glossary.web")
    ]
    assert heavy == []
    assert "glossary.cli" in loaded


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run([sys.executable, "-m", "glossary.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("Usage: glossary [OPTIONS] COMMAND [ARGS]...")
