"""Backing up the corpus documents and restoring them: the same documents, the same occurrences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.cli.corpus import corpus_group
from glossary.models import Document, Occurrence, Term
from glossary.services import corpus, corpus_backup
from glossary.services.errors import Invalid

DOCS = [
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。", "title_en": "Report (speaker: Zhou Enlai)"},
    {"file": "s2014.txt", "date": "2014-04", "kind": "speech", "text": "維護國家安全。" + filler(3, 993),
     "source_repo": "example/repo", "source_path": "a/b.txt", "license_note": "official"},
    {"file": "l2014.txt", "date": "2014", "kind": "law", "text": "保障自主权和国家主权。" + filler(4, 989),
     "original_url": "https://example.org/law"},
    {"file": "l2014-part.txt", "date": "2014", "kind": "law",
     "text": ("保障自主权和国家主权。" + filler(4, 989))[:800]},
]  # fmt: skip
DOCUMENT_FIELDS = ("file", "title", "title_en", "date", "sort_date", "year", "kind", "language", "issuer", "source",
                   "copyright", "license_note", "extra", "chars", "sha256", "text", "folded", "imported")  # fmt: skip


@pytest.fixture
def library(session, tmp_path):
    for simplified in ("国家安全", "总体国家安全观", "主权"):
        make_term(session, simplified, simplified)
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS, ("original_url",)))
    assert report.documents == 4 and report.overlaps  # the part of the law is flagged
    return session


def _documents(session) -> list[tuple]:
    session.rollback()  # a fresh snapshot: a CLI command committed in its own session
    rows = session.scalars(sa.select(Document).order_by(Document.id)).all()
    by_id = {d.id: d.file for d in rows}
    return [(*(getattr(d, f) for f in DOCUMENT_FIELDS), by_id.get(d.overlaps_id)) for d in rows]


def _occurrences(session) -> set[tuple]:
    session.rollback()
    query = sa.select(Term.slug, Document.file, Occurrence.start, Occurrence.end, Occurrence.surface, Occurrence.nested)
    return set(session.execute(query.join(Term).join(Document)).all())


def _empty(session) -> None:
    session.execute(sa.delete(Document))
    session.commit()
    assert not _occurrences(session)


def test_a_backup_restores_the_same_documents_and_occurrences(library, tmp_path: Path) -> None:
    session = library
    documents, occurrences = _documents(session), _occurrences(session)
    assert occurrences
    lines = list(corpus_backup.export_lines(session))
    assert json.loads(lines[0]) == {"format": "glossary-documents/1", "documents": 4} and len(lines) == 5
    _empty(session)
    report = corpus_backup.restore(session, lines, "backup.jsonl")
    assert (report.documents, report.errors, len(report.overlaps)) == (4, [], 1)
    assert _documents(session) == documents  # metadata, provenance, text, checksum, import time, overlap
    assert _occurrences(session) == occurrences
    again = corpus_backup.restore(session, lines, "backup.jsonl")
    assert (again.documents, again.skipped) == (0, 4)  # idempotent


def test_the_cli_backs_up_to_a_file_and_restores_from_it(library, tmp_path: Path) -> None:
    session = library
    documents, occurrences = _documents(session), _occurrences(session)
    runner = CliRunner()
    target = tmp_path / "documents.jsonl"
    exported = runner.invoke(corpus_group, ["export", str(target)])
    assert exported.exit_code == 0, exported.output
    assert exported.stderr == f"4 documents backed up to {target}\n"
    to_stdout = runner.invoke(corpus_group, ["export", "-"])
    assert to_stdout.stdout.encode() == target.read_bytes()
    _empty(session)
    restored = runner.invoke(corpus_group, ["import-backup", str(target)])
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith("4 documents, ")
    assert _documents(session) == documents and _occurrences(session) == occurrences


def test_bad_backups_are_named_line_by_line_and_the_good_documents_restored(library, tmp_path: Path) -> None:
    session = library
    lines = list(corpus_backup.export_lines(session))
    good = json.loads(lines[1])
    _empty(session)
    with pytest.raises(Invalid, match=r"^b.jsonl: not a document backup \(its first line must be"):
        corpus_backup.restore(session, lines[1:], "b.jsonl")
    bad = [
        lines[0],
        "{not json\n",
        json.dumps({k: v for k, v in good.items() if k != "text"}) + "\n",
        json.dumps(good | {"file": "x.txt", "kind": "poem"}) + "\n",
        json.dumps(good | {"file": "y.txt", "date": "1954-13"}) + "\n",
        json.dumps(good | {"file": "z.txt", "sha256": "abc"}) + "\n",
        json.dumps(good | {"file": "w.txt", "colour": "red"}) + "\n",
        json.dumps(good | {"file": "v.txt", "imported": "2026-12-03T10:00:00"}) + "\n",
        b'{"file": "\xff"}\n',
        lines[1],
        json.dumps(good | {"file": "again.txt"}) + "\n",  # the same text under another name
    ]
    report = corpus_backup.restore(session, bad, "b.jsonl")
    assert report.errors == [
        "b.jsonl line 2: not JSON",
        "b.jsonl line 3 (r1954.txt): missing or not text: text",
        "b.jsonl line 4 (x.txt): unknown kind 'poem'; use one of " + ", ".join(corpus.DOCUMENT_KINDS),
        "b.jsonl line 5 (y.txt): date '1954-13' is not a real date",
        "b.jsonl line 6 (z.txt): sha256 'abc' is not 64 lowercase hex digits",
        "b.jsonl line 7 (w.txt): unknown field(s) colour",
        "b.jsonl line 8 (v.txt): imported '2026-12-03T10:00:00' has no time zone",
        "b.jsonl line 9: not UTF-8",
        "b.jsonl line 11 (again.txt): duplicate: the same text is document "
        f"{session.scalar(sa.select(Document.id))} (r1954.txt)",
    ]
    assert [d[0] for d in _documents(session)] == ["r1954.txt"]
    result = CliRunner().invoke(corpus_group, ["import-backup", str(write_lines(tmp_path / "b.jsonl", bad))])
    assert result.exit_code == 1 and "error: b.jsonl line 2: not JSON" in result.stderr


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join(line if isinstance(line, bytes) else line.encode() for line in lines))
    return path
