"""`glossary serve` (gunicorn): the errors gunicorn answers itself are problem+json too."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PG_URL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    env = os.environ | {"GLOSSARY_DATABASE_URL": db_url, "GLOSSARY_INSTANCE_PATH": str(tmp_path / "instance")}
    log = (tmp_path / "serve.log").open("w")
    command = [sys.executable, "-m", "glossary.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "2"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "glossary serve did not start in 60 s"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type", ""), r.read()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(bool(PG_URL), reason="one backend is enough for the HTTP server's own errors")
def test_over_long_urls_and_headers_get_problem_json(served: int) -> None:
    import json

    status, ctype, _ = _get(served, "/api/v1/health")
    assert status == 200 and ctype.startswith("application/json")
    status, ctype, body = _get(served, "/api/v1/terms/" + "x" * 6000)
    assert (status, ctype) == (414, "application/problem+json"), body[:200]
    problem = json.loads(body)
    assert problem["status"] == 414 and "4094 bytes" in problem["detail"]
    status, ctype, body = _get(served, "/api/v1/health", {f"X-Filler-{i}": "y" for i in range(200)})
    assert (status, ctype) == (431, "application/problem+json"), body[:200]
    assert json.loads(body)["title"] == "Request Header Fields Too Large"
    assert _get(served, "/api/v1/terms/" + "x" * 3000)[0] == 404  # within the limit: the app answers
