"""Many rows into one table at driver speed, inside the session's transaction: COPY on
PostgreSQL, multi-row INSERTs on SQLite. A bulk import writes millions of search
trigrams, where SQLAlchemy's per-row parameter handling costs more than the database's work.
Only for values the driver takes as they are (text, integers, NULL; others through bound())."""

from __future__ import annotations

import itertools
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

BULK_CACHE_MIB = 64
CHUNK = 256  # rows per SQLite INSERT statement, fewer where the columns would pass the variables' limit
# how often (s) Python offers the GIL to another thread while a Writer runs, instead of the 5 ms
# default: the writer thread's every round trip to the database (two per COPY) otherwise waited
# up to 5 ms for the GIL the main thread held preparing the next write
SWITCH_INTERVAL = 0.001


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``; a generator is taken as it goes, on
    PostgreSQL while the server stores the rows sent before) into ``table``."""
    if isinstance(rows, Sequence) and not rows:
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
    # many rows per statement: each statement's start makes SQLite's FTS5 tables (filled by
    # triggers on search_keys) write what they buffered, so a statement a row wrote a tiny FTS5
    # segment a row, four times the work of the inserts themselves. Statements of a few fixed
    # sizes only (CHUNK, then halves): sqlite3 keeps each distinct statement compiled.
    rows = rows if isinstance(rows, Sequence) else list(rows)
    cursor = driver.cursor()  # type: ignore[union-attr]
    placeholders = "(" + ", ".join("?" for _ in columns) + ")"
    variables = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # type: ignore[union-attr]
    start, size = 0, min(CHUNK, variables // len(columns))
    while start < len(rows):
        while start + size > len(rows):
            size //= 2
        values = ", ".join(itertools.repeat(placeholders, size))
        chunk = itertools.chain.from_iterable(rows[start : start + size])
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", list(chunk))
        start += size


def bound(session: Session, column: InstrumentedAttribute[Any], value: Any) -> Any:
    """``value`` as ``column``'s type binds it on the session's database (a time stamp as
    SQLite stores it, say), for insert_rows, which passes values to the driver as they are."""
    processor = column.type.bind_processor(session.get_bind().dialect)
    return processor(value) if processor else value


@contextmanager
def bulk_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache of BULK_CACHE_MIB while a bulk import writes in the session's
    transaction, then the connection's own again. With the default 2 MiB, the random inserts
    into the search keys' indexes pushed changed pages out to the write-ahead log and read them
    back, a third of a 50,000-term import's time (py-spy: pwrite and pread)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_MIB * 1024}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


def allocate_ids(session: Session, table: str, n: int) -> list[int]:
    """``n`` ids for new rows of ``table`` (an integer ``id`` key), so their children can be
    written without reading the ids back: from the column's sequence on PostgreSQL, which
    concurrent writers share; on SQLite the ids after the largest, which nobody else can take
    while this transaction holds the write lock (services.terms.begin_write)."""
    if n == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # the sequence looked up once: pg_get_serial_sequence is only stable, so in the select
        # list it ran its catalogue lookups for every row (3.3 of a 50,000-term import's 60 s)
        lookup = "SELECT pg_get_serial_sequence(:table, 'id')::regclass::oid"
        sequence = session.scalar(sa.text(lookup), {"table": table})
        query = "SELECT nextval(CAST(:sequence AS oid)) FROM generate_series(1, :n)"
        return list(session.scalars(sa.text(query), {"sequence": sequence, "n": n}))
    last = session.scalar(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}"))
    return list(range(last + 1, last + 1 + n))


class Writer:
    """One write at a time in a thread of its own while the caller prepares the next, so that
    the database works (the PostgreSQL server, or SQLite without the GIL) while Python does,
    instead of each waiting for the other. Only the writer's thread uses the session from
    submit() until wait() has returned. Leaving the context waits for the write in flight, so
    nobody rolls the session back under it; its error is raised unless another is already on
    its way (the caller rolls back either way). ``threaded=False`` writes at once, in the
    caller's thread: where the writes are mostly Python, a thread only contends for the GIL."""

    def __init__(self, name: str, threaded: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) if threaded else None
        self._writing: Future[object] | None = None  # the write in flight, if any
        self._exit = ExitStack()

    def __enter__(self) -> Writer:
        if self._pool is not None:
            self._exit.enter_context(_fast_switches())
        return self

    def __exit__(
        self, _kind: type[BaseException] | None, error: BaseException | None, _tb: TracebackType | None
    ) -> None:
        try:
            self.wait()
        except Exception:
            if error is None:
                raise
        finally:
            self._exit.close()
            if self._pool is not None:
                self._pool.shutdown()

    def submit(self, write: Callable[..., object], *args: Any) -> None:
        """Wait for the write in flight (raising its error), then start this one."""
        self.wait()
        if self._pool is None:
            write(*args)
        else:
            self._writing = self._pool.submit(write, *args)

    def wait(self) -> None:
        """Wait for the write in flight, if any (its error, if it failed): then the caller may
        use the session."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()


_switching = threading.Lock()
_writing = [0, 0.0]  # Writers running in this process, and the switch interval before the first


@contextmanager
def _fast_switches() -> Iterator[None]:
    """SWITCH_INTERVAL while any Writer of this process runs, then the interval there was."""
    with _switching:
        if not _writing[0]:
            _writing[1] = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        _writing[0] += 1
    try:
        yield
    finally:
        with _switching:
            _writing[0] -= 1
            if not _writing[0]:
                sys.setswitchinterval(_writing[1])
