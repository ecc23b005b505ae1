"""The SQLAlchemy engine for a database URL, with the SQLite settings the service relies on.

Apart from the Flask extensions, so that a command that only reads the glossary (`glossary
annotate`) can open the database without importing Flask."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .config import DEFAULT_LOCK_WAIT_MS


def _sqlite_setup(engine: sa.Engine, lock_wait_ms: int) -> None:
    """WAL, a busy timeout and foreign keys; explicit BEGIN so writers can take the lock up front."""

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(lock_wait_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, lock_wait_ms: int = DEFAULT_LOCK_WAIT_MS, **options: Any) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": lock_wait_ms / 1000}, **options)
        _sqlite_setup(engine, lock_wait_ms)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=10)
