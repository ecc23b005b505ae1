"""Counting rule, per-100k normalisation, attestations, trends and index freshness after term edits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import Occurrence, Term, TermDocumentCount
from glossary.services import corpus, corpus_index, corpus_queue
from glossary.services.corpus_queries import attestations, concordance, corpus_version, trends
from glossary.services.errors import Invalid, NotFound
from glossary.services.terms import TermInput, delete_term, get_term, save_term

DOCS = [
    # 1954: one report, 1000 characters, 国家安全 twice (once inside 总体国家安全观)
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。"},
    # 1958 (month only): 500 characters, nothing
    {"file": "r1958.txt", "date": "1958-02", "kind": "government-work-report", "text": filler(2, 500)},
    # 2014: a speech and a law, 2000 characters in all; 國家安全 in traditional script, 主权 inside 自主权
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "text": "維護國家安全。" + filler(3, 993)},
    {"file": "l2014.txt", "date": "2014", "kind": "law", "text": "保障自主权和国家主权。" + filler(4, 989)},
]  # fmt: skip


@pytest.fixture
def loaded(session, tmp_path):
    for simplified, gloss in [("国家安全", "national security"), ("总体国家安全观", "holistic security"),
                              ("主权", "sovereignty"), ("网络主权", "cyber sovereignty")]:  # fmt: skip
        make_term(session, simplified, gloss)
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS))
    assert report.errors == [] and report.documents == 4
    return session


def _slug(session, simplified: str) -> str:
    return session.scalar(sa.select(Term.slug).where(Term.simplified == simplified))


def _stored(session) -> set[tuple]:
    return set(
        session.execute(
            sa.select(Term.slug, Occurrence.document_id, Occurrence.start, Occurrence.end, Occurrence.nested).join(
                Term, Term.id == Occurrence.term_id
            )
        ).all()
    )


def test_counting_rule_nested_terms_count_for_both_other_scripts_count_and_word_boundaries_hold(loaded) -> None:
    security = attestations(loaded, _slug(loaded, "国家安全"))
    assert (security["occurrences"], security["documents"]) == (3, 2)  # 总体国家安全观's inner one, 國家安全
    assert attestations(loaded, _slug(loaded, "总体国家安全观"))["occurrences"] == 1
    sovereignty = attestations(loaded, _slug(loaded, "主权"))
    assert sovereignty["occurrences"] == 1  # 国家主权, not 自主权
    (line,) = sovereignty["concordance"]["items"]
    assert (line["left"], line["match"], line["right"][:1]) == ("保障自主权和国家", "主权", "。")
    assert attestations(loaded, _slug(loaded, "网络主权"))["occurrences"] == 0


def test_by_year_is_per_100k_characters_of_that_years_documents_and_years_without_documents_are_absent(loaded) -> None:
    result = attestations(loaded, _slug(loaded, "国家安全"))
    assert [(y["year"], y["occurrences"], y["documents"], y["corpus_documents"], y["chars"], y["per_100k"])
            for y in result["by_year"]] == [
        (1954, 2, 1, 1, 1000, 200.0),
        (1958, 0, 0, 1, 500, 0.0),
        (2014, 1, 1, 2, 2000, 50.0),
    ]  # fmt: skip
    corpus_figures = result["corpus"]
    assert (corpus_figures["documents"], corpus_figures["chars"]) == (4, 3500)
    assert (corpus_figures["from"], corpus_figures["to"]) == ("1954-09-23", "2014-04-15")
    assert corpus_figures["version"].startswith("4@") and corpus_figures["version"] == corpus_version(loaded)["version"]
    by_kind = attestations(loaded, _slug(loaded, "国家安全"), kind="speech")
    assert [(y["year"], y["chars"], y["per_100k"]) for y in by_kind["by_year"]] == [(2014, 1000, 100.0)]


def test_the_earliest_attestation_keeps_its_dates_precision_and_quotes_its_sentence(loaded) -> None:
    earliest = attestations(loaded, _slug(loaded, "国家安全"))["earliest"]
    assert earliest["date"] == "1954-09-23" and earliest["document"]["kind"] == "government-work-report"
    assert earliest["excerpt"] == "坚持总体国家安全观。"
    assert (earliest["start"], earliest["end"], earliest["excerpt_start"]) == (4, 8, 0)
    assert attestations(loaded, _slug(loaded, "网络主权"))["earliest"] is None


def test_the_concordance_is_paged_in_date_order_and_filtered_by_kind(loaded) -> None:
    term_id = loaded.scalar(sa.select(Term.id).where(Term.simplified == "国家安全"))
    first = concordance(loaded, term_id, per_page=2)
    assert first["total"] == 3 and [i["date"] for i in first["items"]] == ["1954-09-23", "1954-09-23"]
    assert [(i["left"], i["match"]) for i in first["items"]] == [
        ("坚持总体", "国家安全"),
        (DOCS[0]["text"][-35:-5], "国家安全"),
    ]
    second = concordance(loaded, term_id, page=2, per_page=2)
    assert [(i["match"], i["right"][:1], i["document"]["kind"]) for i in second["items"]] == [
        ("國家安全", "。", "speech")
    ]
    assert concordance(loaded, term_id, kind="law")["total"] == 0
    with pytest.raises(Invalid, match="page and per_page must be positive"):
        concordance(loaded, term_id, page=0)


def test_trends_per_100k_or_share_of_documents_for_up_to_eight_terms(loaded) -> None:
    slugs = [_slug(loaded, "国家安全"), _slug(loaded, "主权")]
    per_100k = trends(loaded, slugs)
    assert [(p["year"], p["value"]) for p in per_100k["series"][0]["points"]] == [
        (1954, 200.0),
        (1958, 0.0),
        (2014, 50.0),
    ]
    share = trends(loaded, slugs, measure="documents", since=1955)
    assert [(p["year"], p["value"], p["documents"]) for p in share["series"][1]["points"]] == [
        (1958, 0.0, 0),
        (2014, 0.5, 1),
    ]
    with pytest.raises(Invalid, match="at most 8 terms, not 9"):
        trends(loaded, slugs * 4 + slugs[:1])
    with pytest.raises(Invalid, match="measure must be one of per_100k, documents, not 'raw'"):
        trends(loaded, slugs, measure="raw")
    with pytest.raises(NotFound, match="no term 'nonesuch'"):
        trends(loaded, ["nonesuch"])


def test_flagged_overlapping_documents_are_left_out_of_figures_but_kept_in_the_concordance(session, tmp_path) -> None:
    make_term(session, "国家安全", "national security")
    long = "国家安全。" + filler(10, 3000)
    docs = [{"file": "long.txt", "date": "2018", "kind": "law", "text": long},
            {"file": "short.txt", "date": "2018", "kind": "law", "text": long[:2000]}]  # fmt: skip
    corpus.import_directory(session, write_corpus(tmp_path / "c", docs))
    result = attestations(session, _slug(session, "国家安全"))
    assert (result["occurrences"], result["documents"], result["corpus"]["documents"]) == (1, 1, 1)
    assert result["by_year"][0]["chars"] == len(long)
    assert result["concordance"]["total"] == 2


def _fully_reindexed(session) -> set[tuple]:
    corpus_index.reindex_all(session)
    return _stored(session)


def test_the_index_follows_term_creation_edits_unpublishing_and_deletion(loaded) -> None:
    session = loaded
    term = make_term(session, "自主权", "autonomy")  # created: found, and 主权 inside it now nests in it
    after_create = _stored(session)
    assert {(s, st) for s, _, st, _, _ in after_create if s == term.slug} == {(term.slug, 2)}
    assert after_create == _fully_reindexed(session)
    data = {"simplified": "自主权", "forms": [{"text": "维护国家", "tag": "zh-Hans"}], "slug": term.slug}
    save_term(session, TermInput(data, "tests", get_term(session, term.slug)))  # a form added: its documents re-read
    session.commit()
    corpus_queue.drain(session)
    after_edit = _stored(session)
    assert (term.slug, 3, 0, 4, False) in after_edit  # 維護國家 in the 2014 speech, via the new form
    assert after_edit == _fully_reindexed(session)
    save_term(session, TermInput({**data, "status": "draft"}, "tests", get_term(session, term.slug)))  # unpublished
    session.commit()
    corpus_queue.drain(session)
    assert not [row for row in _stored(session) if row[0] == term.slug]
    assert _stored(session) == _fully_reindexed(session)
    security = get_term(session, _slug(session, "国家安全"))
    security_id = security.id
    delete_term(session, security, "tests")
    session.commit()
    corpus_queue.drain(session)
    assert not session.scalar(sa.select(sa.func.count()).where(TermDocumentCount.term_id == security_id))
    assert _stored(session) == _fully_reindexed(session)


def test_an_edit_only_reads_the_documents_that_hold_the_terms_forms(loaded) -> None:
    assert corpus_index.documents_holding(loaded, ["國家安全"]) == corpus_index.documents_holding(loaded, ["国家安全"])
    holding = corpus_index.documents_holding(loaded, ["国家安全"])
    assert len(holding) == 2  # the 1954 report and the 2014 speech, not the other two
    assert corpus_index.documents_holding(loaded, ["不存在的说法"]) == set()


def test_an_edit_re_reads_only_the_documents_its_forms_touch_and_a_note_edit_none(loaded) -> None:
    from glossary.services.representation import term_to_dict

    session = loaded

    def ids_by_document() -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for occurrence_id, document_id in session.execute(sa.select(Occurrence.id, Occurrence.document_id)):
            out.setdefault(document_id, set()).add(occurrence_id)
        return out

    before = ids_by_document()
    sovereignty = get_term(session, _slug(session, "主权"))
    save_term(session, TermInput({**term_to_dict(sovereignty), "note": "a note"}, "tests", sovereignty))
    session.commit()
    assert ids_by_document() == before  # nothing re-read
    data = term_to_dict(sovereignty)
    data["forms"] = [*data.get("forms", []), {"text": "维护", "tag": "zh-Hans"}]  # in the 2014 speech only
    save_term(session, TermInput(data, "tests", sovereignty))
    session.commit()
    assert corpus_queue.drain(session).documents == 2
    after = ids_by_document()
    assert after[1] == before[1]  # the 1954 report, which holds neither 主权 nor 维护, was not re-read
    assert after[4] != before[4] and after[3] != before[3]  # the law (主权) and the speech (維護) were
    assert _stored(session) == _fully_reindexed(session)
