"""The new-formulation watch: spotting (pure), ranking over a small corpus, the CLI, the API, and
a draft entry made from a candidate."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.cli.corpus import corpus_group
from glossary.models import Document, Source, Term
from glossary.services import corpus
from glossary.services.corpus_candidates import candidates, draft_from_candidate, find_candidates
from glossary.services.errors import Conflict, Invalid, NotFound
from glossary.text import formulations


def test_numbered_formulas_and_what_is_not_one() -> None:
    text = "坚持两个确立，增强四个自信的决心，打好三大攻坚战。"
    text += "第三个历史决议，党的二十大精神，全国统一大市场，八百三十二个贫困县。"
    assert [p for p, _ in formulations.numbered(text)] == ["两个确立", "四个自信", "三大攻坚战"]
    phrase, at = next(formulations.numbered("要坚持两个确立"))
    assert (phrase, at) == ("两个确立", 3)


def test_quoted_phrases_in_either_kind_of_quotation_mark() -> None:
    text = "落实“爱国者治港”原则，实施「双减」，推进“一国两制”、“港人治港”，"
    text += "“x”不算，“很长很长很长很长很长很长很长很长很”也不算。"
    assert [p for p, _ in formulations.quoted(text)] == ["爱国者治港", "双减", "一国两制", "港人治港"]


def test_settle_keeps_the_longer_reading_that_carries_the_uses() -> None:
    counts = Counter({"三大攻坚": 10, "三大攻坚战": 9, "四个自信": 10, "四个自信心": 2})
    assert formulations.settle(counts) == {"三大攻坚战": 9, "四个自信": 10, "四个自信心": 2}


def test_ngrams_skip_particles_at_the_edges_and_count_only_what_is_kept() -> None:
    assert formulations.ngrams("的数字乡村了", 4) == Counter({"数字乡村": 1})  # not 的数字乡, 字乡村了
    assert formulations.ngrams("数字乡村。数字乡村", 4, keep=frozenset({"数字乡村"})) == Counter({"数字乡村": 2})


RECENT = "落实“双减”政策。坚持两个确立。数字乡村建设。坚定四个自信。"
DOCS = [
    {"file": "old.txt", "date": "2010-03-05", "kind": "government-work-report",
     "text": "扶贫开发。" * 8 + filler(1, 900)},
    {"file": "r1.txt", "date": "2023-03-05", "kind": "government-work-report",
     "text": RECENT * 2 + "扶贫开发。" + filler(2, 900)},
    {"file": "r2.txt", "date": "2024-03-05", "kind": "speech", "text": RECENT * 2 + filler(3, 900)},
    {"file": "r3.txt", "date": "2024-10", "kind": "speech", "text": "数字乡村建设。" + filler(4, 900)},
]  # fmt: skip


@pytest.fixture
def watched(session, tmp_path):
    make_term(session, "四个自信", "four matters of confidence")
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).errors == []
    return session


def test_candidates_are_new_frequent_and_not_held(watched) -> None:
    found = find_candidates(watched, "2023")
    assert (found["since"], found["recent_documents"]) == ("2023", 3)
    by_phrase = {c["phrase"]: c for c in found["items"]}
    assert by_phrase["双减"]["kind"] == "quoted" and by_phrase["两个确立"]["kind"] == "numbered"
    assert by_phrase["数字乡村建设"]["kind"] == "rising"  # grown from 数字乡村: every use has 建设
    assert "四个自信" not in by_phrase  # the glossary holds it
    assert "扶贫开发" not in by_phrase  # used less now than in 2010
    rising = by_phrase["数字乡村建设"]
    assert (rising["documents"], rising["occurrences"], rising["earlier_occurrences"]) == (3, 5, 0)
    assert rising["first_date"] == "2023-03-05"
    example = rising["example"]
    assert example["date"] == "2024-10" and example["excerpt"] == "数字乡村建设。"
    assert example["excerpt"][example["start"] : example["end"]] == "数字乡村建设"
    ranked = [c["g2"] for c in found["items"]]
    assert ranked == sorted(ranked, reverse=True)
    only = find_candidates(watched, "2023", kind="numbered")["items"]
    assert [c["phrase"] for c in only] == ["两个确立"]


def test_a_phrase_must_be_in_two_recent_documents(watched) -> None:
    found = find_candidates(watched, "2024-06")  # only r3 is recent
    assert found["recent_documents"] == 1 and found["items"] == []


def test_bad_arguments_are_named(watched) -> None:
    with pytest.raises(Invalid, match="since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not '2021-13'"):
        candidates(watched, "2021-13")
    with pytest.raises(Invalid, match="limit must be 1–200, not 0"):
        candidates(watched, None, 0)
    with pytest.raises(Invalid, match="kind must be one of numbered, quoted, rising, not 'poem'"):
        candidates(watched, None, 10, "poem")
    with pytest.raises(NotFound, match="no document is dated on or after 2030"):
        candidates(watched, "2030")


def test_an_empty_corpus_says_so(session) -> None:
    with pytest.raises(NotFound, match="the corpus holds no documents"):
        candidates(session)


def test_the_answer_follows_the_glossary(watched) -> None:
    assert "双减" in [c["phrase"] for c in candidates(watched, "2023")["items"]]
    make_term(watched, "双减", "double reduction")
    assert "双减" not in [c["phrase"] for c in candidates(watched, "2023")["items"]]


def test_cli_lists_one_line_per_candidate_and_names_bad_input(watched) -> None:
    runner = CliRunner()
    result = runner.invoke(corpus_group, ["candidates", "--since", "2023", "--kind", "quoted"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("quoted\t双减\t2023-03-05\t2\t4\t0\t")
    assert result.stderr == "1 candidates in 3 documents since 2023\n"
    bad = runner.invoke(corpus_group, ["candidates", "--since", "March"])
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: since must be a date")


def test_api_answers_with_links_and_a_400_for_a_bad_date(client, watched) -> None:
    response = client.get("/api/v1/corpus/candidates?since=2023&kind=quoted")
    assert response.status_code == 200 and response.headers["ETag"]
    (item,) = response.get_json()["items"]
    assert item["phrase"] == "双减" and item["links"]["passages"].startswith("/api/v1/documents?q=")
    bad = client.get("/api/v1/corpus/candidates?since=21")
    assert bad.status_code == 400 and "since" in bad.get_json()["detail"]
    month = client.get("/api/v1/corpus/candidates?since=2021-13")
    assert month.status_code == 400 and "since" in month.get_json()["detail"]


def test_a_draft_is_made_from_a_candidate_with_its_passage_and_document(watched) -> None:
    document_id = watched.scalar(sa.select(Document.id).where(Document.file == "r2.txt"))
    term = draft_from_candidate(watched, "两个确立", document_id, "editor")
    watched.commit()
    assert (term.status, term.simplified) == ("draft", "两个确立")
    (excerpt,) = term.excerpts
    assert excerpt.text == "坚持两个确立。" and excerpt.source_id == "doc-r2"
    source = watched.get(Source, "doc-r2")
    assert (source.title, source.date) == ("标题 r2.txt", "2024-03-05")
    with pytest.raises(Conflict):
        draft_from_candidate(watched, "两个确立", document_id, "editor")
    watched.rollback()
    with pytest.raises(Invalid, match=f"document {document_id} does not contain '共同富裕'"):
        draft_from_candidate(watched, "共同富裕", document_id, "editor")
    with pytest.raises(NotFound, match="no document 999"):
        draft_from_candidate(watched, "两个确立", 999, "editor")
    assert watched.scalar(sa.select(sa.func.count(Term.id)).where(Term.simplified == "两个确立")) == 1


def _signed_in(client, session) -> str:
    """Signs the client in as an editor through the form; returns a CSRF token for posts."""
    from glossary.services.auth import create_user

    create_user(session, "editor", "a long enough password")
    session.commit()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "name": "editor", "password": "a long enough password"}
    assert client.post("/login", data=form).status_code == 303
    page = client.get("/candidates?since=2023").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_editor_page_lists_candidates_and_makes_a_draft(client, watched) -> None:
    assert client.get("/candidates").status_code in (302, 303)  # editors only
    token = _signed_in(client, watched)
    page = client.get("/candidates?since=2023&kind=quoted").get_data(as_text=True)
    assert "双减" in page and "evidence, not a first use" in page
    document_id = watched.scalar(sa.select(Document.id).where(Document.file == "r1.txt"))
    made = client.post("/candidates", data={"csrf_token": token, "phrase": "双减", "document": str(document_id)})
    assert made.status_code == 303 and "/edit/" in made.headers["Location"]
    watched.rollback()  # end the test session's snapshot: the request committed in its own
    term = watched.scalar(sa.select(Term).where(Term.simplified == "双减"))
    assert term.status == "draft" and term.excerpts[0].text == "落实“双减”政策。"
    again = client.post("/candidates", data={"csrf_token": token, "phrase": "双减", "document": str(document_id)})
    assert again.status_code == 303 and "No draft was made" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )
    bad = client.post("/candidates", data={"csrf_token": token, "phrase": "双减", "document": "x"})
    assert bad.status_code == 400 and "document must be a document id, not 'x'" in html.unescape(
        bad.get_data(as_text=True)
    )
    assert client.get("/candidates?since=March").status_code == 400
