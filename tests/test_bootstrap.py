"""bootstrap.py: the first README command must repair an environment it cannot use."""

from __future__ import annotations

import importlib.util
import subprocess
import venv
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture
def bootstrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """bootstrap.py loaded as a module, working on a virtual environment under tmp_path."""
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = tmp_path / "venv"
    monkeypatch.setattr(module, "VENV", env)
    monkeypatch.setattr(module, "BIN", env / "bin")
    return module


def _pip_works(env: Path) -> bool:
    return subprocess.run([env / "bin" / "python", "-m", "pip", "--version"], capture_output=True).returncode == 0


def test_a_venv_without_pip_is_recreated_with_pip(bootstrap, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)  # what an interrupted first run leaves
    (env / "leftover").write_text("from the broken environment")
    assert (env / "bin" / "python").exists() and not _pip_works(env)
    bootstrap.ensure_venv()
    assert _pip_works(env)
    assert not (env / "leftover").exists()  # recreated (clear=True), not patched up
    bootstrap.ensure_venv()  # a working one is kept as it is
    assert _pip_works(env)


def test_a_working_venv_is_reused(bootstrap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap, "has_pip", lambda: True)
    monkeypatch.setattr(venv, "create", lambda *a, **k: pytest.fail("a working environment was recreated"))
    bootstrap.ensure_venv()


def test_without_ensurepip_the_system_pip_fills_a_bare_venv(bootstrap, monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian's python3 has no ensurepip: venv.create(with_pip=True) fails, and the fallback
    makes a bare environment (clearing what was there) and installs pip into it."""
    created: list[dict] = []
    ran: list[tuple] = []

    def create(path: Path, **options: object) -> None:
        created.append(options)
        if options.get("with_pip"):
            raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(bootstrap, "has_pip", lambda: False)
    monkeypatch.setattr(venv, "create", create)
    monkeypatch.setattr(bootstrap, "run", lambda *cmd: ran.append(tuple(map(str, cmd))))
    bootstrap.ensure_venv()
    assert created == [{"with_pip": True, "clear": True}, {"with_pip": False, "clear": True}]
    assert len(ran) == 1 and ran[0][1:4] == ("-m", "pip", "--python")
    assert ran[0][4] == str(bootstrap.BIN / "python") and ran[0][-2:] == ("install", "pip")
