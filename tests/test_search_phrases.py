"""Search: English phrases (full-text index, one ranking on SQLite and PostgreSQL), the terms
in a query longer than a term, and suggestions when nothing is found."""

from __future__ import annotations

import pytest

from glossary.services.search_phrase import content_words, phrase_similarity, suggestion_score


def _search(client, q: str, **params: object) -> dict:
    r = client.get("/api/v1/search", query_string={"q": q, **params})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("community of shared future", "renlei-mingyun-gongtongti"),
        ("shared future for humanity", "renlei-mingyun-gongtongti"),
        ("a community with shared future for all mankind", "renlei-mingyun-gongtongti"),
        ("cyber power", "wangluo-qiangguo"),
        ("strong cyber power", "wangluo-qiangguo"),
        ("Chinese path to modernization", "zhongguoshi-xiandaihua"),
        ("Chinese path towards modernisation", "zhongguoshi-xiandaihua"),
        ("whole process democracy", "quan-guocheng-renmin-minzhu"),
        ("whole-process people's democracies", "quan-guocheng-renmin-minzhu"),
    ],
)
def test_english_phrases_find_their_term_despite_wording(client, seeded, q: str, slug: str) -> None:
    items = _search(client, q, limit=5)["items"]
    assert items[0]["slug"] == slug, [(i["slug"], i["matched"]["value"], i["score"]) for i in items]


def test_a_phrase_hit_says_so_and_ranks_by_closeness(client, seeded) -> None:
    items = _search(client, "shared future for humanity", limit=10)["items"]
    assert {i["matched"]["how"] for i in items} == {"phrase"}
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True) and all(200 <= s < 300 for s in scores)
    assert items[0]["matched"]["value"] == "community of shared future"


def test_phrase_ranking_is_the_services_own() -> None:
    query = content_words("community of shared future")
    assert query == ["community", "shared", "future"]
    assert phrase_similarity(query, content_words("community with a shared future for mankind")) == 6 / 7
    assert phrase_similarity(query, content_words("community of common destiny")) == 0  # one of three
    assert phrase_similarity(content_words("cyber power"), content_words("cyberpower")) == 1
    assert phrase_similarity([], ["x"]) == 0


def test_terms_in_a_long_query_come_first(client, seeded) -> None:
    body = _search(client, "推动构建人类命运共同体")
    (found,) = body["in_text"]
    # the seed holds 构建人类命运共同体 as a form of the term: the longest form found is reported
    assert (found["slug"], found["start"], found["end"], found["surface"]) == (
        "renlei-mingyun-gongtongti",
        2,
        11,
        "构建人类命运共同体",
    )
    assert found["gloss"] == "community with a shared future for mankind" and found["form_type"] == "variant"
    assert "items" in body and body["suggestions"] == []


def test_terms_in_an_english_sentence(client, seeded) -> None:
    q = "We uphold cyber sovereignty and build a community with a shared future for mankind."
    body = _search(client, q)
    assert [(t["slug"], t["surface"], t.get("rendering")) for t in body["in_text"]] == [
        ("wangluo-zhuquan", "cyber sovereignty", "cyber sovereignty"),
        (
            "renlei-mingyun-gongtongti",
            "community with a shared future for mankind",
            "community with a shared future for mankind",
        ),
    ]
    for t in body["in_text"]:
        assert q[t["start"] : t["end"]] == t["surface"]


def test_a_query_that_is_one_term_has_no_terms_in_text(client, seeded) -> None:
    for q in ("人类命运共同体", " cyber sovereignty "):
        body = _search(client, q)
        assert body["in_text"] == [] and body["items"]


def test_filters_apply_to_the_terms_in_text(client, seeded) -> None:
    q = "推动构建人类命运共同体，维护网络主权"
    assert len(_search(client, q)["in_text"]) == 2
    kinds = {t["kind"] for t in _search(client, q)["in_text"]}
    for kind in kinds:
        assert {t["kind"] for t in _search(client, q, kind=kind)["in_text"]} == {kind}


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("cybr sovreignty", "cyber sovereignty"),
        ("网络主全", "网络主权"),
        ("wangluozhuqan", "wǎngluò zhǔquán"),
    ],
)
def test_nothing_found_suggests_close_spellings(client, seeded, q: str, suggestion: str) -> None:
    body = _search(client, q)
    assert body["items"] == [] and body["in_text"] == []
    assert suggestion in body["suggestions"]


def test_no_suggestions_for_nonsense_or_when_something_is_found(client, seeded) -> None:
    assert _search(client, "xqzvw")["suggestions"] == []
    assert _search(client, "cyber sovereignty")["suggestions"] == []


def test_suggestion_score() -> None:
    assert suggestion_score("cybr sovreignty", "cyber sovereignty") == 2
    assert suggestion_score("cyb", "cyber") is None  # short words must be close in length too
    assert suggestion_score("of", "or") is None  # two letters: exact only


def test_search_page_shows_terms_in_your_text_then_the_others(client, seeded) -> None:
    page = client.get("/search", query_string={"q": "推动构建人类命运共同体"}).get_data(as_text=True)
    assert "Terms in your text" in page and "/terms/renlei-mingyun-gongtongti" in page
    assert "<mark>构建人类命运共同体</mark>" in page
    page = client.get("/search", query_string={"q": "cybr sovreignty"}).get_data(as_text=True)
    assert "Did you mean" in page and "q=cyber+sovereignty" in page
