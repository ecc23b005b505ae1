"""The extension checked for Firefox by Mozilla's own validator, addons-linter (the one
addons.mozilla.org runs on every upload): Playwright cannot drive Debian's Firefox, so this is
how CI knows the manifest and scripts are what Firefox accepts. `.ci/run` installs the linter
from the npm registry into `.ci/node`; elsewhere set GLOSSARY_ADDONS_LINTER to its path, or the
test skips saying so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Chromium needs background.service_worker, Firefox reads background.scripts: the manifest gives
# both, and Firefox's linter notes that it ignores the first. Anything else is a finding.
EXPECTED_WARNINGS = {"BACKGROUND_SERVICE_WORKER_IGNORED"}


def _linter() -> str:
    for candidate in (
        os.environ.get("GLOSSARY_ADDONS_LINTER"),
        str(ROOT / ".ci" / "node" / "node_modules" / ".bin" / "addons-linter"),
        shutil.which("addons-linter"),
    ):
        if candidate and Path(candidate).is_file() and shutil.which("node"):
            return candidate
    pytest.skip("addons-linter not installed (npm install addons-linter; see .ci/run)")


def lint(directory: Path) -> dict:
    done = subprocess.run(
        [_linter(), "--output", "json", str(directory)], capture_output=True, text=True, timeout=300, check=False
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_firefox_accepts_the_extension() -> None:
    report = lint(ROOT / "extension")
    findings = [(m["code"], m["message"]) for m in report["errors"] + report["notices"]]
    findings += [(m["code"], m["message"]) for m in report["warnings"] if m["code"] not in EXPECTED_WARNINGS]
    assert findings == [], findings


@pytest.mark.slow
def test_the_linter_catches_a_manifest_firefox_would_refuse(tmp_path: Path) -> None:
    """The check above can fail: the same extension with a key Firefox's minimum version lacks."""
    copy = tmp_path / "extension"
    shutil.copytree(ROOT / "extension", copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["browser_specific_settings"]["gecko"]["strict_min_version"] = "121.0"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    codes = {m["code"] for m in lint(copy)["warnings"]}
    assert "KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION" in codes, codes
