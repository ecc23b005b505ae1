"""Rate limits that every worker shares (a database storage) and sign-in throttled per account."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from test_web_editor import PASSWORD, sign_in

from glossary.extensions import db
from glossary.ratelimit import DatabaseStorage
from glossary.services.auth import create_user

WORKER = """
import sys
sys.path.insert(0, {tests!r})
from test_web_editor import sign_in
from glossary import create_app
from glossary.extensions import db
app = create_app({{"TESTING": True, "SESSION_COOKIE_SECURE": False, "RATELIMIT_LOGIN_ACCOUNT": "1000/hour"}})
client = app.test_client()
print(" ".join(str(sign_in(client, f"guess{{i}}", "wrong password").status_code) for i in range(20)))
db.engine(app).dispose()
"""


def test_two_worker_processes_share_the_sign_in_limit(db_url, instance, monkeypatch) -> None:
    """With memory:// each gunicorn worker counted for itself: 4 workers let 37 of 80 attempts
    through. Two processes on one database (and one instance folder) now share one count."""
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_RATELIMIT_LOGIN", "10 per hour")  # a slow machine may take over a minute
    script = WORKER.format(tests=str(Path(__file__).parent))
    workers = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [code for w in workers for code in w.communicate(timeout=120)[0].split()]
    assert all(w.returncode == 0 for w in workers)
    assert len(codes) == 40 and codes.count("200") == 10 and codes.count("429") == 30


def test_the_default_storage_is_shared_not_per_worker(db_url, make_app, monkeypatch, instance) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    uri = make_app().config["RATELIMIT_STORAGE_URI"]
    assert uri == ("database://" if PG_URL else f"database+sqlite:///{instance.resolve()}/ratelimits.db")


def test_failed_sign_ins_are_limited_per_account_from_any_address(app, session, make_app) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="1000/minute", RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    addresses = [f"203.0.113.{i}" for i in range(5)]
    codes = []
    for address in addresses:
        client = limited.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        codes.append(sign_in(client, "editor", "wrong guess").status_code)
    assert codes == [200, 200, 200, 429, 429]
    client = limited.test_client()
    r = sign_in(client)  # even the right password waits for the window to end
    assert r.status_code == 429
    assert "Too many failed sign-ins for the account 'editor'; try again in" in unescape(r.get_data(as_text=True))
    assert 1 <= int(r.headers["Retry-After"]) <= 61
    assert sign_in(client, "other", "wrong guess").status_code == 200  # other accounts are untouched


def test_a_successful_sign_in_clears_the_account_count(app, session, make_app) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="1000/minute", RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    client = limited.test_client()
    assert sign_in(client, "editor", "wrong guess").status_code == 200
    assert sign_in(client).status_code == 303
    client = limited.test_client()
    assert [sign_in(client, "editor", "wrong guess").status_code for _ in range(3)] == [200, 200, 429]


@pytest.fixture
def storage_uri(tmp_path: Path) -> str:
    return f"database+sqlite:///{tmp_path}/limits.db"


def test_storage_counts_windows_across_instances(storage_uri: str) -> None:
    one, two = DatabaseStorage(storage_uri), DatabaseStorage(storage_uri)
    assert one.check() and one.get("k") == 0
    assert one.incr("k", 1) == 1 and two.incr("k", 1, amount=3) == 4 and one.get("k") == 4
    assert time.time() < two.get_expiry("k") <= time.time() + 1
    time.sleep(1.1)
    assert one.get("k") == 0 and two.incr("k", 60) == 1  # a new window starts from the cost of this hit
    two.incr("other", 60)
    one.clear("k")
    assert two.get("k") == 0 and two.get("other") == 1
    assert one.reset() == 1 and two.get("other") == 0


def test_storage_loses_no_count_under_concurrent_hits(storage_uri: str) -> None:
    storages = [DatabaseStorage(storage_uri) for _ in range(4)]

    def hit(storage: DatabaseStorage) -> None:
        for _ in range(50):
            storage.incr("busy", 60)

    threads = [threading.Thread(target=hit, args=(s,)) for s in storages for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert storages[0].get("busy") == 400


HAMMER = """
import sys
from glossary.ratelimit import DatabaseStorage
storage = DatabaseStorage({uri!r})
for n in range(50):
    try:
        storage.incr("busy", 3600)
    except Exception as exc:
        sys.exit(f"hit {{n + 1}} of 50 failed: {{str(exc).splitlines()[0]}}")
"""


def test_storage_loses_no_count_when_worker_processes_race(tmp_path: Path) -> None:
    """Four processes (gunicorn workers), each with a storage of its own, hit one counter on a
    new SQLite file: every hit is counted and none fails (the limiter would swallow the error and
    let the request through). A read-then-write storage fails this (SQLITE_BUSY_SNAPSHOT when a
    read transaction must become a write one after another process wrote)."""
    uri = f"database+sqlite:///{tmp_path}/limits.db"
    script = HAMMER.format(uri=uri)
    procs = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=300)[1].strip() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, "\n".join(e.splitlines()[-1] for e in errors if e)
    assert DatabaseStorage(uri).get("busy") == 200


def test_storage_on_the_apps_own_database(app) -> None:
    storage = DatabaseStorage("database://")
    with app.app_context():
        assert storage.incr("k", 60) == 1 and storage.incr("k", 60) == 2
        assert storage.get("k") == 2
        assert db.session.scalar(sa.text("SELECT count FROM rate_limits WHERE key = 'k'")) == 2
    assert storage.check() is False
    with pytest.raises(RuntimeError, match="database:// rate-limit storage counts in the app's database"):
        storage.get("k")


def test_storage_unreachable_reports_not_ok() -> None:
    assert DatabaseStorage("database+sqlite:////nonexistent/folder/limits.db").check() is False
