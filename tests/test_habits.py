"""The checks CI runs besides the tests: mypy (types), import-linter (the layer order) and vulture
(dead code), each configured in pyproject.toml. Like tests/test_lint.py for ruff, they run the
installed tools, so a change that breaks a contract fails the suite with the tool's own report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent)


def _tool(name: str) -> str | None:
    return shutil.which(name, path=BIN) or shutil.which(name)


def _run(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    tool = _tool(name)
    if tool is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return subprocess.run([tool, *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    """Strict for glossary/text, models and services, the defaults elsewhere ([tool.mypy])."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_follow_the_layers() -> None:
    """web/api/cli → services → formats/models → text, and no Flask or SQLAlchemy in the engine
    ([tool.importlinter]; docs/architecture.md explains the layers)."""
    result = _run("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_dead_code() -> None:
    """vulture over glossary/ with tools/vulture_whitelist.py ([tool.vulture])."""
    result = _run("vulture")
    assert result.returncode == 0, result.stdout + result.stderr
