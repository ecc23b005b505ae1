"""Issue 18 item 12: the sources page groups sources by publisher and kind (primary: official;
analysis: outside publishers) and counts the entries citing each."""

from __future__ import annotations

import pytest
from helpers import make_source, make_term

from glossary.services.source_groups import ANALYSIS, CORPUS_PUBLISHER, PRIMARY, UNRECORDED, publisher_of


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("a", "french.china.org.cn", None, "http://french.china.org.cn/x.htm"), ("China.org.cn", PRIMARY)),
        (("a", "Xinhuanet Deutsch", None, "http://german.xinhuanet.com/x"), ("Xinhua", PRIMARY)),
        (("a", "Spanish.china.org.cn", None, None), ("China.org.cn", PRIMARY)),  # a publisher spelled as a host
        (("a", None, None, "https://english.www.gov.cn/x"), ("PRC government websites (gov.cn)", PRIMARY)),
        (("a", None, None, "https://www.fmprc.gov.cn/x"), ("Ministry of Foreign Affairs of the PRC", PRIMARY)),
        (("a", "China Media Project", None, None), ("China Media Project", ANALYSIS)),
        (("a", None, "China Brief, Vol. 24, Issue 8", None), ("China Brief", ANALYSIS)),
        (("a", None, None, "https://www.elsiglo.cl/x"), ("elsiglo.cl", ANALYSIS)),
        (("a", None, None, "https://notgov.cn.example.org/x"), ("notgov.cn.example.org", ANALYSIS)),
        (("doc-2017-10-18-report", None, None, None), (CORPUS_PUBLISHER, PRIMARY)),
        (("pc20-report", None, None, None), ("Not recorded", UNRECORDED)),
    ],
)
def test_publisher_and_kind_of_a_source(args: tuple, expected: tuple[str, str]) -> None:
    assert publisher_of(*args) == expected


def test_the_page_groups_by_kind_and_publisher_with_entry_counts(client, session) -> None:
    make_source(session, id="x1", title="Report one", publisher="Xinhua", url="https://english.news.cn/1", date="2020")
    make_source(session, id="x2", title="Report two", url="http://french.xinhuanet.com/2", date="2021")
    make_source(session, id="cmp", title="Lexicon", publisher="China Media Project", date="2022")
    make_source(session, id="bare", title="Unattributed", date="2019")
    make_term(
        session,
        "网络主权",
        translations=[{"lang": "en", "text": "cyber sovereignty", "source": "x1", "status": "official"}],
    )
    make_term(
        session,
        "共同富裕",
        translations=[{"lang": "en", "text": "common prosperity", "source": "x2", "status": "official"}],
        excerpts=[{"source": "cmp", "text": "共同富裕是……"}],
    )
    make_term(
        session,
        "草稿",
        "draft",
        status="draft",
        translations=[{"lang": "en", "text": "d", "source": "x1", "status": "preferred"}],
    )
    html = client.get("/sources").get_data(as_text=True)
    primary = html.index('id="kind-primary"')
    analysis = html.index('id="kind-analysis"')
    unrecorded = html.index('id="kind-unrecorded"')
    assert primary < html.index("Report two") < html.index("Report one") < analysis  # one publisher, newest first
    assert analysis < html.index("Lexicon") < unrecorded < html.index("Unattributed")
    assert "2 sources, cited by 2 entries" in html[primary:analysis]  # the draft is not counted
    xinhua = html[html.index('<span class="publisher-name">Xinhua</span>') :]
    assert xinhua.index("2 sources · cited by 2 entries") < 200
    assert "Analysis: research, journalism and other outside publishers" in html[analysis:unrecorded]
    assert "cited by 0 entries" in html[unrecorded:]
