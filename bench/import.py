"""Bulk import speed and memory: `glossary import FILE` of a large synthetic glossary, per format.

Prints, from one run on one machine (shared with other work, so compare the ratios):
  - for each format (glossary/1 JSON, CSV, TBX), importing into a fresh database made by
    `glossary init` (seed glossary and default corpus loaded, so the corpus index has work to
    do) and given the 20 synthetic sources (not timed: CSV cannot carry sources): the seconds
    and terms/s of the import alone (the terms committed, the corpus re-index queued:
    `GLOSSARY_CORPUS_REINDEX=off`), then of the drain of that queue in a process of its
    own (`glossary corpus reindex --pending`, what `glossary import` does at its end by default),
    terms/s with both, and the larger peak RSS of the two processes;
  - the baseline measured in the same run: the same file only parsed and validated by the
    format's reader in a process of its own (`formats.read`, no database), and the ratio of the
    import's time to it — what the database side costs on top of reading the file.
Targets (issue 19, defect 13): ≥ 1,500 terms/s and peak RSS ≤ 400 MiB on SQLite and PostgreSQL.

The glossary is bench/api.py's synthetic one (jieba words whose forms clash with nothing,
pinyin from the glossary's own to_pinyin, English glosses from the seed's vocabulary), each
term enriched like a seed entry: an alternative English rendering and a definition citing one
of 20 synthetic sources, an excerpt, a kind and tags.

    python bench/import.py [--terms 50000] [--formats json,csv,tbx] [--database-url URL]
                           [--repeat N] [--workdir DIR]

With --database-url (PostgreSQL), each import starts from an emptied database: every table
of that database is dropped first, so give it a scratch database of its own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _common import GLOSSARY, Instance, scratch_dir, stop_on_sigterm
from api import synthetic_terms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.formats import writer  # noqa: E402
from glossary.services.seed import load_seed  # noqa: E402

SOURCES = "sources"  # the sources alone, loaded before each import: CSV cannot carry them
TARGET_RATE = 1500
TARGET_RSS = 400
KINDS = ("concept", "formulation", "slogan", "policy", "campaign")
TAGS = ("economy", "security", "ideology", "diplomacy", "technology", "law", "society")


def glossary(n: int) -> dict:
    """A glossary/1 document of n synthetic terms and 20 sources (deterministic)."""
    sources = [
        {"id": f"bench-source-{k}", "title": f"Synthetic source {k}", "publisher": "Bench Press", "date": "2021"}
        for k in range(20)
    ]
    terms = synthetic_terms(n, load_seed())
    for i, term in enumerate(terms):
        source = sources[i % len(sources)]["id"]
        gloss = term["translations"][0]["text"]
        term["kind"] = KINDS[i % len(KINDS)]
        term["translations"].append(
            {"lang": "en", "text": f"the {gloss} line", "status": "alternative", "source": source}
        )
        term["definitions"] = [
            {"lang": "en", "text": f"The policy of {gloss}, as stated in {source}.", "source": source}
        ]
        term["excerpts"] = [
            {"source": source, "text": f"坚持{term['simplified']}，推进改革。", "locator": f"p. {i % 300 + 1}"}
        ]
        term["tags"] = sorted({TAGS[i % len(TAGS)], TAGS[(i * 3) % len(TAGS)]})
    return {"format": "glossary/1", "sources": sources, "terms": terms}


def generate(terms: int, folder: Path, formats: list[str], marker: Path) -> None:
    """Write the synthetic glossary in each format, and the marker saying how many terms."""
    doc = glossary(terms)
    write_files(doc, folder, formats)
    write_files({"format": "glossary/1", "sources": doc["sources"], "terms": []}, folder / SOURCES, ["json"])
    marker.write_text(f"{terms} {len(doc['terms'])}")


def write_files(doc: dict, folder: Path, formats: list[str]) -> dict[str, Path]:
    """The document in each format, written with the glossary's own writers."""
    out = {}
    folder.mkdir(exist_ok=True)
    for fmt in formats:
        write, _, suffix = writer(fmt)
        path = folder / f"glossary.{suffix}"
        path.write_bytes(write(doc))
        out[fmt] = path
    return out


@dataclass(frozen=True, slots=True)
class Run:
    """One process's wall and CPU seconds (CPU: user + system, what a busy shared machine does
    not inflate) and peak RSS in MiB."""

    wall: float
    cpu: float
    rss: float


def timed(argv: list[str], env: dict[str, str], log: Path) -> Run:
    """Run a process and measure it (from wait4: the child's own rusage)."""
    with log.open("wb") as fh:
        t0 = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{log.read_text()[-2000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


PARSE_ONLY = (
    "import sys; from glossary import formats; d = open(sys.argv[2], 'rb').read(); formats.read(sys.argv[1], d, len(d))"
)


def empty_database(instance: Instance) -> None:
    """Drop every table of the (scratch) database, so `glossary init` starts from nothing."""
    if instance.database_url.startswith("sqlite"):
        Path(instance.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import sqlalchemy as sa

    engine = sa.create_engine(instance.database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def measure(instance: Instance, fmt: str, path: Path, work: Path, repeat: int) -> tuple[Run, Run, Run]:
    """Parse alone, the import with the corpus re-index left queued, and the drain of that
    queue, each the fastest (by wall time) of ``repeat`` runs from a fresh database."""
    runs = []
    for _ in range(repeat):
        empty_database(instance)
        instance.init()
        instance.glossary("import", str(work / SOURCES / "glossary.json"))  # not timed: set-up
        parse = timed([sys.executable, "-c", PARSE_ONLY, fmt, str(path)], instance.env(), work / "parse.log")
        deferred = instance.env({"GLOSSARY_CORPUS_REINDEX": "off"})
        size = ["--max-bytes", str(path.stat().st_size)]  # 50,000 terms of TBX are over the default 64 MiB
        load = timed([str(GLOSSARY), "import", *size, str(path)], deferred, work / "import.log")
        drain = timed([str(GLOSSARY), "corpus", "reindex", "--pending"], instance.env(), work / "drain.log")
        runs.append((parse, load, drain))
    return (
        min((r[0] for r in runs), key=lambda r: r.wall),
        min((r[1] for r in runs), key=lambda r: r.wall),
        min((r[2] for r in runs), key=lambda r: r.wall),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--terms", type=int, default=50_000, help="synthetic terms (default 50,000)")
    parser.add_argument("--formats", default="json,csv,tbx", help="comma-separated (default json,csv,tbx)")
    parser.add_argument("--database-url", help="import into this database (default: a scratch SQLite file)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per format, the fastest kept (default 1)")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temporary directory)")
    args = parser.parse_args()
    stop_on_sigterm()
    formats = args.formats.split(",")
    with scratch_dir(args.workdir, "glossary-bench-import-") as work:
        t0 = time.perf_counter()
        marker = work / "terms.txt"  # a kept --workdir with files of this size is reused
        files = {fmt: work / f"glossary.{writer(fmt)[2]}" for fmt in formats}
        kept = marker.read_text().split() if marker.exists() else []
        wanted = [*files.values(), work / SOURCES / "glossary.json"]
        if not (kept[:1] == [str(args.terms)] and all(p.exists() for p in wanted)):
            # in a process of its own: a child's peak RSS counts the memory of the process it was
            # started from (Linux keeps the larger at exec), and 50,000 generated terms took 600 MiB
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                pool.apply(generate, (args.terms, work, formats, marker))
        n = int(marker.read_text().split()[1])
        print(
            f"{n:,} synthetic terms generated in {time.perf_counter() - t0:.0f} s; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f} (measured with other work running)"
        )
        instance = Instance.sqlite(work / "instance")
        if args.database_url:
            instance = Instance(instance.path, args.database_url)
        database = "PostgreSQL" if instance.database_url.startswith("postgres") else "SQLite"
        print(
            f"{'format':8} {'MB':>5} {'parse s':>7} | {'import s':>8} {'CPU s':>6} {'terms/s':>7} {'by CPU':>7} | "
            f"{'drain s':>7} {'CPU s':>6} | {'with drain':>10} {'by CPU':>7} | {'peak RSS':>8}"
        )
        for fmt, path in files.items():
            parse, load, drain = measure(instance, fmt, path, work, args.repeat)
            rate, both = n / load.wall, n / (load.wall + drain.wall)
            rss = max(load.rss, drain.rss)
            verdict = "met" if min(rate, both) >= TARGET_RATE and rss <= TARGET_RSS else "NOT met"
            if rate >= TARGET_RATE and rss <= TARGET_RSS and verdict != "met":
                verdict = "met by the import, NOT with its drain"
            print(
                f"{fmt:8} {path.stat().st_size / 1e6:5.1f} {parse.wall:7.1f} | {load.wall:8.1f} {load.cpu:6.1f} "
                f"{rate:7,.0f} {n / load.cpu:7,.0f} | {drain.wall:7.1f} {drain.cpu:6.1f} | {both:10,.0f} "
                f"{n / (load.cpu + drain.cpu):7,.0f} | {rss:4.0f} MiB   {database}: target {verdict}"
            )
        empty_database(instance)


if __name__ == "__main__":
    main()
