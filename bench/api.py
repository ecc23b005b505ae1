"""API throughput and search scaling, measured through the production server in one run.

Prints, from one run on one machine (the box is shared and noisy, so compare the ratios):
  - requests/s and p50/p99 latency for GET /api/v1/terms/{key}, GET /api/v1/search and
    POST /api/v1/annotate (5,000 characters of the 20th Party Congress report), next to
    GET /api/v1/health as the framework floor (one cheap query: routing, JSON, WSGI, gunicorn);
    target: term lookup ≥ 50% of the floor's requests/s
  - search latency for one mix of queries (Chinese exact, pinyin, English word, prefix,
    substring, typo) against a 500-term and a 50,000-term glossary;
    target: p50 at 50,000 terms ≤ 2× p50 at 500 terms.  The same two databases after ANALYZE
    are measured too, as a diagnostic: `glossary` never gathers SQLite's planner statistics,
    and without them the planner drives search's joins from the wrong index

The server is `glossary serve --workers N` (gunicorn, gthread) on 127.0.0.1 and a free port,
against scratch SQLite databases under /tmp; the load comes from this process, one keep-alive
connection per thread.  Rate limits are raised out of reach (see _common.SERVER_ENV).

The synthetic glossaries are the seed plus words from jieba's dictionary (forms that clash
with an existing surface form are skipped) with made-up English glosses of 1–4 words drawn
from the seed's own English vocabulary, so common words recur as they do in real glosses, and
pinyin derived by the glossary's own to_pinyin.  Each is loaded as one glossary/1 document with
`glossary import` on top of `glossary init`, and the import's time and peak memory printed.

    python bench/api.py [--workers 2] [--connections 16] [--seconds 10] [--large 50000]
                        [--workdir /tmp/glossary-bench-api]   # keep and reuse the databases
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import unicodedata
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import jieba
from _common import (
    GLOSSARY,
    Client,
    Instance,
    Request,
    Server,
    Tally,
    corpus_text,
    json_request,
    ms,
    percentile,
    run_load,
    scratch_dir,
    stop_on_sigterm,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.services.seed import load_seed  # noqa: E402

GENERATOR = 2  # bump when synthetic_terms() changes, so a kept --workdir is rebuilt

# (kind, query): every query finds a seed term, so it means the same at 500 and at 50,000 terms
QUERIES = (
    ("chinese exact", "网络主权"),
    ("chinese exact", "網路主權"),
    ("chinese exact", "共同富裕"),
    ("pinyin", "wangluo zhuquan"),
    ("pinyin", "gongtong fuyu"),
    ("pinyin", "renlei mingyun gongtongti"),
    ("english word", "sovereignty"),
    ("english word", "dream"),
    ("english phrase", "cyber sovereignty"),
    ("prefix", "网络"),
    ("prefix", "cyber sov"),
    ("prefix", "xinshidai"),
    ("substring", "命运共同"),
    ("substring", "社会主义"),
    ("typo", "soverignty"),
    ("typo", "common prosperty"),
)


def pad(text: str, width: int) -> str:
    """Left-justify in terminal columns: Chinese characters take two."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


def search_path(query: str) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": query})


# ---------------------------------------------------------------- synthetic glossaries


def _seed_forms(seed: dict) -> tuple[set[str], set[str]]:
    """Surface forms and slugs the seed takes (derived forms included), which synthetic terms must avoid."""
    from glossary.text.forms import derive_forms, traditional
    from glossary.text.pinyin import slugify, to_pinyin
    from glossary.text.segment import Segmenter

    segmenter = Segmenter()
    forms: set[str] = set()
    slugs: set[str] = set()
    for term in seed["terms"]:
        simp = term["simplified"]
        forms |= {simp, term.get("traditional") or traditional(simp)}
        forms |= {t for t, _ in derive_forms(simp)} | {f["text"] for f in term.get("forms", [])}
        slugs.add(term.get("slug") or slugify(term.get("pinyin") or to_pinyin(simp, segmenter)))
    return forms, slugs


def synthetic_terms(n: int, seed: dict) -> list[dict]:
    """n glossary/1 terms that the seed's glossary accepts: jieba words, pinyin, made-up glosses.

    Deterministic, so the first k terms of a longer list are the terms of a shorter one and the
    500-term glossary is a subset of the 50,000-term one.
    """
    from glossary.text.forms import derive_forms, traditional
    from glossary.text.pinyin import slugify, to_pinyin
    from glossary.text.segment import Segmenter

    rng = random.Random(2024)
    vocab = sorted(
        {
            w
            for t in seed["terms"]
            for tr in t.get("translations", [])
            if tr["lang"] == "en"
            for w in re.findall(r"[a-z]{3,}", tr["text"].lower())
        }
    )
    words = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0]
            if 2 <= len(word) <= 6 and all("\u4e00" <= c <= "\u9fff" for c in word):
                words.append(word)
    words.sort()
    rng.shuffle(words)
    forms, slugs = _seed_forms(seed)
    segmenter = Segmenter()
    out: list[dict] = []
    for word in words:
        if len(out) >= n:
            break
        mine = {word, traditional(word)} | {t for t, _ in derive_forms(word)}
        if mine & forms:
            continue
        forms |= mine
        pinyin = to_pinyin(word, segmenter)
        base = slugify(pinyin) or "term"
        slug, k = base, 1
        while slug in slugs:
            k += 1
            slug = f"{base}-{k}"
        slugs.add(slug)
        gloss = " ".join(rng.sample(vocab, rng.randint(1, 4)))
        out.append(
            {
                "slug": slug,
                "simplified": word,
                "pinyin": pinyin,
                "translations": [{"lang": "en", "text": gloss, "status": "preferred"}],
            }
        )
    return out


def timed_import(instance: Instance, document: Path) -> tuple[float, float]:
    """`glossary import` of a file: wall seconds and the import process's peak RSS in MiB."""
    with (instance.path / "import.log").open("wb") as log:
        t0 = time.perf_counter()
        process = subprocess.Popen(
            [str(GLOSSARY), "import", str(document)], env=instance.env(), stdout=log, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - t0
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"glossary import {document} failed:\n{(instance.path / 'import.log').read_text()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def build(path: Path, n: int, seed: dict) -> tuple[Instance, str]:
    """A glossary of n terms (seed + synthetic) at path, reused when a kept --workdir has it
    (same size, generator and seed)."""
    instance = Instance.sqlite(path)
    marker = path / "built.json"
    seed_hash = hashlib.sha256(json.dumps(seed, sort_keys=True).encode()).hexdigest()[:16]
    want = {"terms": n, "generator": GENERATOR, "seed": seed_hash}
    if marker.exists():
        done = json.loads(marker.read_text())
        if {k: done.get(k) for k in want} == want:
            instance.init(seed=False)  # brings a database built before a migration to head
            return instance, f"reused from {path} (built earlier: {done['note']})"
    for stale in path.glob("glossary.db*"):
        stale.unlink()
    t0 = time.perf_counter()
    instance.init()
    note = f"glossary init (seed, {len(seed['terms'])} terms) {time.perf_counter() - t0:.1f} s"
    extra = n - len(seed["terms"])
    if extra > 0:
        t0 = time.perf_counter()
        document = path / "synthetic.json"
        terms = synthetic_terms(extra, seed)
        document.write_text(json.dumps({"format": "glossary/1", "sources": [], "terms": terms}, ensure_ascii=False))
        t_gen = time.perf_counter() - t0
        t_import, rss = timed_import(instance, document)
        note += (
            f"; {len(terms):,} synthetic terms generated in {t_gen:.1f} s, `glossary import` of them "
            f"{t_import:.1f} s ({len(terms) / t_import:,.0f} terms/s, peak RSS {rss:,.0f} MiB)"
        )
        document.unlink()
    marker.write_text(json.dumps(want | {"note": note}))
    return instance, note


# ---------------------------------------------------------------- measurements


def throughput(
    server: Server, pick: Callable[[int, int], Request], connections: int, seconds: float
) -> tuple[Tally, float]:
    """A warm-up of a quarter of the time (every worker builds its caches), then the measured run."""
    run_load(server.port, connections, max(3.0, seconds / 4), pick)
    return run_load(server.port, connections, seconds, pick, max_requests=200_000)


def search_latency(server: Server, rounds: int, budget: float) -> tuple[dict[str, list[float]], int]:
    """Each query up to `rounds` times over one keep-alive connection, round-robin, after one warm-up
    round; fewer rounds (at least one) when they would take longer than `budget` seconds.

    One connection, so the figure is the time a search takes, not time queued behind others.
    """
    client = Client(server.port, timeout=120)
    samples: dict[str, list[float]] = {q: [] for _, q in QUERIES}
    stop_at = None
    done = 0
    while done < rounds and (stop_at is None or time.monotonic() < stop_at or done == 0):
        for _, query in QUERIES:
            t0 = time.perf_counter()
            status, body, _ = client.send(Request("search", "GET", search_path(query)))
            elapsed = time.perf_counter() - t0
            if status != 200:
                sys.exit(f"search {query!r}: HTTP {status}: {body[:300]!r}")
            if stop_at is not None:
                samples[query].append(elapsed)
        if stop_at is None:
            stop_at = time.monotonic() + budget  # the warm-up round is over
        else:
            done += 1
    client.close()
    return samples, done


def analyzed_copy(instance: Instance, path: Path) -> tuple[Instance, float]:
    """A copy of the database with fresh planner statistics (ANALYZE).

    Diagnostic: without sqlite_stat1 SQLite assumes `terms.status = ?` picks few rows and drives
    search's joins from ix_terms_status, visiting every published term.
    """
    path.mkdir(parents=True, exist_ok=True)
    target = path / "glossary.db"
    target.unlink(missing_ok=True)
    t0 = time.perf_counter()
    source = sqlite3.connect(instance.path / "glossary.db")
    copy = sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.execute("ANALYZE")
    copy.commit()
    copy.close()
    shutil.copy(instance.path / "secret_key", path / "secret_key")
    return Instance.sqlite(path), time.perf_counter() - t0


def hits(server: Server, query: str) -> tuple[int, str]:
    """How many results a query returns and the tier of the first (to show what each query exercises)."""
    client = Client(server.port)
    _, body, _ = client.send(Request("search", "GET", search_path(query)))
    client.close()
    items = json.loads(body)["items"]
    return len(items), items[0]["matched"]["how"] if items else "-"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: CPUs)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    ap.add_argument("--seconds", type=float, default=10, help="measured seconds per endpoint")
    ap.add_argument("--chars", type=int, default=5000, help="characters of text per annotate request")
    ap.add_argument("--small", type=int, default=500, help="terms in the small glossary")
    ap.add_argument("--large", type=int, default=50_000, help="terms in the large glossary")
    ap.add_argument("--rounds", type=int, default=30, help="times each search query is timed per glossary")
    ap.add_argument("--search-seconds", type=float, default=60, help="time budget per glossary for those rounds")
    ap.add_argument("--workdir", type=Path, help="keep the scratch databases here and reuse them next run")
    args = ap.parse_args()
    stop_on_sigterm()

    seed = load_seed()
    text = corpus_text(args.chars)
    published = [t for t in seed["terms"] if t.get("status", "published") == "published"]
    keys = [k for t in published for k in (t["slug"], t["simplified"])]
    term_paths = ["/api/v1/terms/" + urllib.parse.quote(k, safe="") for k in keys]
    search_paths = [search_path(q) for _, q in QUERIES]
    annotate = json_request("annotate", "/api/v1/annotate", {"text": text, "format": "json"})
    endpoints: list[tuple[str, str, Callable[[int, int], Request]]] = [
        ("health", "GET /api/v1/health", lambda n, i: Request("health", "GET", "/api/v1/health")),
        (
            "term",
            "GET /api/v1/terms/{key}",
            lambda n, i: Request("term", "GET", term_paths[(n * 7 + i) % len(term_paths)]),
        ),
        (
            "search",
            "GET /api/v1/search",
            lambda n, i: Request("search", "GET", search_paths[(n * 5 + i) % len(search_paths)]),
        ),
        ("annotate", f"POST /api/v1/annotate ({len(text):,} chars)", lambda n, i: annotate),
    ]
    print(
        f"server: glossary serve --workers {args.workers} (gunicorn gthread, 4 threads each), "
        f"{args.connections} keep-alive connections from this process, {os.cpu_count()} CPUs"
    )

    with scratch_dir(args.workdir, "glossary-bench-api-") as work:
        instance, _ = build(work / "seed", len(seed["terms"]), seed)
        print(f"\nthroughput, seed glossary ({len(seed['terms'])} terms), {args.seconds:.0f} s per endpoint:")
        print(f"  {'endpoint':<34} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
        rates: dict[str, float] = {}
        with Server(instance, args.workers, work / "seed-server.log") as server:
            for label, name, pick in endpoints:
                tally, wall = throughput(server, pick, args.connections, args.seconds)
                lat = sorted(tally.latencies.get(label, []))
                rates[label] = len(lat) / wall
                statuses = ", ".join(f"{s}: {c:,}" for s, c in sorted(tally.statuses.get(label, {}).items()))
                errors = f", {sum(tally.errors.values())} connection errors" if tally.errors else ""
                print(
                    f"  {name:<34} {len(lat):>9,} {rates[label]:>8,.0f} {ms(percentile(lat, 50))} "
                    f"{ms(percentile(lat, 99))}  {statuses}{errors}"
                )
                if any(s != 200 for s in tally.statuses.get(label, {})) or tally.errors:
                    print(f"    ! not every request succeeded: {tally.error_samples[:2]}")
            alarms = {k: v for k, v in server.alarms().items() if v}
        if alarms:
            print(f"  ! server log {server.log}: {alarms}")

        print(
            f"\nsearch latency, {len(QUERIES)} queries × up to {args.rounds} rounds (at most "
            f"{args.search_seconds:.0f} s) over one connection, p50 ms:"
        )
        variants: list[tuple[str, int]] = []  # (name, terms)
        latency: dict[str, dict[str, list[float]]] = {}
        found: dict[str, dict[str, tuple[int, str]]] = {}
        for n in (args.small, args.large):
            t0 = time.perf_counter()
            inst, note = build(work / f"terms-{n}", n, seed)
            took = f"; {time.perf_counter() - t0:.1f} s" if "reused" in note else ""
            print(f"  {n:,}-term glossary: {note}{took}")
            copy, t_copy = analyzed_copy(inst, work / f"terms-{n}-analyzed")
            print(f"  {n:,}-term glossary: copied and ANALYZEd in {t_copy:.1f} s (diagnostic)")
            for name, instance_ in ((f"{n:,}", inst), (f"{n:,}+A", copy)):
                with Server(instance_, args.workers, work / f"{instance_.path.name}-server.log") as server:
                    latency[name], rounds = search_latency(server, args.rounds, args.search_seconds)
                    found[name] = {q: hits(server, q) for _, q in QUERIES}
                variants.append((name, n))
                print(f"    {name}: {rounds} rounds")

        names = [name for name, _ in variants]
        small, large = names[0], names[2]
        small_a, large_a = names[1], names[3]
        p50 = {name: {q: percentile(sorted(latency[name][q]), 50) for _, q in QUERIES} for name in names}
        head = "".join(f"{name:>10}" for name in (small, large)) + f"{'ratio':>7}"
        head += "".join(f"{name:>10}" for name in (small_a, large_a)) + f"{'ratio':>7}"
        print(f"\n  {'kind':<15} {'query':<26}{head}  hits, first tier @{small} → @{large}")
        for kind, query in QUERIES:
            cells = "".join(f"{p50[name][query] * 1000:10.1f}" for name in (small, large))
            cells += f"{p50[large][query] / p50[small][query]:7.2f}"
            cells += "".join(f"{p50[name][query] * 1000:10.1f}" for name in (small_a, large_a))
            cells += f"{p50[large_a][query] / p50[small_a][query]:7.2f}"
            (ha, ta), (hb, tb) = found[small][query], found[large][query]
            print(f"  {kind:<15} {pad(query, 26)}{cells}  {ha} {ta} → {hb} {tb}")
        every = {name: sorted(v for vs in latency[name].values() for v in vs) for name in names}
        p50_all = {name: percentile(every[name], 50) for name in names}
        p99_all = {name: percentile(every[name], 99) for name in names}
        for label, stat in (("all queries p50", p50_all), ("all queries p99", p99_all)):
            cells = "".join(f"{stat[name] * 1000:10.1f}" for name in (small, large))
            cells += f"{stat[large] / stat[small]:7.2f}"
            cells += "".join(f"{stat[name] * 1000:10.1f}" for name in (small_a, large_a))
            cells += f"{stat[large_a] / stat[small_a]:7.2f}"
            print(f"  {label:<42}{cells}")
        print(
            "  (+A: the same database after a fresh ANALYZE; glossary init and import run one themselves,"
            " so only a --workdir built before they did shows a difference)"
        )

    floor = rates.get("health", float("nan"))
    term_share = rates.get("term", float("nan")) / floor
    scale = p50_all[large] / p50_all[small]
    scale_a = p50_all[large_a] / p50_all[small_a]
    search_share, annotate_share = rates.get("search", 0) / floor, rates.get("annotate", 0) / floor
    print("ratios:")
    print(
        f"  term lookup vs health floor:  {term_share:6.0%} of its req/s  (target >= 50%)  {verdict(term_share >= 0.5)}"
    )
    print(f"  search, annotate vs floor:    {search_share:6.0%}, {annotate_share:.1%} of its requests/s")
    print(f"  search p50, {large} vs {small} terms: {scale:8.2f}x  (target <= 2x)  {verdict(scale <= 2)}")
    print(f"  search p99, {large} vs {small} terms: {p99_all[large] / p99_all[small]:8.2f}x")
    print(f"  after ANALYZE, p50 {large} vs {small}: {scale_a:8.2f}x  (diagnostic)")


if __name__ == "__main__":
    main()
