"""bench/import.py runs for every format it offers: its CSV import once failed on the synthetic
terms' sources, which CSV cannot carry, so the benchmark's default run stopped with an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "import.py"


def test_the_import_benchmark_imports_and_drains_every_format(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--terms", "200", "--formats", "json,csv,tbx", "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines()[2:]}
    assert set(rows) == {"json", "csv", "tbx"}, done.stdout
    assert all("SQLite: target" in row for row in rows.values()), done.stdout
    # each format's import log says all 200 synthetic terms were created (the last one kept: TBX)
    assert "terms: 200 created" in (tmp_path / "import.log").read_text()
