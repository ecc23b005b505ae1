"""The command line's annotator, kept in the instance folder between processes.

`glossary annotate` is timed as a whole process (bench/annotate_cli.py), and building its
annotator cost more than annotating: importing SQLAlchemy and the models (0.5 s of CPU), the
query and the build (0.1 s for the seed, seconds for 100,000 terms). So the built annotator is
pickled into the instance folder under a key, and a process whose key matches loads it in
milliseconds, reading the key from SQLite with the standard library alone.

The key is everything the annotator is made from: the database (its URL), its schema revision,
the glossary version with the time it was raised (so a database restored to an older version
and written again is not mistaken for the one stored), and the code (the engine's source and
data files, this layer's, and the versions of Python and the libraries the pickle holds objects
of). Anything else — a different key, a damaged or foreign file — means a rebuild, written to a
temporary file and renamed over the old one, so concurrent commands never read half a file and
the last writer wins. The file is as trusted as the database beside it: it is written only by
this module, readable by its owner alone (mkstemp's 0600), in the folder that holds the secret
key.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sqlite3
import sys
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..text.annotate import Annotator
from ..text.dictionary import write_atomically
from ..text.segment import Segmenter

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

FORMAT = 1  # bump when what the file holds changes in a way the code signature does not show
MAGIC = b"glossary-annotator\n"
SEGMENTER = "segmenter"  # the pickle's reference to the segmenter, which the loader supplies
_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///([^?]+)")  # a plain SQLite file URL, no options
_VERSION = "SELECT version, updated FROM glossary_state WHERE id = 1"
_SCHEMA = "SELECT version_num FROM alembic_version"
_LIBRARIES = ("numpy", "ahocorasick_rs", "opencc-python-reimplemented", "jieba")


@cache
def code_signature() -> str:
    """What the stored annotator's code is: the engine's source and data files and those that
    make its entries, byte for byte, and the versions of Python and of the libraries it holds
    objects of."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}".encode())
    for name in _LIBRARIES:
        digest.update(f"|{name}={version(name)}".encode())
    package = Path(__file__).resolve().parent.parent
    # the engine, and what turns terms into its entries (which gloss is preferred, renderings' order)
    entries = [package / "services" / name for name in ("annotation.py", "representation.py")]
    files = sorted((package / "text").iterdir()) + entries + [package / "models" / "term.py", Path(__file__)]
    for path in files:
        if path.is_file() and path.suffix in (".py", ".txt", ".json"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(url: str, schema: object, version: object, updated: object) -> bytes:
    return f"{code_signature()}|{url}|{schema}|{version}|{updated}".encode()


def sqlite_key(url: str) -> bytes | None:
    """The key of the glossary in a SQLite file, read with the standard library (no SQLAlchemy);
    None for any other database, or when the file cannot be read as a glossary (the caller then
    opens it the usual way, and reports what is wrong as it always has)."""
    found = _SQLITE_FILE.fullmatch(url)
    if found is None:
        return None
    path = Path(found.group(1)).resolve()
    try:
        # mode=rw: never create a missing file; one read transaction for both rows
        connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")
        (schema,) = connection.execute(_SCHEMA).fetchone() or (None,)
        version, updated = connection.execute(_VERSION).fetchone() or (0, None)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return _key(url, schema, version, updated)


def session_key(session: Session, url: str) -> bytes:
    """The same key, read through the session (any database), in its transaction."""
    import sqlalchemy as sa

    schema = session.execute(sa.text(_SCHEMA)).scalar()
    row = session.execute(sa.text(_VERSION)).one_or_none()
    version, updated = (row[0], row[1]) if row is not None else (0, None)
    if isinstance(updated, str) or updated is None:
        return _key(url, schema, version, updated)
    return _key(url, schema, version, updated.isoformat(sep=" "))


def store_path(folder: Path, url: str) -> Path:
    """One file per database: two databases used from one instance folder do not evict each other."""
    return folder / f"annotator-{hashlib.sha256(url.encode()).hexdigest()[:12]}.pickle"


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> str | None:
        return SEGMENTER if isinstance(obj, Segmenter) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, segmenter: Segmenter) -> None:
        super().__init__(file)
        self._segmenter = segmenter

    def persistent_load(self, pid: Any) -> Segmenter:
        if pid != SEGMENTER:
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._segmenter


def load(path: Path, key: bytes, segmenter: Segmenter) -> Annotator | None:
    """The annotator stored under ``key``, or None (no file, another key, a damaged file)."""
    import io

    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = MAGIC + hashlib.sha256(key).digest()
    if not data.startswith(header):
        return None
    try:
        annotator = _Unpickler(io.BytesIO(memoryview(data)[len(header) :]), segmenter).load()
    except Exception:  # a file cut short or written by other code: rebuild rather than fail
        return None
    return annotator if isinstance(annotator, Annotator) else None


def save(path: Path, key: bytes, annotator: Annotator) -> None:
    """Write the annotator under ``key`` atomically (a read-only folder only costs the next
    process a rebuild)."""
    import io

    out = io.BytesIO()
    out.write(MAGIC + hashlib.sha256(key).digest())
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(annotator)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    write_atomically(path, out.getvalue())


def stored_annotator(url: str, folder: Path, engine: Callable[[], sa.Engine]) -> Annotator:
    """The annotator for the glossary at ``url``: loaded from ``folder`` when its key matches,
    else built (opening ``engine()``) and stored for the next process. A one-off segmenter,
    which reads jieba's dictionary only as far as the text needs (services/annotation.py)."""
    segmenter = Segmenter(lazy_dictionary=True)
    path = store_path(folder, url)
    key = sqlite_key(url)
    if key is not None and (annotator := load(path, key, segmenter)) is not None:
        return annotator
    from sqlalchemy.orm import Session

    from .annotation import build_annotator

    with Session(engine()) as session:
        # the key first, then the entries, in one transaction: were a write to land between the
        # two (PostgreSQL reads each statement afresh), the file would hold a newer glossary
        # under an older key, which no later process asks for, never an older one under a newer
        key = session_key(session, url)
        if (annotator := load(path, key, segmenter)) is not None:
            return annotator
        annotator = build_annotator(session, segmenter)
    save(path, key, annotator)
    return annotator
