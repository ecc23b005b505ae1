"""A rate-limit storage for the limits library on a SQL database (SQLite or PostgreSQL).

limits ships in-memory, Redis, Memcached and MongoDB storages, none on SQL. In memory, every
gunicorn worker counts for itself, so 4 workers let 4 × the sign-in limit through; this storage
keeps the counters in a table that all workers share. Its URI is ``database://``, the app's own
database (the default on PostgreSQL: shared by every host that uses it; the table comes with the
migrations), or ``database+`` followed by a SQLAlchemy URL: by default on SQLite, a SQLite file of
its own in the instance folder (shared by the workers of one host, never waiting for the
glossary's write lock, the table made on first use). Each hit is one atomic upsert (INSERT … ON CONFLICT DO
UPDATE … RETURNING), so concurrent workers never lose a count. Fixed windows only (the
limiter's default strategy).
"""

from __future__ import annotations

import time
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app, has_app_context
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from .models.ratelimit import RateLimitCounter

PREFIX = "database+"
TABLE = cast(sa.Table, RateLimitCounter.__table__)  # a mapped class's table; mypy sees a FromClause
PURGE_EVERY = 1000  # hits between deletions of windows that have ended


APP_DATABASE = "database://"  # the default on PostgreSQL (config.default_storage_uri)


class DatabaseStorage(Storage):
    """Fixed-window counters in the ``rate_limits`` table."""

    STORAGE_SCHEME = [
        "database",
        "database+sqlite",
        "database+postgresql",
        "database+postgresql+psycopg",
        "database+postgresql+psycopg2",
    ]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        """``database://`` uses the engine of the app serving the request (the limiter is one
        object for every app in a process, so it holds none); a URL gets an engine of its own,
        without a pool on SQLite (a connection is cheap there, and none is left open)."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._engine: sa.Engine | None = None
        self._ready = True  # the migrations made the table in the app's database
        if uri != APP_DATABASE:
            from .database import make_engine  # WAL and a busy timeout, as for the glossary

            url = uri.removeprefix(PREFIX)
            own_file = url.startswith("sqlite")
            self._engine = make_engine(url, 5000, **({"poolclass": sa.pool.NullPool} if own_file else {}))
            self._ready = not own_file  # only a SQLite file of its own starts empty
        self._hits = 0

    @property
    def engine(self) -> sa.Engine:
        if self._engine is not None:
            return self._engine
        if not has_app_context():
            raise RuntimeError("database:// rate-limit storage counts in the app's database: use it in an app context")
        from .extensions import db

        return db.engine(current_app)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sa.exc.SQLAlchemyError

    def _begin(self, engine: sa.Engine | None = None) -> sa.Connection:
        conn = (engine or self.engine).connect()
        if not self._ready:
            with conn.begin():
                conn.execute(sa.schema.CreateTable(TABLE, if_not_exists=True))
            self._ready = True
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        engine = self.engine
        insert = (sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert)(TABLE)
        ended = TABLE.c.expires <= now
        statement = insert.values(key=key, count=amount, expires=now + expiry).on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": sa.case((ended, amount), else_=TABLE.c.count + amount),
                "expires": sa.case((ended, now + expiry), else_=TABLE.c.expires),
            },
        )
        with self._begin(engine) as conn, conn.begin():
            count = conn.execute(statement.returning(TABLE.c.count)).scalar_one()
            self._hits += 1
            if self._hits % PURGE_EVERY == 0:
                conn.execute(sa.delete(TABLE).where(TABLE.c.expires <= now))
        return int(count)

    def get(self, key: str) -> int:
        query = sa.select(TABLE.c.count).where(TABLE.c.key == key, TABLE.c.expires > time.time())
        with self._begin() as conn:
            return int(conn.execute(query).scalar() or 0)

    def get_expiry(self, key: str) -> float:
        with self._begin() as conn:
            expires = conn.execute(sa.select(TABLE.c.expires).where(TABLE.c.key == key)).scalar()
        return float(expires) if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with self._begin() as conn:
                conn.execute(sa.select(1))
        except (sa.exc.SQLAlchemyError, RuntimeError):
            return False
        return True

    def reset(self) -> int | None:
        with self._begin() as conn, conn.begin():
            return conn.execute(sa.delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with self._begin() as conn, conn.begin():
            conn.execute(sa.delete(TABLE).where(TABLE.c.key == key))
