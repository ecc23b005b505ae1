"""The quick loop (`pytest -m "not slow"`) leaves out what conftest.py marks slow by name: those
names must keep naming tests, and a PostgreSQL-only test must say so in the way the marking sees."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import PG_ONLY, SLOW_MODULES, SLOW_TESTS

TESTS = Path(__file__).resolve().parent
PG_SKIP = re.compile(r"skipif\(\s*not PG_URL\s*,\s*(?:reason=(\"[^\"]*\"|PG_ONLY))?")


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def test_every_test_marked_slow_by_name_exists() -> None:
    missing = [m for m in SLOW_MODULES if not (TESTS / m).is_file()]
    for entry in sorted(SLOW_TESTS):
        module, _, name = entry.partition("::")
        if not (TESTS / module).is_file() or name not in _test_functions(TESTS / module):
            missing.append(entry)
    assert missing == [], f"conftest.py marks slow what is no longer a test: {missing}"


def test_every_postgresql_only_skip_gives_the_reason_the_postgres_marker_looks_for() -> None:
    wrong = []
    for path in sorted(TESTS.glob("test_*.py")):
        for match in PG_SKIP.finditer(path.read_text("utf-8")):
            if match.group(1) not in (f'"{PG_ONLY}"', "PG_ONLY"):
                wrong.append(f"{path.name}: {match.group(0)}")
    assert wrong == [], f"PostgreSQL-only tests the `postgres` marker will not see: {wrong}"
