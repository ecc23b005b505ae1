"""README stays true: every setting the code reads from the environment is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_glossary_environment_variable_is_in_the_readme() -> None:
    code = [*ROOT.joinpath("glossary").rglob("*.py"), ROOT / "bootstrap.py", ROOT / "tests" / "conftest.py"]
    names = {name for path in code for name in re.findall(r"GLOSSARY_[A-Z][A-Z0-9_]*[A-Z0-9]", path.read_text())}
    readme = ROOT.joinpath("README.md").read_text()
    # the three rate limits are documented together as GLOSSARY_RATELIMIT_SEARCH, `_ANNOTATE`, `_LOGIN`
    readme += " ".join(f"GLOSSARY_RATELIMIT{m}" for m in re.findall(r"`(_[A-Z]+)`", readme))
    missing = sorted(n for n in names if n not in readme)
    assert names and not missing, f"README does not document {missing}"
