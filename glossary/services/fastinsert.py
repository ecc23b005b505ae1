"""Many rows into one table at driver speed, inside the session's transaction: COPY on
PostgreSQL, the driver's own executemany on SQLite. A bulk import writes millions of search
trigrams, where SQLAlchemy's per-row parameter handling costs more than the database's work.
Only for columns the driver takes as they are (text, integers, NULL): no type processing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``."""
    if not rows:
        return
    connection = session.connection()
    driver = connection.connection.driver_connection
    quote = connection.dialect.identifier_preparer.quote
    table, names = quote(table), ", ".join(quote(c) for c in columns)
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    driver.cursor().executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # type: ignore[union-attr]


def allocate_ids(session: Session, table: str, n: int) -> list[int]:
    """``n`` ids for new rows of ``table`` (an integer ``id`` key), so their children can be
    written without reading the ids back: from the column's sequence on PostgreSQL, which
    concurrent writers share; on SQLite the ids after the largest, which nobody else can take
    while this transaction holds the write lock (services.terms.begin_write)."""
    if n == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        return list(session.scalars(sa.text(query), {"table": table, "n": n}))
    last = session.scalar(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}"))
    return list(range(last + 1, last + 1 + n))
