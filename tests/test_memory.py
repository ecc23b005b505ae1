"""glossary.memory: what glibc's malloc is asked to keep or give back (each in a process of its
own, as the setting lasts for the process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glossary import memory

CHURN = """
import ctypes, resource, sys
from glossary.memory import keep_freed_memory
if sys.argv[1] == "keep":
    keep_freed_memory()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def churn():
    blocks = [libc.malloc(100_000) for _ in range(1000)]  # 100 MB below the mmap threshold: the heap
    for block in blocks:
        ctypes.memset(block, 1, 100_000)
    for block in reversed(blocks):
        libc.free(block)
churn()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
churn()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    run = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True, check=True)
    return int(run.stdout)


@pytest.mark.skipif(memory._libc("mallopt") is None, reason="needs glibc's malloc")
def test_kept_memory_is_reused_without_faulting_pages_in_again() -> None:
    """Freed at the top of the heap, 100 MB goes back to the system by default, and using it
    again faults every page in anew (24,000 faults); kept, it is used again as it is."""
    assert _faults("default") > 20_000
    assert _faults("keep") < 1_000


def test_without_glibc_both_are_harmless(monkeypatch) -> None:
    monkeypatch.setattr(memory, "_libc", lambda name: None)
    memory.keep_freed_memory()
    memory.release_memory(collect=False)
    assert memory._libc("mallopt") is None


def test_a_missing_function_is_none() -> None:
    assert memory._libc("no_such_malloc_function") is None


LEAN = """
import sys
from glossary import create_app
from glossary.reindexer import reindexer_of
app = create_app()
with app.app_context():
    print(reindexer_of(app).drain())
print("pypinyin" in sys.modules)
"""


def test_an_app_and_its_corpus_drain_do_without_the_pinyin_library(tmp_path) -> None:
    """pypinyin's dictionaries (about 60 MiB) are loaded only where pinyin is derived or cut:
    the drain after a 50,000-term import peaked over 400 MiB with them (bench/import.py)."""
    import os

    env = os.environ | {
        "GLOSSARY_INSTANCE_PATH": str(tmp_path),
        "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'glossary.db'}",
    }
    init = [sys.executable, "-m", "glossary.cli", "init", "--no-seed"]
    subprocess.run(init, env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", LEAN], env=env, check=True, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False", done.stdout
