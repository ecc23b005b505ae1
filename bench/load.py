"""Sustained mixed load with a concurrent editor, through the production server, on either database.

The issue's conditions: 30 seconds at 64 concurrent connections on a mix of term lookup, search
and annotate (5,000 characters), `glossary serve --workers 4`, on SQLite and on PostgreSQL,
while an editor writes one change per second through the API: zero 5xx, zero connection
errors, no "database is locked"; p50/p99 reported.

Readers: each connection loops over GET /api/v1/terms/{key} (30%), GET /api/v1/search (30%),
GET /api/v1/terms (the list, 10%), GET /terms/{slug} (the term page, 10%) and
POST /api/v1/annotate (20%) back to back on one keep-alive connection; a failed request
is counted as a connection error, never retried.  The editor: once a second, on schedule
(open loop: an edit slower than a second overlaps the next, it does not delay it), GET a seed
term, then PATCH its note (JSON Merge Patch) with If-Match set to the ETag just read and a
write token; a 412 (another write got in between) is fine and counted apart.  A note is not
something the annotator reads, so since the annotation version (migration 0012) these edits no
longer make every worker rebuild its annotator; --annotation-edits F makes that share of the
edits (evenly spread) add an English rendering instead, which the annotator does read, so every
worker rebuilds (in the background) after each of those.  Each
edit uses a new connection: a client idle for a second would otherwise race gunicorn's 2 s
keep-alive close and count a connection error that is the client's doing.

The editor walks the seed's published terms in file order, many of which relate to each other
(an edit rewrites the term's relation rows), so overlapping edits touch related rows as two
real editors would.

The server's log is scanned afterwards for "database is locked", database errors answered
with 503 ("database unavailable": deadlocks, lost connections), tracebacks, pool timeouts and
worker timeouts; --log-dir keeps the server's log and the private cluster's.  Rate limits are
raised out of reach (see _common.SERVER_ENV); a short warm-up (every worker loads its
segmenter and annotator) is not counted.

PostgreSQL: without --pg-url the benchmark starts a private cluster the way .ci/run does
(initdb as the postgres user in a temporary directory, pg_ctl on a Unix socket, createdb),
default settings otherwise, and stops and removes it at the end.  Needs root and Debian's
server (`apt-get update && apt-get install -y postgresql`).  --pg-url must name a database the
benchmark may migrate and write to.

    python bench/load.py [--database sqlite|postgresql] [--pg-url URL | --database-url URL]
                         [--seconds 30] [--connections 64] [--workers 4] [--terms 5600]
    python bench/load.py --noisy [--noisy-clients 32] [--noisy-chars 2000000] [--noisy-format json|html]

--terms N: the seed plus synthetic terms (bench/api.py's, imported with `glossary import`) up to
N terms, as the issue's 5,600-term glossary.  The same mix is measured twice on one server, first
without the editor and then with it, and the ratios printed: goal, with writers, throughput
>= 80% and p99 <= 1.5x of the mix without writers (--no-baseline skips the first run).

--noisy: 32 large annotates against a few term readers instead (bench/noisy.py).

Exit status 1 when a condition fails.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _common import (
    LOG_ALARMS,
    Client,
    Instance,
    Request,
    Server,
    Tally,
    corpus_text,
    free_port,
    json_request,
    ms,
    percentile,
    run_load,
    scratch_dir,
    stop_on_sigterm,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import noisy  # noqa: E402

from glossary.services.seed import load_seed  # noqa: E402

QUERIES = (
    "网络主权",
    "網路主權",
    "wangluo zhuquan",
    "gongtong fuyu",
    "sovereignty",
    "cyber sov",
    "网络",
    "命运共同",
    "soverignty",
    "common prosperty",
)
MIX = ("term", "search", "list", "annotate", "term", "search", "page", "annotate", "term", "search")


@contextmanager
def private_postgres(keep_log: Path | None) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a Unix socket, as .ci/run starts one; yields its URL.
    Its log is copied to keep_log (if given) before the cluster is removed."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if not initdb:
        sys.exit("PostgreSQL is not installed: apt-get update && apt-get install -y postgresql, or pass --pg-url")
    if os.geteuid() != 0:
        sys.exit("starting a private PostgreSQL cluster needs root (runuser -u postgres); or pass --pg-url")
    bindir = Path(initdb[-1]).parent
    # directly under /tmp: the postgres user must be able to reach them
    pgdata = Path(tempfile.mkdtemp(prefix="glossary-bench-pg.", dir="/tmp"))
    sock = Path(tempfile.mkdtemp(prefix="glossary-bench-pgsock.", dir="/tmp"))
    shutil.chown(pgdata, "postgres")
    shutil.chown(sock, "postgres")
    port = free_port()

    def as_postgres(*args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, stdout=subprocess.DEVNULL)

    try:
        as_postgres(str(bindir / "initdb"), "-D", str(pgdata), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {port} -k {sock} -c listen_addresses=''"
        as_postgres(str(bindir / "pg_ctl"), "-D", str(pgdata), "-l", str(pgdata / "log"), "-w", "-o", options, "start")
        try:
            as_postgres(str(bindir / "createdb"), "-h", str(sock), "-p", str(port), "glossary_bench")
            version = subprocess.run(
                [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
            ).stdout.strip()
            print(f"private cluster: {version}, socket {sock}, port {port}, default settings")
            yield f"postgresql+psycopg://postgres@/glossary_bench?host={sock}&port={port}"
        finally:
            as_postgres(str(bindir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop")
            if keep_log is not None:
                shutil.copy(pgdata / "log", keep_log)
    finally:
        shutil.rmtree(pgdata, ignore_errors=True)
        shutil.rmtree(sock, ignore_errors=True)


class Editor(threading.Thread):
    """One change per second, on schedule: each second starts an edit (GET for a fresh ETag, then
    PATCH with If-Match) in its own thread, whether or not the previous one has finished, so a
    slow server sees overlapping writes rather than a slower editor."""

    def __init__(
        self, port: int, token: str, slugs: list[str], seconds: float, interval: float, annotation_edits: float = 0.0
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.slugs = port, token, slugs
        self.seconds, self.interval = seconds, interval
        self.annotation_edits = annotation_edits
        self.slots = math.ceil(seconds / interval)
        self.tally = Tally()
        self.lock = threading.Lock()
        self.written = 0
        self.conflicts = 0
        self.unfinished = 0

    def run(self) -> None:
        start = time.monotonic()
        edits = []
        for slot in range(self.slots):
            wait = start + slot * self.interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            edit = threading.Thread(target=self.edit, args=(self.slugs[slot % len(self.slugs)], slot), daemon=True)
            edit.start()
            edits.append(edit)
        for edit in edits:
            edit.join(max(0.0, start + self.seconds + 90 - time.monotonic()))
        self.unfinished = sum(edit.is_alive() for edit in edits)

    def edit(self, slug: str, n: int) -> None:
        client = Client(self.port)
        try:
            self._edit(client, slug, n)
        finally:
            client.close()

    def _record(self, label: str, status: int | None, seconds: float, exc: Exception | None = None) -> None:
        with self.lock:
            if exc is not None:
                self.tally.error(label, exc)
                return
            self.tally.add(label, status, seconds)
            if label == "editor PATCH" and status == 200:
                self.written += 1
            elif label == "editor PATCH" and status == 412:
                self.conflicts += 1

    def _edit(self, client: Client, slug: str, n: int) -> None:
        auth = {"Authorization": f"Bearer {self.token}"}
        path = "/api/v1/terms/" + urllib.parse.quote(slug)
        t0 = time.perf_counter()
        try:
            status, got, response = client.send(Request("editor GET", "GET", path, headers=auth))
        except Exception as exc:  # counted as a connection error
            self._record("editor GET", None, 0, exc)
            return
        self._record("editor GET", status, time.perf_counter() - t0)
        etag = response.getheader("ETag")
        if status != 200 or not etag:
            return
        body = json.dumps(self.change(n, json.loads(got))).encode()
        headers = auth | {"If-Match": etag, "Content-Type": "application/merge-patch+json"}
        t0 = time.perf_counter()
        try:
            status, _, _ = client.send(Request("editor PATCH", "PATCH", path, body, headers))
        except Exception as exc:
            self._record("editor PATCH", None, 0, exc)
            return
        self._record("editor PATCH", status, time.perf_counter() - t0)

    def change(self, n: int, term: dict) -> dict:
        """Edit n's merge patch: a note, or (for the --annotation-edits share, spread evenly) the
        term's renderings with one English rendering added in place of an earlier edit's."""
        if math.floor((n + 1) * self.annotation_edits) == math.floor(n * self.annotation_edits):
            return {"note": f"load test edit {n}"}
        kept = [t for t in term.get("translations", []) if not t["text"].startswith("load test rendering")]
        return {"translations": kept + [{"lang": "en", "text": f"load test rendering {n}", "status": "alternative"}]}


def first_traceback(log: str) -> str:
    """The first traceback in a server log: the message logged with it, the frames, the exception
    (and the exceptions chained to it)."""
    lines = log.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Traceback")), None)
    if start is None:
        return ""
    headers = (" ", "Traceback", "The above exception", "During handling")
    end = start + 1
    while end < len(lines):
        if lines[end].startswith(headers) or not lines[end].strip():
            end += 1
            continue
        following = next((line for line in lines[end + 1 : end + 3] if line.strip()), "")
        if not following.startswith(headers[2:]):
            break  # the exception line, with no chained exception after it
        end += 1
    return "\n".join(lines[max(0, start - 1) : end + 1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument(
        "--pg-url", "--database-url", dest="pg_url", help="postgresql+psycopg://… to use instead of a private cluster"
    )
    ap.add_argument("--terms", type=int, default=0, help="grow the glossary to this many terms (synthetic ones)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the run without writers")
    ap.add_argument("--chars", type=int, default=5000, help="characters of text per annotate request")
    ap.add_argument("--edit-interval", type=float, default=1.0, help="seconds between the editor's changes")
    ap.add_argument(
        "--annotation-edits",
        type=float,
        default=0.0,
        help="share of edits that add an English rendering (read by the annotator) instead of editing the note",
    )
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of uncounted load first")
    ap.add_argument("--log-dir", type=Path, help="keep the server's log (and a private cluster's) here")
    noisy.add_arguments(ap)
    args = ap.parse_args()
    stop_on_sigterm()
    if args.log_dir:
        args.log_dir.mkdir(parents=True, exist_ok=True)

    seed = load_seed()
    published = [t for t in seed["terms"] if t.get("status", "published") == "published"]
    keys = [k for t in published for k in (t["slug"], t["simplified"])]
    slugs = [t["slug"] for t in published]
    term_paths = ["/api/v1/terms/" + urllib.parse.quote(k, safe="") for k in keys]
    if args.noisy:
        with scratch_dir(None, "glossary-bench-noisy-") as work, database(args) as url:
            instance = Instance(work, url) if url else Instance.sqlite(work)
            instance.init()
            if not noisy.run(args, instance, keys, work):
                sys.exit(1)
        return
    if not args.keep_char_limit:
        # the mix's connections stand for many clients: from one address, annotate's character
        # budget (4,000,000 a minute) answered every annotate of the mix 429 within seconds
        os.environ["GLOSSARY_RATELIMIT_ANNOTATE_CHARS"] = noisy.LIFTED
    search_paths = ["/api/v1/search?" + urllib.parse.urlencode({"q": q}) for q in QUERIES]
    text = corpus_text(args.chars)
    annotate = json_request("annotate", "/api/v1/annotate", {"text": text, "format": "json"})

    def pick(n: int, i: int) -> Request:
        kind = MIX[(n + i) % len(MIX)]
        if kind == "term":
            return Request("term", "GET", term_paths[(n * 7 + i) % len(term_paths)])
        if kind == "list":
            return Request("list", "GET", f"/api/v1/terms?page={(n + i) % 20 + 1}")
        if kind == "page":
            return Request("page", "GET", "/terms/" + urllib.parse.quote(slugs[(n * 5 + i) % len(slugs)]))
        if kind == "search":
            return Request("search", "GET", search_paths[(n * 3 + i) % len(search_paths)])
        return annotate

    with scratch_dir(None, "glossary-bench-load-") as work, database(args) as url:
        instance = Instance(work, url) if url else Instance.sqlite(work)
        t0 = time.perf_counter()
        instance.init()
        grown = grow(instance, args.terms, seed, work)
        token = instance.write_token("load-editor")
        print(
            f"database: {args.database} ({'given by --pg-url' if url and args.pg_url else 'scratch'}), seed glossary "
            f"({len(seed['terms'])} terms{grown}) loaded in {time.perf_counter() - t0:.1f} s"
        )
        print(
            f"server: glossary serve --workers {args.workers} (gunicorn gthread, 4 threads each); "
            f"{args.connections} keep-alive connections for {args.seconds:.0f} s "
            f"(after {args.warmup:.0f} s warm-up), mix 30% term / 30% search / 10% list / 10% term page / 20% annotate "
            f"({len(text):,} chars); editor every {args.edit_interval:g} s "
            f"({args.annotation_edits:.0%} of edits add a rendering, the rest edit a note); {os.cpu_count()} CPUs"
        )
        server = Server(instance, args.workers, work / "server.log")
        with server:
            if args.warmup:
                run_load(server.port, args.connections, args.warmup, pick)
            baseline = None if args.no_baseline else run_load(server.port, args.connections, args.seconds, pick)
            editor = Editor(server.port, token, slugs, args.seconds, args.edit_interval, args.annotation_edits)
            editor.start()
            tally, wall = run_load(server.port, args.connections, args.seconds, pick)
            editor.join(args.seconds + 120)
        log = server.log_text()
        alarms = server.alarms()
        if args.log_dir:
            shutil.copy(server.log, args.log_dir / "server.log")
    report(args, tally, wall, editor, alarms, log, baseline)


def grow(instance: Instance, terms: int, seed: dict, work: Path) -> str:
    """Import synthetic terms until the glossary has `terms`; a note for the report."""
    extra = terms - len(seed["terms"])
    if extra <= 0:
        return ""
    from api import synthetic_terms

    document = work / "synthetic.json"
    document.write_text(
        json.dumps({"format": "glossary/1", "sources": [], "terms": synthetic_terms(extra, seed)}, ensure_ascii=False)
    )
    instance.glossary("import", str(document))
    return f" + {extra:,} synthetic = {terms:,}"


def compare(baseline: tuple[Tally, float], tally: Tally, wall: float) -> list[tuple[str, bool]]:
    """Reads without and with writers: throughput and p99 side by side, and the issue's goal."""
    rows = []
    for name, (t, w) in (("without writers", baseline), ("with writers", (tally, wall))):
        every = sorted(v for vs in t.latencies.values() for v in vs)
        rows.append((len(every) / w, percentile(every, 50), percentile(every, 99)))
        print(f"  {name:<16} {rows[-1][0]:>7,.1f} req/s  p50 {ms(rows[-1][1])} ms  p99 {ms(rows[-1][2])} ms")
    speed, tail = rows[1][0] / rows[0][0], rows[1][2] / rows[0][2]
    print(f"  with / without: throughput {speed:.0%}, p99 {tail:.2f}x")
    return [("with writers: throughput >= 80% of without", speed >= 0.8), ("with writers: p99 <= 1.5x", tail <= 1.5)]


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str | None]:
    """None for SQLite (a file in the scratch instance), else a PostgreSQL URL."""
    if args.database == "sqlite":
        yield None
    elif args.pg_url:
        yield args.pg_url
    else:
        with private_postgres(args.log_dir / "postgresql.log" if args.log_dir else None) as url:
            yield url


def report(
    args: argparse.Namespace,
    tally: Tally,
    wall: float,
    editor: Editor,
    alarms: dict[str, int],
    log: str,
    baseline: tuple[Tally, float] | None,
) -> None:
    combined = Tally()
    combined.merge(tally)
    combined.merge(editor.tally)
    print(f"\n  {'endpoint':<22} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    labels = [("term", "GET /terms/{key}"), ("search", "GET /search"), ("list", "GET /terms (list)")]
    labels += [("page", "GET /terms/{slug} page"), ("annotate", "POST /annotate")]
    labels += [("editor GET", "editor GET"), ("editor PATCH", "editor PATCH")]
    for label, name in labels:
        lat = sorted(combined.latencies.get(label, []))
        statuses = ", ".join(f"{s}: {c:,}" for s, c in sorted(combined.statuses.get(label, {}).items()))
        errors = combined.errors.get(label, 0)
        print(
            f"  {name:<22} {len(lat):>9,} {len(lat) / wall:>7,.0f} {ms(percentile(lat, 50))} "
            f"{ms(percentile(lat, 99))}  {statuses}" + (f"; {errors} connection errors" if errors else "")
        )
    every = sorted(v for label, vs in tally.latencies.items() for v in vs)
    print(
        f"  {'all reads':<22} {len(every):>9,} {len(every) / wall:>7,.0f} {ms(percentile(every, 50))} "
        f"{ms(percentile(every, 99))}"
    )
    five = combined.with_status(lambda s: s >= 500)
    limited = combined.with_status(lambda s: s == 429)
    other = combined.with_status(lambda s: s not in (200, 412) and s < 500 and s != 429)
    connection_errors = sum(combined.errors.values())
    print(f"\n  5xx responses: {five}; 429: {limited}; other non-2xx: {other}; connection errors: {connection_errors}")
    for sample in combined.error_samples:
        print(f"    {sample}")
    print(
        f"  editor: {editor.written} writes, {editor.conflicts} 412 (stale ETag), {editor.slots} edits started "
        f"(one every {args.edit_interval:g} s), {editor.unfinished} unfinished"
    )
    print("  server log: " + ", ".join(f"{k!r}: {v}" for k, v in alarms.items()))
    flagged = [line for line in log.splitlines() if any(a in line for a in LOG_ALARMS if a != "Traceback")]
    for line in list(dict.fromkeys(flagged))[:3]:  # the first three distinct flagged lines
        print(f"    {line[:300]}")
    trace = first_traceback(log)
    if trace:
        print("  first traceback in the server log:\n    " + trace.replace("\n", "\n    "))
    locked = alarms["database is locked"] + sum(1 for s in combined.error_samples if "database is locked" in s)
    conditions = [
        ("zero 5xx responses", five == 0),
        ("zero connection errors", connection_errors == 0),
        ("no 'database is locked'", locked == 0),
        (
            "no errors in the server log (tracebacks, database errors, pool or worker timeouts)",
            not any(alarms.values()),
        ),
        ("editor: every edit answered 200 or 412", editor.written + editor.conflicts == editor.slots),
    ]
    if baseline is not None:
        print("\n  all reads, the same mix:")
        conditions += compare(baseline, tally, wall)
    print("conditions:")
    for name, ok in conditions:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if not all(ok for _, ok in conditions):
        sys.exit(1)


if __name__ == "__main__":
    main()
