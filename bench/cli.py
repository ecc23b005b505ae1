"""Start-up of the command line: wall time of `glossary --help` against `python -c pass`.

Each command runs as its own process, N times, the variants interleaved so that load on a shared
machine falls on all of them alike; prints best and median per variant and their ratio to the
bare interpreter measured in the same run. Also times importing Click alone and Flask's CLI
module, the floor and the cost of building on Flask's AppGroup/FlaskGroup instead.

    python bench/cli.py [--runs 20]

Target (issue 14): `glossary --help` in under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GLOSSARY = str(Path(PYTHON).with_name("glossary"))
TARGET = 0.3

VARIANTS = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "python -c 'import click'": [PYTHON, "-c", "import click"],
    "python -c 'import flask.cli'": [PYTHON, "-c", "import flask.cli"],
    "glossary --help": [GLOSSARY, "--help"],
    "glossary token create --help": [GLOSSARY, "token", "create", "--help"],
}


def once(argv: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, cwd=ROOT, env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each variant (default 20)")
    args = parser.parse_args()
    if not Path(GLOSSARY).exists():
        raise SystemExit(f"{GLOSSARY} is missing: install the project (python3 bootstrap.py test)")
    for argv in VARIANTS.values():  # warm the file cache and write byte code once
        subprocess.run(argv, capture_output=True, cwd=ROOT)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(args.runs):
        for name, argv in VARIANTS.items():
            times[name].append(once(argv))
    base = times["python -c pass"]
    base_best, base_median = min(base), statistics.median(base)
    print(f"{args.runs} runs each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"{'':32} {'best':>8} {'median':>8}   ratio to python -c pass (best, median)")
    for name, runs in times.items():
        best, median = min(runs), statistics.median(runs)
        print(f"{name:32} {best:7.3f}s {median:7.3f}s   {best / base_best:5.2f}×  {median / base_median:5.2f}×")
    help_runs = times["glossary --help"]
    over = statistics.median(help_runs) - base_median
    print(f"glossary --help: {over * 1000:.0f} ms over the bare interpreter (medians)")
    verdict = "met" if statistics.median(help_runs) < TARGET else "NOT met"
    print(f"target: glossary --help under {TARGET} s: {verdict} (median {statistics.median(help_runs):.3f} s)")


if __name__ == "__main__":
    main()
