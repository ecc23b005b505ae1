"""Faults: a killed import leaves all or nothing, backups restore exactly, and a database
that goes away answers 503 and recovers by itself."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from helpers import make_term

from glossary.extensions import db, make_engine

GLOSSARY = Path(sys.executable).with_name("glossary")


def synthetic_doc(n: int) -> dict:
    base = 0x4E00
    terms = []
    for i in range(n):
        word = "".join(chr(base + (i * 7 + k * 131) % 20000) for k in range(5))
        terms.append(
            {
                "slug": f"synthetic-{i}",
                "simplified": word,
                "pinyin": f"synthetic {i}",
                "traditional": word,
                "translations": [{"lang": "en", "text": f"synthetic term number {i}", "status": "preferred"}],
            }
        )
    return {"format": "glossary/1", "sources": [], "terms": terms}


def count_terms(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM terms")).scalar()
    engine.dispose()
    return n


def _read_progress(master: int, proc: subprocess.Popen, at_least: int, timeout: float) -> tuple[int, int]:
    """Read the import's progress line from its terminal until it reports ``at_least`` terms done
    (the import prints "import: N/TOTAL" on a terminal only, hence the pty)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            continue
        try:
            seen += os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        found = re.findall(rb"import: (\d+)/(\d+)", seen)
        if found and int(found[-1][0]) >= at_least:
            return int(found[-1][0]), int(found[-1][1])
    pytest.fail(f"the import never reported {at_least} terms done: {seen[-300:]!r}")


def _import_is_writing(url: str) -> bool:
    """Whether another connection holds an open write transaction: on SQLite the write lock (the
    import takes it with BEGIN IMMEDIATE), on PostgreSQL a transaction that has been given a
    transaction id, which happens at its first write."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sa.engine.make_url(url).database, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            conn.rollback()
            return False
        finally:
            conn.close()
    engine = make_engine(url)
    with engine.connect() as conn:
        writers = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
        ).scalar()
    engine.dispose()
    return writers == 1


def test_sigkill_during_import_leaves_all_or_nothing(db_url: str, instance: Path, tmp_path: Path) -> None:
    """Kill the import once it is demonstrably writing (progress reported, its write transaction
    open), then check that nothing of it is left and the database starts cleanly."""
    total = 1500
    path = tmp_path / "big.json"
    path.write_text(json.dumps(synthetic_doc(total), ensure_ascii=False), "utf-8")
    env = {**os.environ, "GLOSSARY_DATABASE_URL": db_url, "GLOSSARY_INSTANCE_PATH": str(instance)}
    master, slave = pty.openpty()
    proc = subprocess.Popen([GLOSSARY, "import", str(path)], env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    try:
        done, reported_total = _read_progress(master, proc, at_least=100, timeout=600)
        # the bulk path checks entries before it writes them in batches (services/bulk.py): on
        # PostgreSQL the transaction has no id until its first batch, so wait for that write
        deadline = time.monotonic() + 120
        while not (writing := _import_is_writing(db_url)) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        os.close(master)
    # the kill happened mid-write, or this test would prove nothing
    assert alive and proc.returncode == -signal.SIGKILL
    assert reported_total == total and 100 <= done < total, (done, reported_total)
    assert writing, "the import was past 100 terms but held no open write transaction"
    assert count_terms(db_url) == 0, "killed mid-import yet some terms were committed"
    init = subprocess.run([GLOSSARY, "init", "--no-seed"], env=env, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    assert not _import_is_writing(db_url)  # no transaction of the dead import lingers
    if db_url.startswith("sqlite"):
        engine = make_engine(db_url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        engine.dispose()
    small = tmp_path / "small.json"
    small.write_text(json.dumps(synthetic_doc(20), ensure_ascii=False), "utf-8")
    again = subprocess.run([GLOSSARY, "import", str(small)], env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert count_terms(db_url) == 20


def test_export_then_import_replace_restores_an_identical_glossary(
    seeded, tmp_path: Path, db_url: str, instance: Path
) -> None:
    env = {**os.environ, "GLOSSARY_DATABASE_URL": db_url, "GLOSSARY_INSTANCE_PATH": str(instance)}
    backup = tmp_path / "backup.json"
    run = lambda *a: subprocess.run([GLOSSARY, *a], env=env, capture_output=True, text=True, timeout=600)  # noqa: E731
    assert run("export", "-o", str(backup)).returncode == 0
    with seeded.app_context():  # damage: edit one, delete one, add one
        from glossary.services.terms import TermInput, delete_term, get_term, save_term

        session = db.session
        term = get_term(session, "wangluo-zhuquan")
        vandalised = {"simplified": "网络主权", "slug": "wangluo-zhuquan", "note": "vandalised"}
        save_term(session, TermInput(vandalised, "x", term))
        delete_term(session, get_term(session, "gongtong-fuyu"), "x")
        make_term(session, "新增词", "added after the backup")
    restored = run("import", str(backup), "--replace")
    assert restored.returncode == 0, restored.stderr
    after = tmp_path / "after.json"
    assert run("export", "-o", str(after)).returncode == 0
    assert after.read_bytes() == backup.read_bytes()


@pytest.mark.skipif(bool(PG_URL), reason="uses a SQLite file that disappears; the PostgreSQL variant needs a server")
def test_unreachable_database_answers_503_and_recovers(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch, template_db: str
) -> None:
    import shutil

    folder = tmp_path / "data"
    url = f"sqlite:///{folder / 'glossary.db'}"
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", url)
    client = make_app().test_client()
    for path in ("/api/v1/health", "/api/v1/terms", "/api/v1/search?q=x"):
        r = client.get(path)
        assert r.status_code == 503, path
        assert r.mimetype == "application/problem+json"
        assert "database" in r.get_json()["detail"]
        assert r.headers["Retry-After"]
    assert client.post("/api/v1/annotate", json={"text": "网络主权"}).status_code == 503
    page = client.get("/")
    assert page.status_code == 503 and b"database" in page.data
    folder.mkdir()
    shutil.copy(template_db, folder / "glossary.db")  # the database is back
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/terms").get_json()["total"] == 0


class _Proxy:
    """A TCP proxy to the PostgreSQL server, to make the database vanish and come back."""

    def __init__(self, upstream: tuple[str, object]) -> None:
        import socket

        self.upstream = upstream
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.close()
        self.server = None
        self.conns: list = []

    def start(self) -> None:
        import socket
        import threading

        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(16)
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def _accept(self, server) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            family, address = self.upstream
            upstream = socket.socket(family, socket.SOCK_STREAM)
            upstream.connect(address)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.close()

    def stop(self) -> None:
        import socket

        if self.server is not None:
            with contextlib.suppress(OSError):
                self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in its thread
            self.server.close()
            self.server = None
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
                conn.close()
        self.conns = []


@pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (GLOSSARY_TEST_DATABASE_URL)")
def test_postgresql_going_away_answers_503_and_recovers(db_url: str, make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    url = sa.engine.make_url(PG_URL)
    host = url.query.get("host") or url.host or "localhost"
    port = int(url.query.get("port") or url.port or 5432)
    if str(host).startswith("/"):
        upstream = (socket.AF_UNIX, f"{host}/.s.PGSQL.{port}")
    else:
        upstream = (socket.AF_INET, (host, port))
    proxy = _Proxy(upstream)
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={})
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", proxied.render_as_string(hide_password=False))
    client = make_app().test_client()
    try:
        r = client.get("/api/v1/terms")
        assert r.status_code == 503 and r.mimetype == "application/problem+json"
        proxy.start()
        assert client.get("/api/v1/terms").status_code == 200
        proxy.stop()  # the server vanishes under open pooled connections
        r = client.get("/api/v1/health")
        assert r.status_code == 503 and "database" in r.get_json()["detail"]
        proxy.start()
        assert client.get("/api/v1/health").status_code == 200
    finally:
        proxy.stop()


@pytest.mark.skipif(bool(PG_URL), reason="holds the SQLite write lock; PostgreSQL locks rows instead")
def test_locked_sqlite_write_answers_503_busy_and_changes_nothing(
    app, make_app, session, write_token: str, db_url: str
) -> None:
    import sqlite3

    make_term(session, "共同富裕", "common prosperity")
    client = make_app(DATABASE_LOCK_WAIT_MS=200).test_client()
    etag = client.get("/api/v1/terms/共同富裕").headers["ETag"]
    patch = lambda: client.patch(  # noqa: E731
        "/api/v1/terms/gongtong-fuyu",
        json={"note": "edited"},
        headers={"Authorization": f"Bearer {write_token}", "If-Match": etag},
    )
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        r = patch()
        assert r.status_code == 503 and r.mimetype == "application/problem+json"
        assert r.headers["Retry-After"] == "1"
        assert r.get_json()["title"] == "Database busy" and "retry" in r.get_json()["detail"]
        assert client.get("/api/v1/terms/共同富裕").get_json().get("note") is None  # reads go on (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert patch().status_code == 200  # the retry the answer asked for succeeds
    assert client.get("/api/v1/terms/共同富裕").get_json()["note"] == "edited"


@pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (GLOSSARY_TEST_DATABASE_URL)")
def test_postgresql_deadlock_is_a_write_conflict_not_an_outage(app, session) -> None:
    """A real deadlock between two transactions, as SQLAlchemy reports it to the error handler."""
    import threading

    from glossary.errors import is_write_conflict

    make_term(session, "共同富裕", "common prosperity")
    make_term(session, "网络主权", "cyber sovereignty")
    engine = db.engine(app)
    update = sa.text("UPDATE terms SET note = 'x' WHERE slug = :slug")
    errors: list[sa.exc.OperationalError] = []
    barrier = threading.Barrier(2)

    def cross(first: str, second: str) -> None:
        with engine.connect() as conn:
            try:
                conn.execute(update, {"slug": first})
                barrier.wait()
                conn.execute(update, {"slug": second})
            except sa.exc.OperationalError as exc:
                errors.append(exc)
            conn.rollback()

    threads = [
        threading.Thread(target=cross, args=pair)
        for pair in [("gongtong-fuyu", "wangluo-zhuquan"), ("wangluo-zhuquan", "gongtong-fuyu")]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(errors) == 1 and errors[0].orig.sqlstate == "40P01"
    assert is_write_conflict(errors[0])
    unreachable = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(sa.exc.OperationalError) as gone:
        unreachable.connect()
    unreachable.dispose()
    assert not is_write_conflict(gone.value)


def test_two_first_writers_on_an_empty_database_both_raise_the_version(app) -> None:
    """The version row is created by the first write; a second writer that starts before the
    first commits waits for it and then raises the version (it used to fail on PostgreSQL's
    unique index with a 503 to retry)."""
    import threading

    from glossary.models import GlossaryState
    from glossary.services.terms import bump_version, glossary_version

    make_session = app.extensions["glossary.sessionmaker"]
    with make_session() as setup:
        setup.execute(sa.delete(GlossaryState))
        setup.commit()
    first, second = make_session(), make_session()
    results: dict[str, object] = {}

    def write_second() -> None:
        try:
            results["second"] = bump_version(second)
            second.commit()
        except Exception as exc:
            results["second"] = exc
        finally:
            second.close()

    try:
        assert bump_version(first) == 1  # the row exists now, uncommitted
        thread = threading.Thread(target=write_second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive(), "the second writer should wait for the first"
        first.commit()
        thread.join(timeout=30)
    finally:
        first.close()
    assert results["second"] == 2
    with make_session() as check:
        assert glossary_version(check) == 2
