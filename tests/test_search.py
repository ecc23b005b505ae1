"""Search: however a user types a term, it is found, ranked and highlighted."""

from __future__ import annotations

import pytest
from helpers import make_term
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.services.search import Query, QueryError, Searcher


@pytest.fixture
def terms(session) -> None:
    make_term(
        session,
        "网络主权",
        tags=["cyber"],
        forms=[{"text": "網路主權", "tag": "zh-TW"}],
        translations=[
            {"lang": "en", "text": "cyber sovereignty", "status": "preferred"},
            {"lang": "en", "text": "internet sovereignty", "status": "alternative"},
            {"lang": "fr", "text": "souveraineté dans le cyberespace", "status": "alternative"},
        ],
    )
    make_term(
        session,
        "人类命运共同体",
        pinyin="rénlèi mìngyùn gòngtóngtǐ",
        tags=["diplomacy"],
        translations=[
            {"lang": "en", "text": "community with a shared future for mankind", "status": "preferred"},
            {"lang": "en", "text": "community of common destiny", "status": "deprecated"},
        ],
    )
    make_term(
        session,
        "命运共同体",
        pinyin="mìngyùn gòngtóngtǐ",
        translations=[{"lang": "en", "text": "community with a shared future", "status": "preferred"}],
    )
    make_term(
        session,
        "绿色发展",
        kind="policy",
        translations=[{"lang": "en", "text": "green development", "status": "preferred"}],
    )
    make_term(
        session,
        "共同富裕",
        status="draft",
        translations=[{"lang": "en", "text": "common prosperity", "status": "preferred"}],
    )


def slugs(session, q: str, **kw) -> list[str]:
    return [h.term.slug for h in Searcher(session, **kw).search(q)]


@pytest.mark.parametrize(
    "q",
    [
        "网络主权",
        "網絡主權",
        "網路主權",
        "wǎngluò zhǔquán",
        "wang3luo4 zhu3quan2",
        "wangluo zhuquan",
        "wangluozhuquan",
        "WANGLUO ZHUQUAN",
        "cyber sovereignty",
        "Cyber Sovereignty",
        "internet sovereignty",
        "cyber soverignty",
        "souverainete",
        "souveraineté dans le cyberespace",
        "sovereignty",
        "主权",
        "luozhu",
        "ｗａｎｇｌｕｏ ｚｈｕｑｕａｎ",
        "ｗａｎｇｌｕｏ",
    ],
)
def test_finds_wangluo_zhuquan_however_typed(session, terms, q: str) -> None:
    assert slugs(session, q)[0] == "wangluo-zhuquan", q


@pytest.mark.parametrize("q", ["lu:se fazhan", "lvse fazhan", "lüsè fāzhǎn", "lu:4se4"])
def test_u_umlaut_typed_as_v_or_u_colon(session, terms, q: str) -> None:
    assert slugs(session, q)[0] == "luse-fazhan", q


def test_deprecated_rendering_still_finds_the_term(session, terms) -> None:
    (hit, *_) = Searcher(session).search("community of common destiny")
    assert hit.term.simplified == "人类命运共同体"
    assert (hit.field, hit.how) == ("translation", "exact-translation")
    assert hit.value[hit.start : hit.end] == "community of common destiny"


def test_ranking_exact_form_before_substring(session, terms) -> None:
    hits = Searcher(session).search("命运共同体")
    assert [h.term.simplified for h in hits] == ["命运共同体", "人类命运共同体"]
    assert hits[0].how == "exact-form" and hits[1].how == "substring"
    assert hits[0].score > hits[1].score
    assert hits[1].value[hits[1].start : hits[1].end] == "命运共同体"


def test_ranking_translation_prefix_and_preferred(session, terms) -> None:
    hits = Searcher(session).search("community with a shared future")
    assert hits[0].term.simplified == "命运共同体" and hits[0].how == "exact-preferred"
    assert hits[1].term.simplified == "人类命运共同体" and hits[1].how == "prefix"


def test_filters_and_drafts(session, terms) -> None:
    assert slugs(session, "development", kind="policy") == ["luse-fazhan"]
    assert slugs(session, "development", kind="concept") == []
    assert slugs(session, "sovereignty", tag="cyber") == ["wangluo-zhuquan"]
    assert slugs(session, "common prosperity") == []
    assert slugs(session, "common prosperity", include_drafts=True) == ["gongtong-fuyu"]


def test_gloss_in_requested_language_with_fallback(session, terms) -> None:
    (hit,) = [h for h in Searcher(session, lang="fr").search("网络主权")]
    assert hit.to_dict("fr")["gloss"] == "souveraineté dans le cyberespace"
    hit_en = Searcher(session, lang="de").search("绿色发展")[0].to_dict("de")
    assert (hit_en["gloss"], hit_en["gloss_lang"]) == ("green development", "en")


def test_no_typo_tolerance_for_short_words(session, terms) -> None:
    assert slugs(session, "cybr") == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 201])
def test_bad_queries(q: str) -> None:
    with pytest.raises(QueryError):
        Query.parse(q)


def test_api_search_shape(client, terms) -> None:
    r = client.get("/api/v1/search", query_string={"q": "cyber soverignty", "limit": 5})
    body = r.get_json()
    assert r.status_code == 200
    (hit,) = body["items"]
    assert set(hit) >= {"slug", "simplified", "traditional", "pinyin", "gloss", "kind", "matched", "score"}
    assert hit["matched"]["field"] == "translation" and hit["matched"]["how"] == "fuzzy"
    assert client.get("/api/v1/search").status_code == 400
    assert client.get("/api/v1/search?q=").status_code == 400
    assert client.get("/api/v1/search?q=x&limit=1000").status_code == 400
    assert client.get("/api/v1/search?q=x&kind=thing").status_code == 400


def test_search_uses_the_index(session, terms) -> None:
    """The plan for the prefix lookup uses ix_search_keys_key, not a full scan."""
    import sqlalchemy as sa

    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        plan = " ".join(
            str(r)
            for r in session.execute(
                sa.text("EXPLAIN QUERY PLAN SELECT id FROM search_keys WHERE key > 'wang' AND key < 'wang\U0010ffff'")
            )
        )
        assert "ix_search_keys_key" in plan
        plan = " ".join(
            str(r)
            for r in session.execute(
                sa.text(
                    "EXPLAIN QUERY PLAN SELECT key_id FROM search_grams"
                    " WHERE field = 'translation' AND gram IN ('cyb', 'ybe') GROUP BY key_id"
                )
            )
        )
        # the primary key (field, gram, key_id) serves both conditions: no scan of other fields
        assert "USING COVERING INDEX sqlite_autoindex_search_grams_1 (field=? AND gram=?)" in plan, plan
    else:
        session.execute(sa.text("SET enable_seqscan = off"))
        plan = " ".join(
            str(r)
            for r in session.execute(sa.text("EXPLAIN SELECT id FROM search_keys WHERE key > 'wang' AND key < 'wangz'"))
        )
        assert "ix_search_keys_key" in plan


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=250))
def test_query_parsing_never_crashes(raw: str) -> None:
    try:
        q = Query.parse(raw)
    except QueryError:
        return
    assert q.text and len(q.text) <= 200


@pytest.fixture
def crowded(session) -> None:
    """Terms that share n-grams with the one a filtered search is after, indexed before it."""
    for simplified, gloss in [("数据主权", "data sovereignty"), ("技术主权", "technological sovereignty")]:
        make_term(session, simplified, gloss)
    make_term(session, "草稿主权", "draft sovereignty", status="draft")
    make_term(session, "粮食主权", "food sovereignty", kind="policy", tags=["food"])
    for simplified, gloss in [("能源主权", "energy sovereignty"), ("海洋主权", "maritime sovereignty")]:
        make_term(session, simplified, gloss)


@pytest.mark.parametrize(
    ("q", "how"),
    [("vereign", "substring"), ("soverignty", "fuzzy")],
)
@pytest.mark.parametrize("filters", [{"kind": "policy"}, {"tag": "food"}])
def test_filters_apply_before_the_candidate_cap(session, crowded, monkeypatch, q, how, filters) -> None:
    monkeypatch.setattr("glossary.services.search.CANDIDATES", 2)
    hits = Searcher(session, **filters).search(q)
    assert [(h.term.slug, h.how) for h in hits] == [("liangshi-zhuquan", how)]


def test_drafts_do_not_take_candidate_places(session, crowded, monkeypatch) -> None:
    monkeypatch.setattr("glossary.services.search.CANDIDATES", 5)
    found = {h.term.simplified for h in Searcher(session).search("vereign")}
    assert found == {"数据主权", "技术主权", "粮食主权", "能源主权", "海洋主权"}


@pytest.fixture
def accented(session) -> None:
    make_term(
        session, "网络大V", pinyin="wǎngluò dà V", translations=[{"lang": "en", "text": "Big V", "status": "preferred"}]
    )
    make_term(
        session,
        "主权理论",
        translations=[
            {"lang": "fr", "text": "Souveraineté : théorie et pratique", "status": "preferred"},
            {"lang": "de", "text": "-Straße der Souveränität", "status": "preferred"},
        ],
    )


@pytest.mark.parametrize(
    ("q", "selected"),
    [
        ("wangluo", "wǎngluò"),
        ("wang3luo4 da4", "wǎngluò dà"),
        ("theorie", "théorie"),
        ("théorie et", "théorie et"),
        ("strasse", "Straße"),
        ("strasse der", "Straße der"),
        ("souveranitat", "Souveränität"),
    ],
)
def test_the_matched_span_selects_exactly_what_matched(session, accented, q: str, selected: str) -> None:
    (hit, *_) = Searcher(session).search(q)
    assert hit.value[hit.start : hit.end] == selected, (hit.value, hit.start, hit.end)


@pytest.mark.parametrize(
    ("q", "value", "selected"), [("網絡主權", "網絡主權", "網絡主權"), ("主權", "網絡主權", "主權")]
)
def test_a_traditional_query_is_shown_in_the_form_typed(session, terms, q: str, value: str, selected: str) -> None:
    (hit, *_) = Searcher(session).search(q)
    assert hit.term.slug == "wangluo-zhuquan"
    assert (hit.field, hit.value, hit.value[hit.start : hit.end]) == ("form", value, selected)
