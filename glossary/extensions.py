"""Extensions created unbound and attached to an app in create_app()."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy.orm import Session, sessionmaker

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


class Database:
    """One engine per app and one session per app context (request or CLI command). Both live
    in app.extensions, so an app's engine lives exactly as long as the app."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], app.config["DATABASE_LOCK_WAIT_MS"])
        app.extensions["glossary.engine"] = engine
        app.extensions["glossary.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._close)

    @staticmethod
    def engine(app: Flask) -> sa.Engine:
        engine: sa.Engine = app.extensions["glossary.engine"]
        return engine

    @property
    def session(self) -> Session:
        from flask import current_app

        if "db_session" not in g:
            g.db_session = current_app.extensions["glossary.sessionmaker"]()
        session: Session = g.db_session
        return session

    @staticmethod
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
