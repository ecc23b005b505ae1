"""Import, list and remove corpus documents.

A directory is imported from its ``MANIFEST.tsv`` (columns ``file, date, kind, language,
title_zh, title_en, chars, source_repo, source_path, copyright, license_note``; ``file``, ``date``,
``kind`` and ``title_zh`` are required, any other column is kept in ``Document.extra``), a single
file from the metadata given with it. Each document is stored with its occurrences and overlap
flags, or not at all (a savepoint each). A document whose text (SHA-256) is already in
the corpus under the same file name is skipped, so a second run imports nothing; bad input gets
one line naming the manifest line and the file, and the other documents are imported regardless.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats import FormatError
from ..formats.documents import read_document
from ..models import DOCUMENT_KINDS, Document, utcnow
from ..text.annotate import Annotator
from ..text.fold import compact, fold
from . import corpus_aggregates, corpus_index, corpus_overlap
from .errors import Invalid, NotFound

MANIFEST = "MANIFEST.tsv"
REQUIRED = ("file", "date", "kind", "title_zh")
# manifest columns with a field of their own (chars is recomputed from the text, not stored)
KNOWN = frozenset(
    REQUIRED + ("language", "title_en", "chars", "source_repo", "source_path", "copyright", "license_note", "issuer")
)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPEAKER = re.compile(r"[;(（]\s*speaker:\s*([^;)）]+)")  # "…; speaker: Zhou Enlai" in title_en

# Documents per commit: each is imported in a savepoint of its own (a bad one leaves nothing),
# and committing them in groups spares a disk sync per document. A run cut short loses at most
# the last group, which the next run imports (documents already in are skipped).
COMMIT_EVERY = 20

Progress = Callable[[int], None]


class DocumentError(Exception):
    """One document that cannot be imported; the message names it and says why, in one line."""


@dataclass
class Metadata:
    file: str
    date: str
    kind: str
    title: str
    title_en: str | None = None
    language: str = "zh"
    issuer: str | None = None
    source: str | None = None
    copyright: str | None = None
    license_note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    documents: int = 0  # imported now
    chars: int = 0
    occurrences: int = 0
    skipped: int = 0  # already in the corpus
    overlaps: list[str] = field(default_factory=list)  # "A overlaps B (0.66)"
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        line = (
            f"{self.documents} documents, {self.chars} characters, {self.occurrences} occurrences imported"
            f" in {self.seconds:.1f} s"
        )
        if self.skipped:
            line += f"; {self.skipped} already in the corpus"
        if not self.documents and self.skipped and not self.errors:
            line = f"nothing to import: all {self.skipped} documents are already in the corpus"
        if self.errors:
            line += f"; {len(self.errors)} not imported (errors above)"
        return line


def parse_date(value: str) -> tuple[str, int]:
    """The sortable form (missing parts as 00) and year of an ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD."""
    m = _DATE.fullmatch(value)
    if m is None:
        raise DocumentError(f"date {value!r} is not ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    try:
        Date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise DocumentError(f"date {value!r} is not a real date") from None
    return f"{year}-{month or '00'}-{day or '00'}", int(year)


def check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise DocumentError(f"unknown kind {kind!r}; use one of {', '.join(DOCUMENT_KINDS)}")


def _checked(meta: Metadata) -> tuple[str, int]:
    """The sortable date and year of a document whose metadata is valid; DocumentError if not."""
    sort_date, year = parse_date(meta.date)
    check_kind(meta.kind)
    if not meta.title:
        raise DocumentError("no title")
    return sort_date, year


def _metadata(row: dict[str, str]) -> Metadata:
    values = {k: (v or "").strip() for k, v in row.items() if k is not None}
    title_en = values.get("title_en") or None
    issuer = values.get("issuer") or None
    if issuer is None and title_en and (m := _SPEAKER.search(title_en)):
        issuer = m.group(1).strip()
    repo, path = values.get("source_repo"), values.get("source_path")
    source = f"{repo}: {path}" if repo and path else (repo or path or None)
    return Metadata(
        file=values["file"],
        date=values["date"],
        kind=values["kind"],
        title=values["title_zh"],
        title_en=title_en,
        language=values.get("language") or "zh",
        issuer=issuer,
        source=source,
        copyright=values.get("copyright") or None,
        license_note=values.get("license_note") or None,
        extra={k: v for k, v in values.items() if k not in KNOWN and v},
    )


class Importer:
    """Imports documents one transaction each, with one annotator for the whole run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.report = ImportReport()
        self._built: tuple[Annotator, dict[str, int]] | None = None
        self._years: set[int] = set()  # years whose aggregates this run's documents changed
        self._pending = 0  # documents imported since the last commit
        self._started = time.perf_counter()

    def _annotator(self) -> tuple[Annotator, dict[str, int]]:
        if self._built is None:
            self._built = corpus_index.corpus_annotator(self.session)
        return self._built

    def add(self, meta: Metadata, data: bytes, where: str) -> Document | None:
        """Import one document inside a savepoint of its own; a problem rolls back that savepoint
        only and is recorded in the report as one line starting with ``where``. Returns the
        document, or None when skipped or refused."""
        return self._savepoint(lambda: self._add(meta, data), meta, where)

    def _savepoint(self, add: Callable[[], Document | None], meta: Metadata, where: str) -> Document | None:
        savepoint = self.session.begin_nested()
        try:
            document = add()
        except (DocumentError, FormatError) as exc:
            savepoint.rollback()
            message = str(exc)
            if isinstance(exc, FormatError) and message.startswith(f"{meta.file}: "):
                message = message[len(meta.file) + 2 :]  # where already names the file
            self.report.errors.append(f"{where}: {message}")
            return None
        savepoint.commit()
        self._pending += document is not None
        if self._pending >= COMMIT_EVERY:
            self._commit()
        return document

    def _commit(self) -> None:
        """Commit the documents added so far with their years' aggregates."""
        corpus_aggregates.refresh(self.session, self._years)
        self._years.clear()
        self.session.commit()
        self._pending = 0

    def _add(self, meta: Metadata, data: bytes) -> Document | None:
        sort_date, year = _checked(meta)
        digest = hashlib.sha256(data).hexdigest()
        if self._known(meta, digest):
            return None
        return self._store(meta, read_document(meta.file, data), digest, sort_date, year, utcnow())

    def add_text(self, meta: Metadata, text: str, digest: str, imported: datetime, where: str) -> Document | None:
        """Restore one document from a backup (services.corpus_backup): its text as once read
        from its file, that file's SHA-256 and its import time, in a savepoint of its own like
        :meth:`add`."""

        def restore() -> Document | None:
            sort_date, year = _checked(meta)
            if self._known(meta, digest):
                return None
            return self._store(meta, text, digest, sort_date, year, imported)

        return self._savepoint(restore, meta, where)

    def _known(self, meta: Metadata, digest: str) -> bool:
        """True if this very file is in the corpus already (skipped); the same text under another
        name is an error."""
        existing = self.session.execute(sa.select(Document.id, Document.file).where(Document.sha256 == digest)).first()
        if existing is None:
            return False
        if existing.file == meta.file:
            self.report.skipped += 1
            return True
        raise DocumentError(f"duplicate: the same text is document {existing.id} ({existing.file})")

    def _store(self, meta: Metadata, text: str, digest: str, sort_date: str, year: int, imported: datetime) -> Document:
        folded = compact(fold(text)).text
        document = Document(
            file=meta.file,
            title=meta.title,
            title_en=meta.title_en,
            date=meta.date,
            sort_date=sort_date,
            year=year,
            kind=meta.kind,
            language=meta.language,
            issuer=meta.issuer,
            source=meta.source,
            copyright=meta.copyright,
            license_note=meta.license_note,
            extra=meta.extra,
            chars=len(text),
            sha256=digest,
            text=text,
            folded=folded,
            imported=imported,
        )
        self.session.add(document)
        self.session.flush()
        hashes = corpus_overlap.sample(folded)
        flagged = corpus_overlap.flag_overlaps(self.session, document, hashes)
        for other, containment in flagged:
            self.report.overlaps.append(f"{meta.file} overlaps document {other} ({containment:.2f})")
        self._years |= {year} | corpus_aggregates.years_of(self.session, [other for other, _ in flagged])
        corpus_overlap.store_sample(self.session, document, hashes)
        annotator, ids = self._annotator()
        occurrences = corpus_index.store(self.session, document.id, corpus_index.find(annotator, text), ids)
        self.report.documents += 1
        self.report.chars += len(text)
        self.report.occurrences += occurrences
        return document

    def finish(self) -> ImportReport:
        self._commit()
        self.report.seconds = time.perf_counter() - self._started
        return self.report


def read_manifest(directory: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each row of the directory's manifest."""
    path = directory / MANIFEST
    if not directory.is_dir():
        raise Invalid(f"{directory}: not a directory")
    if not path.is_file():
        raise Invalid(f"{directory}: no {MANIFEST} (give one, or import a single file with --date --kind --title)")
    try:
        lines = path.read_text("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise Invalid(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    return [(number, row) for number, row in enumerate(reader, start=2) if any((v or "").strip() for v in row.values())]


def import_directory(session: Session, directory: Path, progress: Progress | None = None) -> ImportReport:
    """Import every document the directory's manifest lists (see the module docstring)."""
    rows = read_manifest(directory)
    importer = Importer(session)
    seen: dict[str, int] = {}
    for number, row in rows:
        name = (row.get("file") or "").strip()
        where = f"{MANIFEST} line {number} ({name or 'no file'})"
        if not name or "/" in name or "\\" in name or name.startswith("."):
            importer.report.errors.append(f"{where}: the file column must name a file in {directory}")
        elif name in seen:
            importer.report.errors.append(f"{where}: duplicate: the file is already listed on line {seen[name]}")
        elif not (directory / name).is_file():
            importer.report.errors.append(f"{where}: no such file in {directory}")
        else:
            seen[name] = number
            importer.add(_metadata(row), (directory / name).read_bytes(), where)
        if progress:
            progress(1)
    return importer.finish()


def import_file(session: Session, path: Path, meta: Metadata) -> ImportReport:
    """Import one file with the metadata given for it."""
    if not path.is_file():
        raise Invalid(f"{path}: no such file")
    importer = Importer(session)
    importer.add(meta, path.read_bytes(), str(path))
    return importer.finish()


def import_upload(session: Session, meta: Metadata, data: bytes) -> tuple[Document | None, ImportReport]:
    """Import an uploaded file (an API or web form): the document (None when that very file is
    already in the corpus) and the report; bad input raises Invalid with the one-line reason."""
    importer = Importer(session)
    document = importer.add(meta, data, meta.file)
    report = importer.finish()
    if report.errors:
        raise Invalid(report.errors[0])
    return document, report


def manifest_size(directory: Path) -> int:
    return len(read_manifest(directory))


def list_documents(session: Session, kind: str | None = None, year: int | None = None) -> list[Document]:
    query = sa.select(Document).order_by(Document.sort_date, Document.id)
    if kind:
        query = query.where(Document.kind == kind)
    if year is not None:
        query = query.where(Document.year == year)
    return list(session.scalars(query))


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"no document {document_id}")
    return document


def remove_document(session: Session, document_id: int) -> Document:
    """Delete a document with its occurrences; a document flagged as overlapping it is counted
    again (its flag is cleared by the foreign key)."""
    document = get_document(session, document_id)
    flagged = session.scalars(sa.select(Document.id).where(Document.overlaps_id == document_id))
    years = {document.year} | corpus_aggregates.years_of(session, flagged)
    session.delete(document)
    session.flush()
    corpus_aggregates.refresh(session, years)
    session.commit()
    return document
