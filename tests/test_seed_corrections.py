"""Regression tests for the corrections an audit of the seed found (issue 16, "Corrections found by
audit"): wrong first-use dates, unscoped first uses, outdated components and renderings that are not
the PRC's own. Each test names the fact it protects, so a later edit that reverts it fails loudly."""

from __future__ import annotations

import pytest
import seedcheck
from conftest import needs_shared

R18 = "doc-2012-11-08-congress-report-18th-party-congress-report-hu-jintao"
R19 = "doc-2017-10-18-congress-report-19th-party-congress-report-xi-jinping"
GWR_1990 = "doc-1990-03-20-government-work-report-1990-li-peng"


@pytest.fixture(scope="module")
def terms() -> dict[str, dict]:
    return {t["simplified"]: t for doc in seedcheck.load_seed().values() for t in doc.get("terms", [])}


def _english(term: dict, status: str) -> dict[str, dict]:
    return {t["text"]: t for t in term.get("translations", []) if t["lang"] == "en" and t["status"] == status}


def _preferred(term: dict) -> str:
    (text,) = _english(term, "preferred")
    return text


def test_shared_future_first_use_is_the_18th_congress_report_not_the_2007_cross_strait_sense(terms: dict) -> None:
    first = terms["人类命运共同体"]["first_use"]
    assert (first["date"], first["source"]) == ("2012-11-08", R18)
    assert "Scope:" in first["note"] and "Taiwan" in first["note"], "the note must give the scope and why 2007 is wrong"
    quoted = [e["text"] for e in terms["人类命运共同体"]["excerpts"] if e["source"] == R18]
    assert any("人类命运共同体" in text for text in quoted), "the 18th report's own sentence must be quoted"


@needs_shared()
def test_shared_future_first_use_is_the_earliest_attestation_in_the_dated_corpus() -> None:
    dated = seedcheck.SHARED / "corpus" / "dated"
    earliest = min(p.name[:10] for p in dated.glob("*.txt") if "人类命运共同体" in p.read_text("utf-8"))
    assert earliest == "2012-11-08"


def test_shared_future_records_each_official_english_rendering_with_its_proof(terms: dict) -> None:
    term = terms["人类命运共同体"]
    official = _english(term, "official")
    renderings = (
        "community with a shared future for mankind",
        "human community with a shared future",
        "global community of shared future",
    )
    for text in renderings:
        assert text in official and official[text].get("excerpt") and official[text].get("source"), text
    assert "community of common destiny" in _english(term, "deprecated")
    assert _preferred(term) == "community with a shared future for mankind"


def test_multipolarization_first_use_is_scoped_to_party_congress_reports(terms: dict) -> None:
    term = terms["世界多极化"]
    note = term["first_use"]["note"]
    assert term["first_use"]["date"] == "1992"
    assert note.startswith("Scope: first mention in a Party Congress report only")
    assert GWR_1990 in note, "the note must name the 1990 Government Work Report that already uses the term"
    assert any(e["source"] == GWR_1990 and "世界多极化" in e["text"] for e in term["excerpts"])


def test_development_and_security_first_use_is_the_19th_congress_report(terms: dict) -> None:
    first = terms["统筹发展和安全"]["first_use"]
    assert (first["date"], first["source"]) == ("2017-10-18", R19)
    assert any(e["source"] == R19 and "统筹发展和安全" in e["text"] for e in terms["统筹发展和安全"]["excerpts"])


def test_cyberspace_leading_group_was_established_on_2014_02_27_not_in_2013(terms: dict) -> None:
    term = terms["中央网络安全和信息化领导小组"]
    assert term["first_use"]["date"] == "2014-02-27" and "Feb. 27, 2014" in term["first_use"]["note"]
    assert all("2013" not in d["text"] for d in term["definitions"])


def test_jiusan_society_was_founded_on_1946_05_04_not_in_1945(terms: dict) -> None:
    term = terms["九三学社"]
    (definition,) = term["definitions"]
    assert "4 May 1946" in definition["text"] and "founded in 1945" not in definition["text"]
    assert definition["source"], "the founding date must cite its source"
    official = _english(term, "official")
    assert "May 4, 1946" in official["Jiu San Society"]["excerpt"]


def test_four_comprehensives_lists_the_components_in_force_since_october_2020(terms: dict) -> None:
    term = terms["四个全面"]
    components = {r["slug"] for r in term["related"] if r["type"] == "has-component"}
    assert components == {
        "quanmian-jianshe-shehui-zhuyi-xiandaihua-guojia",
        "quanmian-shenhua-gaige",
        "quanmian-yifa-zhiguo",
        "quanmian-congyan-zhi-dang",
    }
    first = terms["全面建设社会主义现代化国家"]
    assert {"slug": "si-ge-quanmian", "type": "component-of"} in first["related"]
    assert {"slug": "quanmian-jiancheng-xiaokang-shehui", "type": "related"} in term["related"]
    assert "modern socialist country" in term["definitions"][0]["text"] and "2020" in term["definitions"][0]["text"]


@pytest.mark.parametrize(
    ("simplified", "name"),
    [
        ("新华网", "Xinhuanet"),
        ("央视网", "CCTV.com"),
        ("学习强国", "Xuexi Qiangguo"),
        ("一个机构两块牌子", "one institution with two names"),
    ],
)
def test_names_are_rendered_as_what_they_name(terms: dict, simplified: str, name: str) -> None:
    assert _preferred(terms[simplified]) == name


def test_cyberspace_shared_future_prefers_the_official_rendering_with_its_proof(terms: dict) -> None:
    term = terms["网络空间命运共同体"]
    assert _preferred(term) == "community with a shared future in cyberspace"
    rendering = "community with a shared future in cyberspace"
    official = _english(term, "official")[rendering]
    assert official["excerpt"] and official["source"] == _english(term, "preferred")[rendering]["source"]


def test_cyber_power_records_the_attested_official_rendering(terms: dict) -> None:
    official = _english(terms["网络强国"], "official")
    assert "cyber power" in official["cyber power"]["excerpt"] and official["cyber power"]["source"]


@needs_shared()
def test_first_uses_state_their_scope_and_attested_ones_quote_their_document() -> None:
    """世界多极化's 1992 is a first in a Party Congress report (a 1990 Government Work Report has
    it); 人类命运共同体's 2012-11-08 rests on the 18th report's own sentence. A broken quote fails
    seedcheck.verbatim_problems."""
    terms = {t["simplified"]: t for doc in seedcheck.load_seed().values() for t in doc.get("terms", [])}
    assert terms["世界多极化"]["first_use"]["scope"] == "party-congress-reports"
    community = terms["人类命运共同体"]["first_use"]
    assert (community["basis"], community["scope"]) == ("attested", "official-documents")
    assert "倡导人类命运共同体意识" in community["excerpt"]
    broken = {"x.json": {"terms": [{"simplified": "人类命运共同体", "excerpts": [],
                                    "first_use": community | {"excerpt": "人类命运共同体是假的。"}}]}}  # fmt: skip
    (problem,) = seedcheck.verbatim_problems(broken)
    assert "first_use: excerpt not verbatim" in problem
