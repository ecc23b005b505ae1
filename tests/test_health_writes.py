"""A database that answers reads but cannot take writes: writes say why (507 for a full disk, 503
naming read-only), and /api/v1/health checks writability instead of saying ok."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from helpers import make_term

from glossary.extensions import db


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_health_says_ok_and_writable_on_a_healthy_database(client) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["writable"] is True
    assert r.headers["Cache-Control"] == "no-store"


def test_a_read_only_database_says_so(app, session, make_app, monkeypatch, db_url, write_token) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    if PG_URL:  # every transaction read-only, as on a standby
        read_only = db_url + ("&" if "?" in db_url else "?") + "options=-c%20default_transaction_read_only%3Don"
    else:
        read_only = f"sqlite:///file:{Path(db_url.removeprefix('sqlite:///'))}?mode=ro&uri=true"
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", read_only)
    client = make_app().test_client()
    assert client.get("/api/v1/terms/网络主权").status_code == 200  # reads still work
    health = client.get("/api/v1/health")
    assert health.status_code == 503, health.get_data(as_text=True)
    body = health.get_json()
    assert (body["status"], body["database"], body["writable"]) == ("degraded", "read-only", False)
    assert ("readonly" if not PG_URL else "read-only transaction") in body["detail"] and body["terms"] == 1
    r = client.post("/api/v1/terms", json={"simplified": "共同富裕"}, headers=auth(write_token))
    assert r.status_code == 503 and r.mimetype == "application/problem+json", r.get_data(as_text=True)
    assert "read-only" in r.get_json()["detail"] and "cannot be reached" not in r.get_json()["detail"]
    assert r.headers["Retry-After"]


def _limit_pages(app) -> None:
    """Every connection of the app may not grow the database file: SQLite's max_page_count
    stands for a full disk (SQLITE_FULL, 'database or disk is full')."""

    @sa.event.listens_for(db.engine(app), "connect")
    def limit(dbapi_connection, _record) -> None:
        cur = dbapi_connection.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count={pages}")
        cur.close()

    db.engine(app).dispose()


@pytest.mark.skipif(bool(PG_URL), reason="a page-limited SQLite database stands for the full disk")
def test_a_full_disk_answers_507_and_health_says_so(app, client, session, db_url, write_token) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as raw:
        raw.execute("VACUUM")  # no free pages left to reuse
    _limit_pages(app)
    big = {"simplified": "共同富裕", "note": "长" * 200_000}
    r = client.post("/api/v1/terms", json=big, headers=auth(write_token))
    assert r.status_code == 507, r.get_data(as_text=True)
    assert r.mimetype == "application/problem+json"
    assert "disk is full" in r.get_json()["detail"] and "nothing was changed" in r.get_json()["detail"]
    health = client.get("/api/v1/health")
    assert health.status_code == 503
    assert health.get_json()["database"] == "disk full" and "page limit" in health.get_json()["detail"]
    assert client.get("/api/v1/terms/网络主权").status_code == 200
    page = client.get("/api/v1/terms?per_page=5").get_json()
    assert page["total"] == 1  # nothing half-written
