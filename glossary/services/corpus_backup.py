"""Back up and restore the corpus documents with the glossary (``glossary corpus export`` and
``glossary corpus import-backup``).

A backup is JSON Lines: a header ``{"format": "glossary-documents/1", "documents": N}``, then one
object per document with its metadata, provenance and licence note, the SHA-256 of the file it
was imported from, when it was imported, and its text as read from that file. Texts, not files:
a PDF or a Word file is not kept, only what was read from it, so the restore stores the text and
the recorded SHA-256 as they were (a later import of the original file is still recognised as a
duplicate). Occurrences and overlap flags are not in it: the restore computes them from the text
and the glossary as it then is, which gives the same as a re-index of the original library.
Written and read one document at a time, so memory stays bounded whatever the corpus size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document
from .corpus import Importer, ImportReport, Metadata
from .errors import Invalid

FORMAT = "glossary-documents/1"
FIELDS = ("file", "title", "title_en", "date", "kind", "language", "issuer", "source", "copyright",
          "license_note", "extra", "sha256", "imported", "text")  # fmt: skip
REQUIRED = ("file", "title", "date", "kind", "sha256", "imported", "text")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def export_lines(session: Session) -> Iterator[str]:
    """The backup, line by line (each ends with a newline), documents in the order imported."""
    total = session.scalar(sa.select(sa.func.count(Document.id)))
    yield json.dumps({"format": FORMAT, "documents": total}) + "\n"
    query = sa.select(Document).order_by(Document.id).execution_options(yield_per=50)
    for document in session.scalars(query):
        row: dict[str, Any] = {name: getattr(document, name) for name in FIELDS}
        row["imported"] = document.imported.isoformat()
        yield json.dumps(row, ensure_ascii=False) + "\n"
        session.expunge(document)  # a text read is a text let go


def _metadata(row: dict[str, Any]) -> tuple[Metadata, str, datetime, str]:
    """The document's metadata, SHA-256, import time and text; ValueError naming what is wrong."""
    missing = [name for name in REQUIRED if not isinstance(row.get(name), str)]
    if missing:
        raise ValueError(f"missing or not text: {', '.join(missing)}")
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    if not _SHA256.fullmatch(row["sha256"]):
        raise ValueError(f"sha256 {row['sha256'][:70]!r} is not 64 lowercase hex digits")
    try:
        imported = datetime.fromisoformat(row["imported"])
    except ValueError:
        raise ValueError(f"imported {row['imported'][:40]!r} is not an ISO 8601 time") from None
    if imported.tzinfo is None:
        raise ValueError(f"imported {row['imported']!r} has no time zone")
    extra = row.get("extra") or {}
    if not isinstance(extra, dict):
        raise ValueError("extra must be an object")
    optional = {name: row.get(name) for name in ("title_en", "issuer", "source", "copyright", "license_note")}
    wrong = [name for name, value in optional.items() if value is not None and not isinstance(value, str)]
    if wrong:
        raise ValueError(f"not text: {', '.join(wrong)}")
    meta = Metadata(
        file=row["file"],
        date=row["date"],
        kind=row["kind"],
        title=row["title"],
        language=row.get("language") or "zh",
        extra=extra,
        **optional,
    )
    return meta, row["sha256"], imported, row["text"]


def restore(session: Session, lines: Iterable[bytes | str], name: str) -> ImportReport:
    """Restore the documents of a backup read line by line (``name`` is the file, for
    messages); each goes in whole or not at all, one already in the corpus is skipped, and a bad
    one gets one line naming the backup line and the document's file."""
    iterator = iter(lines)
    try:
        header = json.loads(_text(next(iterator, "")))
    except ValueError:  # UnicodeDecodeError and json.JSONDecodeError are ValueErrors
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise Invalid(f'{name}: not a document backup (its first line must be {{"format": "{FORMAT}", …}})')
    importer = Importer(session)
    for number, raw in enumerate(iterator, start=2):
        where = f"{name} line {number}"
        try:
            line = _text(raw)
        except UnicodeDecodeError:
            importer.report.errors.append(f"{where}: not UTF-8")
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            where += f" ({str(row.get('file'))[:80]})"
            meta, digest, imported, text = _metadata(row)
        except json.JSONDecodeError:
            importer.report.errors.append(f"{where}: not JSON")
            continue
        except ValueError as exc:
            importer.report.errors.append(f"{where}: {exc}")
            continue
        importer.add_text(meta, text, digest, imported, where)
    return importer.finish()


def _text(line: bytes | str) -> str:
    return line.decode("utf-8") if isinstance(line, bytes) else line
