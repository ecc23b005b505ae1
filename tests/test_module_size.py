"""No module in glossary/ grows past 500 lines: past that size a module holds more than one
responsibility and is split by responsibility (docs: the design guide's "keep modules small")."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "glossary"
MAX_LINES = 500


def oversized(root: Path, limit: int = MAX_LINES, allowed: Collection[str] = ()) -> dict[str, int]:
    """Python modules under root longer than limit lines, by path relative to root."""
    sizes = {p.relative_to(root).as_posix(): len(p.read_text("utf-8").splitlines()) for p in root.rglob("*.py")}
    return {name: n for name, n in sorted(sizes.items()) if n > limit and name not in allowed}


def test_no_module_in_glossary_is_over_500_lines() -> None:
    assert oversized(PACKAGE) == {}


def test_the_check_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * 501, encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * 500, encoding="utf-8")
    assert oversized(tmp_path) == {"pkg/long.py": 501}
    assert oversized(tmp_path, allowed={"pkg/long.py"}) == {}
