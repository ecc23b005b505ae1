"""First-use records with a basis and a scope, the review of them against the corpus, and the
editor's confirmation of an attested first use."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_source, make_term

from glossary.formats import FormatError
from glossary.formats.glossary1 import FIRST_USE_SCOPES, schema, validate_term
from glossary.models import Term
from glossary.services import corpus
from glossary.services.errors import Invalid, NotFound
from glossary.services.first_use_review import record_attested, review
from glossary.services.representation import term_to_dict

DOCS = [
    {"file": "gwr-1990.txt", "date": "1990-03-20", "kind": "government-work-report",
     "text": "世界多极化趋势。" + filler(1, 400)},
    {"file": "cr-1992.txt", "date": "1992-10-12", "kind": "congress-report", "text": "世界多极化。" + filler(2, 400)},
    {"file": "cr-2017.txt", "date": "2017-10-18", "kind": "congress-report",
     "text": "统筹发展和安全。世界多极化。" + filler(3, 400)},
]  # fmt: skip


def test_the_schema_names_the_scopes_the_code_knows() -> None:
    fu = schema()["$defs"]["first_use"]
    assert fu["properties"]["scope"]["oneOf"][0]["enum"] == list(FIRST_USE_SCOPES)


def test_an_attested_first_use_needs_its_source_and_excerpt() -> None:
    with pytest.raises(FormatError, match="excerpt"):
        validate_term({"simplified": "甲乙", "first_use": {"date": "2017", "basis": "attested", "source": "x"}})
    with pytest.raises(FormatError, match="scope"):
        validate_term({"simplified": "甲乙", "first_use": {"date": "2017", "scope": "everywhere"}})
    validate_term({"simplified": "甲乙", "first_use": {"date": "2017", "scope": "party-congress-reports"}})


@pytest.fixture
def library(session, tmp_path):
    make_source(session, id="s1", title="A study")
    make_term(session, "世界多极化", "multipolarity",
              first_use={"date": "1992-10-12", "source": "s1", "scope": "party-congress-reports"})  # fmt: skip
    make_term(session, "统筹发展和安全", "coordinate development and security",
              first_use={"date": "2020-10", "source": "s1"})  # fmt: skip
    make_term(session, "主权", "sovereignty")
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).errors == []
    return session


def test_a_record_defaults_to_asserted_and_keeps_its_scope(library) -> None:
    term = library.scalar(sa.select(Term).where(Term.simplified == "世界多极化"))
    assert term_to_dict(term)["first_use"] == {  # empty fields are left out, as export writes them
        "date": "1992-10-12", "source": "s1", "basis": "asserted", "scope": "party-congress-reports",
    }  # fmt: skip


def test_review_checks_each_record_against_the_documents_of_its_scope(library) -> None:
    found = review(library)
    # 1992 is right for Party Congress reports, though a 1990 Government Work Report has it
    assert [i["simplified"] for i in found["contradicted"]] == ["统筹发展和安全"]
    (item,) = found["contradicted"]
    assert item["earliest"]["date"] == "2017-10-18" and item["scope_stated"] is False
    assert found["undated"] == []  # 主权 is in no document


def test_confirming_records_an_attested_first_use_with_its_sentence(library) -> None:
    term = record_attested(library, "tongchou-fazhan-he-anquan", "official-documents", "editor")
    library.commit()
    fu = term_to_dict(term)["first_use"]
    assert (fu["date"], fu["basis"], fu["scope"], fu["source"]) == (
        "2017-10-18",
        "attested",
        "official-documents",
        "doc-cr-2017",
    )
    assert fu["excerpt"] == "统筹发展和安全。" and "confirmed by editor" in fu["note"]
    assert "as far as this corpus shows" in fu["note"]
    assert review(library)["contradicted"] == []
    wider = record_attested(library, "shijie-duojihua", "anywhere", "editor")
    assert wider.first_use_date == "1990-03-20"  # anywhere: the Government Work Report comes first


def test_bad_confirmations_are_named_and_change_nothing(library) -> None:
    with pytest.raises(Invalid, match="scope must be one of anywhere, .*, not 'everywhere'"):
        record_attested(library, "shijie-duojihua", "everywhere", "editor")
    with pytest.raises(Invalid, match="holds no documents of scope 'five-year-plans'"):
        record_attested(library, "shijie-duojihua", "five-year-plans", "editor")
    with pytest.raises(NotFound, match="主权 is not attested"):
        record_attested(library, "zhuquan", "anywhere", "editor")
    with pytest.raises(NotFound, match="no published term 'nothing'"):
        record_attested(library, "nothing", "anywhere", "editor")
    library.rollback()
    term = library.scalar(sa.select(Term).where(Term.simplified == "世界多极化"))
    assert (term.first_use_date, term.first_use_basis) == ("1992-10-12", "asserted")


def test_the_review_page_confirms_with_the_scope_chosen(client, library) -> None:
    from glossary.services.auth import create_user

    assert client.get("/review/first-use").status_code in (302, 303)
    create_user(library, "editor", "a long enough password")
    library.commit()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    login = {"csrf_token": token, "name": "editor", "password": "a long enough password"}
    assert client.post("/login", data=login).status_code == 303
    page = html.unescape(client.get("/review/first-use").text)
    assert "统筹发展和安全" in page and "scope not stated: checked as anywhere" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "slug": "tongchou-fazhan-he-anquan", "scope": "party-congress-reports"}
    done = client.post("/review/first-use", data=form)
    assert done.status_code == 303
    assert "recorded as attested (2017-10-18, first in a Party Congress report)" in html.unescape(
        client.get(done.headers["Location"]).text)  # fmt: skip
    term_page = html.unescape(client.get("/terms/tongchou-fazhan-he-anquan").text)
    assert "first in a Party Congress report — attested by" in term_page
    bad = client.post("/review/first-use", data=form | {"scope": "everywhere"})
    assert "Nothing was recorded: scope must be one of" in html.unescape(client.get(bad.headers["Location"]).text)


def test_tbx_carries_basis_scope_and_excerpt(library) -> None:
    from glossary.formats.tbx import reader, writer

    record_attested(library, "tongchou-fazhan-he-anquan", "official-documents", "editor")
    library.commit()
    from glossary.services.interchange import export_document

    doc = export_document(library)
    back = reader.read(writer.write(doc))
    (term,) = [t for t in back.document["terms"] if t["simplified"] == "统筹发展和安全"]
    assert term["first_use"]["basis"] == "attested" and term["first_use"]["scope"] == "official-documents"
    assert term["first_use"]["excerpt"] == "统筹发展和安全。"


def test_the_editor_form_keeps_an_attested_first_use_when_posted_back(app, library, client) -> None:
    from test_web_editor import PASSWORD, edit_form, sign_in

    from glossary.services.auth import create_user

    record_attested(library, "tongchou-fazhan-he-anquan", "party-congress-reports", "editor")
    create_user(library, "editor", PASSWORD)
    library.commit()
    assert sign_in(client).status_code == 303
    data = edit_form(client, "tongchou-fazhan-he-anquan")
    assert (data["first_use-basis"], data["first_use-scope"]) == ("attested", "party-congress-reports")
    assert data["first_use-excerpt"] == "统筹发展和安全。"
    assert client.post("/edit/tongchou-fazhan-he-anquan", data=data | {"action": "save"}).status_code == 303
    library.rollback()
    term = library.scalar(sa.select(Term).where(Term.simplified == "统筹发展和安全"))
    assert (term.first_use_basis, term.first_use_scope, term.first_use_excerpt) == (
        "attested", "party-congress-reports", "统筹发展和安全。")  # fmt: skip
    changed = data | {"first_use-scope": "", "first_use-basis": "asserted", "action": "save"}
    assert client.post("/edit/tongchou-fazhan-he-anquan", data=changed).status_code == 303
    library.rollback()
    term = library.scalar(sa.select(Term).where(Term.simplified == "统筹发展和安全"))
    assert (term.first_use_basis, term.first_use_scope) == ("asserted", None)


def _reference_earliest(session, term_id: int, kinds) -> tuple | None:
    """The earliest occurrence the way the review used to ask for it: one query per term."""
    from glossary.models import Document, Occurrence

    query = (
        sa.select(Document.date, Document.id, Occurrence.start, Occurrence.end)
        .join(Document, Document.id == Occurrence.document_id)
        .where(Occurrence.term_id == term_id)
        .order_by(Document.sort_date, Document.id, Occurrence.start)
        .limit(1)
    )
    return session.execute(query.where(Document.kind.in_(kinds)) if kinds else query).first()


def _doc(session, document_id: int) -> dict:
    from glossary.models import Document

    d = session.get(Document, document_id)
    return {"id": d.id, "title": d.title, "date": d.date, "kind": d.kind}


def _counting(session, run):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        return run(), statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_review_asks_once_per_scope_not_once_per_term_and_finds_the_same(library) -> None:
    from glossary.services.first_use_review import SCOPE_KINDS

    session = library
    first, few = _counting(session, lambda: review(session))
    more = {"多极化": None, "世界": {"date": "1991", "source": "s1"},
            "安全": {"date": "1980", "source": "s1", "scope": "laws"},
            "发展": {"date": "2020", "source": "s1", "scope": "government-work-reports"},
            "趋势": {"date": "1950", "source": "s1", "scope": "speeches"}}  # fmt: skip
    for simplified, first_use in more.items():
        make_term(session, simplified, simplified, **({"first_use": first_use} if first_use else {}))
    session.expire_all()
    found, many = _counting(session, lambda: review(session))
    # the same terms, with the same earliest attestations, as one query a term finds
    terms = session.scalars(sa.select(Term).where(Term.status == "published").order_by(Term.slug)).all()
    expected_contradicted, expected_undated = [], []
    for term in terms:
        kinds = SCOPE_KINDS.get(term.first_use_scope)
        row = None if kinds == () else _reference_earliest(session, term.id, kinds)
        if row is None:
            continue
        if term.first_use_date is None:
            expected_undated.append((term.slug, row[0], _doc(session, row[1]), *row[2:]))
        elif row[0][: len(term.first_use_date)] < term.first_use_date:
            expected_contradicted.append((term.slug, row[0], _doc(session, row[1]), *row[2:]))

    def got(items) -> list[tuple]:
        return [(i["slug"], *(i["earliest"][k] for k in ("date", "document", "start", "end"))) for i in items]

    assert got(found["contradicted"]) == expected_contradicted and len(expected_contradicted) >= 2
    assert got(found["undated"]) == expected_undated and expected_undated
    for item in found["contradicted"] + found["undated"]:
        x = item["earliest"]
        assert x["excerpt"][x["start"] - x["excerpt_start"] : x["end"] - x["excerpt_start"]] in (
            item["simplified"], *[m for m in ("世界", "多极化") if m in item["simplified"]])  # fmt: skip
    # eight terms in three scopes: a query per scope's earliest attestations and one for their
    # documents, not one per term; what grows is only each contradicted record's own fields
    scoped = [s for s in many if "row_number" in s.lower()]
    assert len(scoped) == len({SCOPE_KINDS.get(t.first_use_scope) for t in terms} - {()})
    assert not [s for s in many if "occurrences.term_id = " in s]  # no query for one term's occurrences
    # what grows with more terms: a query for the earliest of each new scope, and one for their
    # documents; and the record of each new contradicted term read for display (six lazy loads)
    assert len(many) - len(few) <= 2 * (len(scoped) - 2) + 6 * (len(found["contradicted"]) - 1), (few, many)
