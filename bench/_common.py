"""Helpers shared by the HTTP benchmarks: scratch instances, the real server, a load loop.

The benchmarks measure the production path (``glossary serve``: gunicorn, gthread workers)
rather than Flask's test client, so the server always runs as a subprocess of the benchmark
on 127.0.0.1, against a scratch database under /tmp, and is stopped at the end.
"""

from __future__ import annotations

import gc
import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "20th-party-congress-report-2022.txt"
GLOSSARY = Path(sys.executable).with_name("glossary")

# The per-address rate limits (600 searches and 120 annotations a minute) would turn a load
# test from one address into a test of the limiter's 429s.  Limits stay enabled, so their
# bookkeeping is still in every request's cost, but high enough never to trigger.
UNLIMITED = "1000000 per minute"
SERVER_ENV = {
    "GLOSSARY_RATELIMIT_SEARCH": UNLIMITED,
    "GLOSSARY_RATELIMIT_ANNOTATE": UNLIMITED,
    "GLOSSARY_RATELIMIT_LOGIN": UNLIMITED,
}

# What a server log must never contain while under load ("database unavailable" is what the
# app logs when a database error became a 503; "unhandled error" precedes a 500's traceback).
LOG_ALARMS = (
    "database is locked",
    "database unavailable",
    "deadlock detected",
    "unhandled error",
    "Traceback",
    "QueuePool limit",
    "WORKER TIMEOUT",
    "[ERROR]",
)


def stop_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit, so `with Server(...)` still stops the server it started."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick); the server binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeat`` timed calls of ``fn`` (seconds), each after a garbage collection."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (p in 0–100); NaN when empty."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def corpus_text(chars: int) -> str:
    """The first `chars` characters of the 20th Party Congress report (needs ../shared)."""
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS} (needs ../shared)")
    text = CORPUS.read_text("utf-8")
    if len(text) < chars:
        text = (text * (chars // len(text) + 1))[:chars]
    return text[:chars]


@dataclass
class Instance:
    """A scratch instance directory and database URL, passed to every `glossary` subprocess."""

    path: Path
    database_url: str

    @classmethod
    def sqlite(cls, path: Path) -> Instance:
        path.mkdir(parents=True, exist_ok=True)
        return cls(path, f"sqlite:///{path / 'glossary.db'}")

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            GLOSSARY_INSTANCE_PATH=str(self.path),
            GLOSSARY_DATABASE_URL=self.database_url,
            # gunicorn ≥ 23 opens a control socket in $XDG_RUNTIME_DIR or ~/.gunicorn; a private
            # one keeps two servers (this one and anybody else's) from sharing a socket path.
            XDG_RUNTIME_DIR=str(self.path),
            **SERVER_ENV,
        )
        env.update(extra or {})
        return env

    def glossary(self, *args: str, stdin: str | None = None) -> str:
        """Run the `glossary` command on this instance; its stdout, or exit with its stderr."""
        done = subprocess.run(
            [str(GLOSSARY), *args], env=self.env(), input=stdin, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.exit(f"glossary {' '.join(args)} failed ({done.returncode}):\n{done.stderr.strip()}")
        return done.stdout

    def init(self, seed: bool = True) -> None:
        self.glossary("init", *([] if seed else ["--no-seed"]))

    def write_token(self, name: str = "bench") -> str:
        """A write-scope bearer token; the CLI prints it alone on its last line."""
        return self.glossary("token", "create", name, "--scope", "write").strip().splitlines()[-1]


class Server:
    """`glossary serve` as a subprocess, with its stderr in a log file the benchmark scans."""

    def __init__(self, instance: Instance, workers: int, log: Path, threads: int | None = None) -> None:
        self.instance = instance
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> Server:
        args = [str(GLOSSARY), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        args += ["--workers", str(self.workers)]
        if self.threads:
            args += ["--threads", str(self.threads)]
        with self.log.open("wb") as fh:
            # own session: stop() can signal the master and its workers without touching anything else
            self.process = subprocess.Popen(
                args, env=self.instance.env(), stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"server exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/health")
                if conn.getresponse().status == 200 and self._booted():
                    conn.close()
                    return self
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"server did not answer /api/v1/health within {timeout:.0f} s:\n{self.log_text()[-3000:]}")

    def _booted(self) -> bool:
        """Every worker has booted (a load test starting on one worker would skew its first seconds)."""
        return self.log_text().count("Booting worker") >= self.workers

    def stop(self) -> None:
        """SIGTERM to the gunicorn master (graceful), SIGKILL to its process group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""

    def alarms(self) -> dict[str, int]:
        """How often each alarming string appears in the server's log."""
        text = self.log_text()
        return {a: text.count(a) for a in LOG_ALARMS}

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextmanager
def scratch_dir(keep: Path | None, prefix: str) -> Iterator[Path]:
    """`keep` if given (reused between runs, left in place), else a temporary directory removed at the end."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Request:
    """One request of a load mix; `label` names the row it is counted under."""

    label: str
    method: str
    path: str
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def json_request(label: str, path: str, payload: object) -> Request:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Request(label, "POST", path, body, {"Content-Type": "application/json"})


@dataclass
class Tally:
    """Latencies and statuses per label, filled by many threads (each keeps its own, merged at the end)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def add(self, label: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(label, []).append(seconds)
        counts = self.statuses.setdefault(label, {})
        counts[status] = counts.get(status, 0) + 1

    def error(self, label: str, exc: BaseException) -> None:
        self.errors[label] = self.errors.get(label, 0) + 1
        if len(self.error_samples) < 5:
            self.error_samples.append(f"{label}: {type(exc).__name__}: {exc}")

    def merge(self, other: Tally) -> None:
        for label, values in other.latencies.items():
            self.latencies.setdefault(label, []).extend(values)
        for label, counts in other.statuses.items():
            mine = self.statuses.setdefault(label, {})
            for status, n in counts.items():
                mine[status] = mine.get(status, 0) + n
        for label, n in other.errors.items():
            self.errors[label] = self.errors.get(label, 0) + n
        self.error_samples += other.error_samples[: 5 - len(self.error_samples)]

    def count(self, label: str) -> int:
        return len(self.latencies.get(label, []))

    def with_status(self, predicate: Callable[[int], bool]) -> int:
        return sum(n for counts in self.statuses.values() for status, n in counts.items() if predicate(status))


class Client:
    """One keep-alive HTTP/1.1 connection; a failed request is an error, never silently retried."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def send(self, req: Request) -> tuple[int, bytes, http.client.HTTPResponse]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(req.method, req.path, body=req.body, headers=dict(req.headers))
            response = self.conn.getresponse()
            body = response.read()
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, body, response

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_load(
    port: int,
    connections: int,
    seconds: float,
    pick: Callable[[int, int], Request],
    max_requests: int | None = None,
    pace: float = 0.0,
) -> tuple[Tally, float]:
    """Closed-loop load: `connections` threads, each on its own keep-alive connection, send
    pick(thread, i) back to back until `seconds` pass or `max_requests` are done in all.
    `pace` > 0 makes each connection a client that keeps within a request limit: its requests
    start at least `pace` seconds apart, and after an answer with Retry-After it waits that long.

    Returns the merged tally and the wall time the loop took (for requests per second).
    """
    stop_at = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests) if max_requests else None
    tallies = [Tally() for _ in range(connections)]
    start = threading.Barrier(connections + 1)

    def worker(n: int) -> None:
        client = Client(port)
        tally = tallies[n]
        start.wait()
        i = 0
        while time.monotonic() < stop_at and (budget is None or budget.acquire(blocking=False)):
            req = pick(n, i)
            i += 1
            t0 = time.perf_counter()
            wait = pace
            try:
                status, _, response = client.send(req)
            except Exception as exc:  # every failure counts as a connection error, then a new connection
                tally.error(req.label, exc)
            else:
                tally.add(req.label, status, time.perf_counter() - t0)
                if pace and (retry := response.getheader("Retry-After", "")).isdigit():
                    wait = max(wait, float(retry))
            if wait:
                time.sleep(max(0.0, min(wait - (time.perf_counter() - t0), stop_at - time.monotonic())))
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, wall


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"
