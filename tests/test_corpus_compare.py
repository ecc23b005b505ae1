"""Comparing two sides of the corpus: Dunning's G² on numbers worked by hand, the selectors,
and the API route over a small corpus."""

from __future__ import annotations

import math
import re

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import Document, Term
from glossary.services import corpus
from glossary.services.corpus_compare import SIDE_PATTERN, Selection, compare, g2, parse_side
from glossary.services.errors import Invalid


def test_g2_on_hand_computed_numbers() -> None:
    # 10 vs 0 in equal sizes: expected 5 each, G² = 2·10·ln 2
    assert g2(10, 0, 1000, 1000) == pytest.approx(20 * math.log(2))
    assert g2(10, 0, 1000, 1000) == pytest.approx(13.8629, abs=1e-4)
    # 30 vs 10 in equal sizes: expected 20 each, G² = 2(30 ln 1.5 + 10 ln 0.5)
    assert g2(30, 10, 100_000, 100_000) == pytest.approx(10.4650, abs=1e-4)
    # the same rate on both sides (20 in 1,000; 10 in 500) is no evidence at all
    assert g2(20, 10, 1000, 500) == pytest.approx(0.0, abs=1e-12)
    # symmetric in the sides, and nothing to say about a term used nowhere or an empty corpus
    assert g2(3, 9, 700, 2000) == pytest.approx(g2(9, 3, 2000, 700))
    assert g2(0, 0, 1000, 1000) == 0.0 and g2(1, 0, 0, 0) == 0.0


def test_selectors_are_read_and_a_bad_one_is_named() -> None:
    assert parse_side("a", "12,13") == Selection(ids=frozenset({12, 13}))
    assert parse_side("b", "year:2017,kind:congress-report,year:2022") == Selection(
        years=frozenset({2017, 2022}), kinds=frozenset({"congress-report"})
    )
    with pytest.raises(Invalid, match=r"^b: cannot read 'kind:poem': use a document id, year:YYYY or kind:KIND"):
        parse_side("b", "year:2017,kind:poem")
    for bad in ("12, 13", "12,,13", "year:２０１７", "year:12345"):  # what the documented pattern refuses
        with pytest.raises(Invalid, match="^a: cannot read"):
            parse_side("a", bad)
        assert not re.fullmatch(SIDE_PATTERN, bad)
    assert re.fullmatch(SIDE_PATTERN, "12,year:2017,kind:congress-report")
    with pytest.raises(Invalid, match="^a: give document ids"):
        parse_side("a", "")
    with pytest.raises(Invalid, match="^a: at most 50 selectors"):
        parse_side("a", ",".join(["1"] * 51))


DOCS = [
    {"file": "c17.txt", "date": "2017-10-18", "kind": "congress-report",
     "text": "国家安全。" * 2 + "主权。" + filler(1, 987)},
    {"file": "c22.txt", "date": "2022-10-16", "kind": "congress-report",
     "text": "国家安全。" * 6 + "总体国家安全观。" + filler(2, 962)},
    {"file": "l22.txt", "date": "2022", "kind": "law", "text": "主权。" * 5 + filler(3, 985)},
]  # fmt: skip


@pytest.fixture
def loaded(session, tmp_path):
    for simplified in ("国家安全", "总体国家安全观", "主权"):
        make_term(session, simplified, "x")
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).errors == []
    return session


def _slug(session, simplified: str) -> str:
    return session.scalar(sa.select(Term.slug).where(Term.simplified == simplified))


def test_compare_two_years_of_congress_reports(loaded) -> None:
    result = compare(loaded, "year:2017,kind:congress-report", "year:2022,kind:congress-report")
    assert (len(result.a["documents"]), result.a["chars"], result.b["chars"]) == (1, 1000, 1000)
    security, holistic, sovereignty = (_slug(loaded, s) for s in ("国家安全", "总体国家安全观", "主权"))
    assert [i["term"] for i in result.only_a] == [sovereignty]
    assert [i["term"] for i in result.only_b] == [holistic]
    (rose,) = result.rose  # 2 → 7 (six, and one inside 总体国家安全观): counted by the nested rule
    assert (rose["term"], rose["a"], rose["b"]) == (
        security, {"occurrences": 2, "per_100k": 200.0}, {"occurrences": 7, "per_100k": 700.0})  # fmt: skip
    assert rose["g2"] == pytest.approx(g2(2, 7, 1000, 1000), abs=1e-3) and result.fell == []
    # all of 2022 against 2017: 主权 is in the 2022 law, so it rose instead of being 2017's only
    wider = compare(loaded, "year:2017", "year:2022")
    assert sovereignty in [i["term"] for i in wider.rose] and wider.only_a == []


def test_compare_api(client, loaded) -> None:
    ids = dict(loaded.execute(sa.select(Document.file, Document.id)).all())
    response = client.get(f"/api/v1/corpus/compare?a={ids['c17.txt']}&b={ids['c22.txt']}&limit=1")
    assert response.status_code == 200 and response.headers["ETag"]
    body = response.get_json()
    assert body["corpus"]["documents"] == 3 and body["a"]["documents"] == [ids["c17.txt"]]
    (only_b,) = body["only_b"]
    assert only_b["links"] == {"attestations": f"/api/v1/terms/{only_b['term']}/attestations"}
    for query, status, path, words in [
        ("a=year:1900&b=year:2022", 404, "a", "'year:1900' selects no documents"),
        ("a=year:2017&b=kind:poem", 422, "b", "cannot read 'kind:poem'"),
    ]:
        problem = client.get(f"/api/v1/corpus/compare?{query}")
        assert problem.status_code == status and words in problem.get_json()["detail"]
        assert problem.get_json()["errors"][0]["path"] == path
    beyond = client.get(f"/api/v1/corpus/compare?a={2**31},{ids['c17.txt']}&b={2**40}")  # ids PostgreSQL cannot bind
    assert beyond.status_code == 404 and beyond.get_json()["errors"][0]["path"] == "b"
    missing = client.get("/api/v1/corpus/compare?a=1")
    assert missing.status_code == 400 and missing.get_json()["detail"] == "b is required"
