"""`glossary annotate` timed as a whole process, and POST /api/v1/annotate, against baselines
measured in the same run.

Prints, from one run on one machine (the box is shared and noisy, so compare the ratios):
  - `glossary annotate FILE > out.json` on the 20th Party Congress report repeated to 10 M
    characters, wall time of the whole process (start-up, database, dictionary, annotation,
    JSON), best and median of --runs, with the annotator the first run stored in the instance
    folder (services/annotator_store.py); the same command on an empty text (start-up alone);
    and the whole process again with the stored annotator deleted first (a changed glossary)
  - `jieba.lcut` over the same text in this process (its dictionary loaded beforehand);
    target: the whole `glossary annotate` process >= 20x faster
  - POST /api/v1/annotate of --api-chars characters (1 M) to `glossary serve` (one worker),
    against the engine's own time plus JSON encoding (annotate_text, to_dict, json_bytes) in this
    process on the same glossary; target: the request within 1.5x of that

    python bench/annotate_cli.py [--chars 10000000] [--runs 3] [--workdir /tmp/glossary-bench-cli] [--api-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import jieba
from _common import GLOSSARY, Client, Instance, Server, best_of, corpus_text, json_request, scratch_dir, stop_on_sigterm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from glossary.formats.json_text import json_bytes  # noqa: E402
from glossary.services.annotation import build_annotator  # noqa: E402
from glossary.text.languages import annotate_text  # noqa: E402


def whole_process(instance: Instance, path: Path, out: Path) -> float:
    """Wall seconds of `glossary annotate path > out`."""
    with out.open("wb") as fh:
        t0 = time.perf_counter()
        done = subprocess.run([str(GLOSSARY), "annotate", str(path)], env=instance.env(), stdout=fh, check=False)
        elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"glossary annotate {path} failed with {done.returncode}")
    return elapsed


def command_line(instance: Instance, work: Path, chars: int, runs_wanted: int) -> None:
    """The whole `glossary annotate` process on a long text, against jieba.lcut in this process."""
    text = corpus_text(chars)
    path, empty, out = work / "text.txt", work / "empty.txt", work / "out.json"
    path.write_text(text, "utf-8")
    empty.write_text("", "utf-8")
    whole_process(instance, path, out)  # warms the file cache and the engine's caches in /tmp
    runs, starts, rebuilds = [], [], []
    for _ in range(runs_wanted):  # interleaved, so that load falls on all alike
        runs.append(whole_process(instance, path, out))
        starts.append(whole_process(instance, empty, work / "empty.json"))
        for stored in work.glob("annotator-*.pickle"):
            stored.unlink()
        rebuilds.append(whole_process(instance, path, out))
    matches = out.read_bytes().count(b'"slug":') - out.read_bytes().count(b'"count":')
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    t_jieba = best_of(1, lambda: tokenizer.lcut(text))
    print(f"text: {len(text):,} characters (the 20th Party Congress report repeated), {matches:,} matches")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    best, median = min(runs), statistics.median(runs)
    print(f"glossary annotate, whole process:   best {best:6.2f} s, median {median:6.2f} s")
    start_best, start_median = min(starts), statistics.median(starts)
    print(f"glossary annotate of an empty text: best {start_best:6.2f} s, median {start_median:6.2f} s")
    rebuild_best, rebuild_median = min(rebuilds), statistics.median(rebuilds)
    print(f"glossary annotate, annotator rebuilt: best {rebuild_best:6.2f} s, median {rebuild_median:6.2f} s")
    print(f"jieba.lcut, same text:                   {t_jieba:6.2f} s")
    print(f"  whole process vs jieba.lcut: {t_jieba / best:5.1f}x faster (best), {t_jieba / median:5.1f}x (median)")
    rebuilt = f"{t_jieba / rebuild_best:5.1f}x faster (best), {t_jieba / rebuild_median:5.1f}x (median)"
    print(f"  the same, annotator rebuilt:  {rebuilt}")
    print("  (target >= 20x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=10_000_000, help="characters for the command line")
    ap.add_argument("--api-chars", type=int, default=1_000_000, help="characters for POST /api/v1/annotate")
    ap.add_argument("--runs", type=int, default=3, help="runs of each timed command")
    ap.add_argument("--workdir", type=Path, help="keep the scratch database here and reuse it next run")
    ap.add_argument("--api-only", action="store_true", help="only the POST figure (no command line, no jieba)")
    args = ap.parse_args()
    stop_on_sigterm()
    with scratch_dir(args.workdir, "glossary-bench-cli-") as work:
        instance = Instance.sqlite(work)
        if not (work / "glossary.db").exists():
            print("glossary init (seed and default corpus) …", flush=True)
        instance.init()
        if not args.api_only:
            command_line(instance, work, args.chars, args.runs)

        api_text = corpus_text(args.api_chars)
        engine = sa.create_engine(instance.database_url)
        with Session(engine) as session:
            annotator = build_annotator(session)
        # the engine as the request runs it: annotate_text, which also looks for English and the
        # other languages' renderings when the text has their scripts (one scan of a Chinese text)
        annotate_text(annotator, api_text)  # the engine's caches warm, as a serving worker's are
        t_engine = best_of(args.runs, lambda: annotate_text(annotator, api_text))
        result = annotate_text(annotator, api_text)
        t_dict = best_of(args.runs, lambda: result.to_dict("en"))
        payload = result.to_dict("en")
        t_json = best_of(args.runs, lambda: json_bytes(payload))
        engine.dispose()
        os.environ["GLOSSARY_RATELIMIT_ENABLED"] = "0"  # four 1 M-character requests a minute would hit it
        request = json_request("annotate", "/api/v1/annotate", {"text": api_text})
        with Server(instance, 1, work / "server.log") as server:
            client = Client(server.port, timeout=300)
            client.send(request)  # the worker builds its annotator and warms its caches
            posts = []
            for _ in range(args.runs):
                # after a large reply the worker hands memory back (fairness.release_memory: a full
                # gc.collect, 0.5 s) once the reply is sent; a request sent at once would wait for it.
                # gunicorn drops a connection idle for 2 s (its keepalive): each request opens its own
                client.close()
                time.sleep(2)
                t0 = time.perf_counter()
                status, body, _ = client.send(request)
                posts.append(time.perf_counter() - t0)
                if status != 200:
                    sys.exit(f"POST /api/v1/annotate: HTTP {status}: {body[:300]!r}")
            client.close()
        floor = t_engine + t_dict + t_json
        print(f"\nPOST /api/v1/annotate, {len(api_text):,} characters, {len(result.matches):,} matches:")
        print(
            f"  engine: annotate_text {t_engine:.3f} s + to_dict {t_dict:.3f} s"
            f" + json_bytes {t_json:.3f} s = {floor:.3f} s"
        )
        print(f"  request (send, parse, annotate, encode, receive; 2 s apart): best {min(posts):.3f} s")
        print(f"  request vs engine plus encoding: {min(posts) / floor:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
