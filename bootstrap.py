"""Set up and run the glossary with nothing but Python 3.11 and pip.

    python3 bootstrap.py serve   # venv, dependencies, migrate, seed, serve on http://127.0.0.1:8000
    python3 bootstrap.py test    # venv, dependencies incl. test extras, run the whole suite

Idempotent: the virtual environment is reused and dependencies are installed again only when
pyproject.toml changes.  Extra arguments after ``test`` go to pytest; after ``serve`` to
``glossary serve``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GLOSSARY_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*cmd: str | Path) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def has_pip() -> bool:
    """Whether the environment's python runs and has pip (an interrupted first run, or a python
    upgraded underneath it, leaves one that has not, and it would be reused for ever)."""
    if not (BIN / "python").exists():
        return False
    probe = subprocess.run([str(BIN / "python"), "-m", "pip", "--version"], capture_output=True)
    return probe.returncode == 0


def ensure_venv() -> None:
    if has_pip():
        return
    if VENV.exists():
        print(f"{VENV} has no working pip: recreating it", flush=True)
    try:
        venv.create(VENV, with_pip=True, clear=True)
    except subprocess.CalledProcessError:
        # Debian's python3 ships without ensurepip: make a bare venv and let the system pip fill it.
        venv.create(VENV, with_pip=False, clear=True)
        run(sys.executable, "-m", "pip", "--python", BIN / "python", "install", "pip")


def ensure_installed(extra: str) -> None:
    spec = f".[{extra}]" if extra else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", spec)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_venv()
    if argv[0] == "serve":
        ensure_installed("")
        run(BIN / "glossary", "init")
        os.execv(BIN / "glossary", [str(BIN / "glossary"), "serve", *argv[1:]])
    ensure_installed("test")
    return subprocess.run([str(BIN / "python"), "-m", "pytest", *argv[1:]], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
