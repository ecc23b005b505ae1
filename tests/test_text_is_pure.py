"""glossary/text is the pure engine (docs: the design guide): it works on str, imports neither
Flask nor SQLAlchemy nor any other layer of the package, so it runs without an app (and inside a
Dask or Spark worker)."""

from __future__ import annotations

import ast
from pathlib import Path

TEXT = Path(__file__).resolve().parent.parent / "glossary" / "text"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "glossary.")


def impure_imports(package: Path) -> list[str]:
    """'module: imported' for every import of a framework or of another glossary layer."""
    found = []
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # relative imports may stay inside the package (level 1), never climb out of it
                names = [("glossary." if node.level > 1 else "") + (node.module or "")]
                if node.level == 1:
                    continue
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.startswith(FORBIDDEN)]
    return found


def test_the_text_engine_imports_no_framework_and_no_other_layer() -> None:
    assert impure_imports(TEXT) == []


def test_the_check_finds_an_impure_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import re\nfrom . import b\nfrom flask import g\n", "utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from ..models import Term\n    import sqlalchemy as sa\n", "utf-8")
    assert impure_imports(tmp_path) == ["a.py: flask", "b.py: glossary.models", "b.py: sqlalchemy"]
