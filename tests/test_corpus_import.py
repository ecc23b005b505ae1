"""Corpus import: metadata, idempotence, one transaction a document, bad input, overlaps."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term
from pdfmaker import pdf_without_text

from glossary.models import Document, DocumentShingle, Occurrence, TermDocumentCount
from glossary.services import corpus
from glossary.services.errors import Invalid

SPEECH = "同志们：我们要坚持总体国家安全观，维护国家安全。" + filler(1, 400)
REPORT = "各位代表：国家安全是民族复兴的根基。" + filler(2, 400)


def _counts(session) -> tuple[int, int, int, int]:
    return tuple(
        session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Document, Occurrence, TermDocumentCount, DocumentShingle)
    )


@pytest.fixture
def terms(session) -> None:
    make_term(session, "国家安全", "national security")
    make_term(session, "总体国家安全观", "holistic approach to national security")


def test_a_directory_is_imported_with_its_metadata_extra_columns_and_occurrences(session, terms, tmp_path) -> None:
    directory = write_corpus(
        tmp_path / "c",
        [
            {"file": "a.txt", "date": "2014-04-15", "kind": "speech", "text": SPEECH, "title_zh": "讲话",
             "title_en": "Speech (15 April 2014); speaker: Xi Jinping", "source_repo": "o/r", "source_path": "p.txt",
             "license_note": "note", "original_url": "https://example.org/a"},
            {"file": "b.txt", "date": "1958-02", "kind": "government-work-report", "text": REPORT},
        ],
        extra_columns=("original_url",),
    )  # fmt: skip
    report = corpus.import_directory(session, directory)
    assert report.errors == []
    assert (report.documents, report.chars, report.occurrences) == (2, len(SPEECH) + len(REPORT), 4)
    a, b = corpus.list_documents(session)[::-1]
    assert (a.title, a.title_en, a.issuer, a.source, a.license_note) == (
        "讲话", "Speech (15 April 2014); speaker: Xi Jinping", "Xi Jinping", "o/r: p.txt", "note"
    )  # fmt: skip
    assert a.extra == {"original_url": "https://example.org/a"}
    assert (a.date, a.sort_date, a.year, a.chars, a.copyright) == ("2014-04-15", "2014-04-15", 2014, len(SPEECH),
                                                                   "official-document")  # fmt: skip
    assert (b.date, b.sort_date, b.year, b.issuer) == ("1958-02", "1958-02-00", 1958, None)
    spans = session.execute(
        sa.select(Occurrence.start, Occurrence.end, Occurrence.surface, Occurrence.nested)
        .where(Occurrence.document_id == a.id)
        .order_by(Occurrence.start, Occurrence.end)
    ).all()
    assert [tuple(s) for s in spans] == [(9, 16, "总体国家安全观", False), (11, 15, "国家安全", True),
                                         (19, 23, "国家安全", False)]  # fmt: skip


def test_a_second_import_imports_nothing_and_says_so(session, terms, tmp_path) -> None:
    directory = write_corpus(tmp_path / "c", [{"file": "a.txt", "date": "2014", "kind": "speech", "text": SPEECH}])
    assert corpus.import_directory(session, directory).documents == 1
    before = _counts(session)
    again = corpus.import_directory(session, directory)
    assert (again.documents, again.skipped, again.errors) == (0, 1, [])
    assert again.summary() == "nothing to import: all 1 documents are already in the corpus"
    assert _counts(session) == before


def test_one_file_is_imported_with_the_metadata_given(session, terms, tmp_path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text(SPEECH, "utf-8")
    meta = corpus.Metadata(file=path.name, date="2014-04", kind="speech", title="讲话", issuer="习近平")
    report = corpus.import_file(session, path, meta)
    assert (report.documents, report.occurrences, report.errors) == (1, 3, [])
    (doc,) = corpus.list_documents(session)
    assert (doc.date, doc.sort_date, doc.issuer, doc.file) == ("2014-04", "2014-04-00", "习近平", "speech.txt")
    with pytest.raises(Invalid, match="no such file"):
        corpus.import_file(session, tmp_path / "absent.txt", meta)


BAD = [
    ({"file": "x.txt", "text": "国家安全".encode("gb18030")}, "x.txt): line 1: not valid UTF-8 (byte 0)"),
    ({"file": "x.pdf", "text": pdf_without_text()}, "x.pdf): the PDF has no text layer"),
    ({"file": "x.txt", "text": None}, "x.txt): no such file in"),
    ({"file": "x.txt", "kind": "sermon"}, "x.txt): unknown kind 'sermon'; use one of congress-report,"),
    ({"file": "x.txt", "date": "2014/04/15"}, "x.txt): date '2014/04/15' is not ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"file": "x.txt", "date": "15.4.2014"}, "x.txt): date '15.4.2014' is not ISO 8601"),
    ({"file": "x.txt", "date": "2014-13"}, "x.txt): date '2014-13' is not a real date"),
    ({"file": "x.txt", "date": "2014-02-30"}, "x.txt): date '2014-02-30' is not a real date"),
    ({"file": "x.txt", "text": SPEECH}, "x.txt): duplicate: the same text is document 1 (a.txt)"),
    ({"file": "a.txt", "text": None}, "a.txt): duplicate: the file is already listed on line 2"),
    ({"file": "../a.txt", "text": None}, "../a.txt): the file column must name a file in"),
    ({"file": "x.txt", "title_zh": ""}, "x.txt): no title"),
]


@pytest.mark.parametrize(("row", "message"), BAD, ids=[m.split(": ", 1)[1][:30] for _, m in BAD])
def test_bad_input_is_one_line_naming_manifest_line_and_file_and_changes_nothing_else(
    session,
    terms,
    tmp_path,
    row: dict,
    message: str,
) -> None:
    bad = {"date": "2015-01-01", "kind": "speech", "text": "其他文本" + filler(3, 300), **row}
    docs = [{"file": "a.txt", "date": "2014", "kind": "speech", "text": SPEECH}, bad,
            {"file": "c.txt", "date": "2016", "kind": "law", "text": REPORT}]  # fmt: skip
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", docs))
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"MANIFEST.tsv line 3 ({message}"), report.errors[0]
    assert "\n" not in report.errors[0]
    assert [d.file for d in corpus.list_documents(session)] == ["a.txt", "c.txt"]
    alone = _counts(session)
    # the same corpus without the bad row leaves exactly what the import above left
    for doc in corpus.list_documents(session):
        corpus.remove_document(session, doc.id)
    corpus.import_directory(session, write_corpus(tmp_path / "d", [docs[0], docs[2]]))
    assert _counts(session) == alone


def test_a_manifest_without_required_columns_or_a_directory_without_one_is_refused(session, tmp_path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "MANIFEST.tsv").write_text("file\tdate\n", "utf-8")
    with pytest.raises(Invalid, match=r"MANIFEST.tsv: line 1: missing column\(s\) kind, title_zh$"):
        corpus.import_directory(session, tmp_path / "m")
    (tmp_path / "e").mkdir()
    with pytest.raises(Invalid, match="no MANIFEST.tsv"):
        corpus.import_directory(session, tmp_path / "e")


def test_documents_that_largely_overlap_are_flagged_whichever_comes_first(session, terms, tmp_path) -> None:
    long = "国家安全" + filler(10, 3000)
    short = long[:2000] + filler(11, 300)  # 2000 of its 2300 characters are in the long one
    other = "国家安全" + filler(12, 3000)
    docs = [{"file": "short.txt", "date": "2018", "kind": "law", "text": short},
            {"file": "long.txt", "date": "2018", "kind": "law", "text": long},
            {"file": "other.txt", "date": "2018", "kind": "law", "text": other}]  # fmt: skip
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", docs))
    by_file = {d.file: d for d in corpus.list_documents(session)}
    assert by_file["short.txt"].overlaps_id == by_file["long.txt"].id
    assert by_file["long.txt"].overlaps_id is None and by_file["other.txt"].overlaps_id is None
    assert len(report.overlaps) == 1 and report.overlaps[0].startswith("long.txt overlaps document")
    for doc in by_file.values():
        corpus.remove_document(session, doc.id)
    corpus.import_directory(session, write_corpus(tmp_path / "d", [docs[1], docs[0]]))  # long one first
    by_file = {d.file: d for d in corpus.list_documents(session)}
    assert by_file["short.txt"].overlaps_id == by_file["long.txt"].id
    corpus.remove_document(session, by_file["long.txt"].id)  # the flag goes with the document it named
    session.expire_all()
    assert session.get(Document, by_file["short.txt"].id).overlaps_id is None


def test_removing_a_document_removes_its_occurrences_and_counts(session, terms, tmp_path) -> None:
    docs = [{"file": "a.txt", "date": "2014", "kind": "speech", "text": SPEECH}]
    corpus.import_directory(session, write_corpus(tmp_path / "c", docs))
    (doc,) = corpus.list_documents(session)
    corpus.remove_document(session, doc.id)
    assert _counts(session) == (0, 0, 0, 0)
    with pytest.raises(corpus.NotFound, match="no document 999"):
        corpus.remove_document(session, 999)


def test_an_interrupted_import_leaves_no_part_of_a_document_and_the_next_run_completes_it(
    session,
    terms,
    tmp_path,
) -> None:
    docs = [
        {"file": f"{i}.txt", "date": "2014", "kind": "speech", "text": SPEECH + filler(20 + i, 50)} for i in range(3)
    ]
    directory = write_corpus(tmp_path / "c", docs)
    done = []

    def interrupt(n: int) -> None:
        done.append(n)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        corpus.import_directory(session, directory, interrupt)
    session.rollback()
    documents, occurrences, counts, shingles = _counts(session)
    assert occurrences == 3 * documents and counts == 2 * documents  # whole documents or none
    report = corpus.import_directory(session, directory)
    assert report.documents + report.skipped == 3 and report.errors == []
    assert _counts(session)[:3] == (3, 9, 6)


def test_an_upload_is_imported_or_refused_with_its_reason(session, terms) -> None:
    meta = corpus.Metadata(file="up.html", date="2020-01-02", kind="article", title="报道")
    page = f"<html><body><p>{SPEECH}</p></body></html>".encode()
    document, report = corpus.import_upload(session, meta, page)
    assert document is not None and document.text.strip() == SPEECH and report.occurrences == 3
    assert corpus.import_upload(session, meta, page)[0] is None  # the same file again: already there
    with pytest.raises(Invalid, match=r"^scan.pdf: the PDF has no text layer"):
        corpus.import_upload(session, corpus.Metadata(file="scan.pdf", date="2020", kind="article", title="T"),
                             pdf_without_text())  # fmt: skip
    with pytest.raises(Invalid, match=r"^x.txt: date '2020-1-2' is not ISO 8601"):
        corpus.import_upload(session, corpus.Metadata(file="x.txt", date="2020-1-2", kind="article", title="T"), b"a")


@pytest.mark.slow
def test_the_corpus_shipped_in_the_repository_imports_cleanly(session) -> None:
    """What `glossary init` loads: 100 official documents, no errors, the amendment flagged."""
    from glossary.cli.corpus import DEFAULT_CORPUS

    report = corpus.import_directory(session, DEFAULT_CORPUS)
    assert (report.documents, report.errors) == (100, [])
    documents = corpus.list_documents(session)
    assert {d.copyright for d in documents} == {"official-document"}
    assert sum(d.chars for d in documents) == report.chars > 1_800_000
    assert [d.file for d in documents if d.overlaps_id] == ["2018-03-11_law_constitution-amendment-2018.txt"]
