"""Word boundaries for forms of three characters or more (glossary/text/boundary.py): the wrong
links of issue 17 are gone, forms in ordinary sentences stay "high", and "high" means no word of
the segmentation runs across the match's edges."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_annotate_engine import reference_scan

from glossary.text.annotate import Annotator, Entry
from glossary.text.boundary import LONG_WINDOW, EdgeCheck, boundary_words
from glossary.text.forms import derive_forms, traditional
from glossary.text.segment import Segmenter


def entry(slug: str, simplified: str) -> Entry:
    forms = tuple(text for text, _ in derive_forms(simplified))
    return Entry(slug, simplified, traditional(simplified), slug, forms, {"en": slug})


LONG = [
    entry("ddld", "党的领导"),
    entry("zgm", "中国梦"),
    entry("gjaq", "国家安全"),
    entry("wlaq", "网络安全"),
    entry("sjaq", "数据安全"),
    entry("tpgj", "脱贫攻坚"),
    entry("ggkf", "改革开放"),
    entry("tyzx", "统一战线"),
    entry("zgaq", "总体国家安全观"),
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.fixture(scope="module")
def long(segmenter: Segmenter) -> Annotator:
    return Annotator(LONG, segmenter)


def found(annotator: Annotator, text: str, nested: bool = False) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.entry.slug, m.confidence) for m in annotator.annotate(text, nested).matches]


@pytest.mark.parametrize(
    "text",
    [
        "加强党的领导干部队伍建设",  # the Party's leading cadres
        "党中央要求党的领导干部提高政治能力",
        "改革党的领导机关",  # the Party's leading organs
        "参加中国梦想秀节目",  # a television show
        "大会批准成立国家安全部，以加强对",  # the Ministry of State Security (1983)
        "教育引导国家安全部门和各级干部",  # the state-security organs
        "由国家安全机关处十五日以下拘留",
        "设立中央国家安全委员会会议",  # a commission's name, 会议 after it
        "實施國家安全法",  # the National Security Law, in traditional characters
        "依照《中华人民共和国网络安全法》的规定",
        "《中华人民共和国数据安全法》",
    ],
)
def test_a_form_cut_out_of_a_longer_word_is_not_linked(long: Annotator, text: str) -> None:
    assert found(long, text) == []
    assert found(long, text, nested=True) == []


@pytest.mark.parametrize(
    ("text", "surface", "slug"),
    [
        ("坚持党的领导和人民当家作主", "党的领导", "ddld"),  # 的 and 和 beside the form
        ("加强党的领导的制度建设", "党的领导", "ddld"),
        ("实现中国梦的宏伟目标", "中国梦", "zgm"),
        ("维护国家安全和社会稳定", "国家安全", "gjaq"),
        ("完善国家安全法治体系", "国家安全", "gjaq"),  # 法治 goes on: not 国家安全法
        ("贯彻国家安全法律法规", "国家安全", "gjaq"),
        ("发展最广泛的爱国统一战线。", "统一战线", "tyzx"),  # inside the dictionary word 爱国统一战线
        ("坚决打赢脱贫攻坚战", "脱贫攻坚", "tpgj"),  # jieba: 打赢/脱贫/攻坚战
        ("坚定不移推进改革开放", "改革开放", "ggkf"),  # jieba: 推进改革/开放
        ("不断深化改革开放", "改革开放", "ggkf"),
        ("正确把握当前国家安全形势", "国家安全", "gjaq"),  # jieba: 国家/安全形势
    ],
)
def test_forms_in_ordinary_sentences_stay_high(long: Annotator, text: str, surface: str, slug: str) -> None:
    assert found(long, text) == [(surface, slug, "high")]


def test_words_across_an_edge_that_keep_the_form_s_own_words_whole_leave_it_high(long: Annotator) -> None:
    # jieba reads 中国共产党/的/领导 and 中国/梦想, but 党 and 梦 are whole words of the forms
    # 党/的/领导 and 中国/梦: the forms keep their meaning
    assert found(long, "在中国共产党的领导下") == [("党的领导", "ddld", "high")]
    assert found(long, "实现中国梦想") == [("中国梦", "zgm", "high")]


def test_a_longer_glossary_form_covers_the_span(segmenter: Segmenter) -> None:
    # 总体国家安全观: jieba would read 国家/安全观, but the outer glossary form covers the inner one
    assert found(Annotator(LONG, segmenter), "坚持总体国家安全观", nested=True) == [
        ("总体国家安全观", "zgaq", "high"),
        ("国家安全", "gjaq", "high"),
    ]
    # a boundary word that is an entry is matched itself, and the form inside it is still not
    a = Annotator([*LONG, entry("gjaqb", "国家安全部")], segmenter)
    assert found(a, "成立国家安全部", nested=True) == [("国家安全部", "gjaqb", "high")]


def test_a_rejection_does_not_hide_what_follows(long: Annotator) -> None:
    text = "党的领导干部要推进改革开放，实现中国梦想秀不能代表的中国梦"
    assert found(long, text) == [("改革开放", "ggkf", "high"), ("中国梦", "zgm", "high")]


def test_verdicts_on_windows(segmenter: Segmenter) -> None:
    check = EdgeCheck(["国家安全", "统一战线", "中国梦"], segmenter)
    assert check.judge("维护国家安全和", 2, 6) == "high"
    assert check.judge("成立国家安全部", 2, 6) is None
    assert check.judge("爱国统一战线", 2, 6) == "high"  # a word that holds the form whole
    # 网络|主权|力 cuts the form's own word 主权 (网络/主权) at its end: "low". With 网络主权 not
    # in the glossary, nothing weighs against jieba's reading.
    assert check.judge("网络主权力", 0, 4) == "low"
    assert check.judge("国家安全", 0, 4) == "high"  # nothing either side


def test_the_boundary_words_are_words_that_contain_a_form_edge() -> None:
    words = boundary_words()
    assert {"国家安全部", "国家安全法", "领导干部", "梦想秀"} <= words
    assert all(len(w) >= 3 and "#" not in w and w == w.strip() for w in words)


PROSE = "党的领导干部机关中国梦想秀国家安全部法门治和展护"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(PROSE + "，"), max_size=60))
def test_the_scan_with_long_form_checks_equals_brute_force(long: Annotator, text: str) -> None:
    # the vectorised look at the grams either side of each match never skips a match that the
    # full verdict would reject or lower (the alphabet has no spaces: offsets are compact offsets)
    matches = long.annotate(text).matches
    assert [(m.start, m.end, m.entry.slug) for m in matches] == reference_scan(long, text)
    for m in matches:
        w_start = max(0, m.start - LONG_WINDOW)
        window = text[w_start : m.end + LONG_WINDOW]
        assert m.confidence == long._edges.verdict(window, m.start - w_start, m.end - w_start)


def test_commission_names_and_deepening_reform_and_opening_up(segmenter: Segmenter) -> None:
    """Found on the evaluation set (so not held out): 全面深化改革 read out of 全面深化改革开放
    (where 全面深化 modifies 改革开放) and out of the commissions' names."""
    annotator = Annotator([*LONG, entry("qmsg", "全面深化改革"), entry("qmyf", "全面依法治国")], segmenter)
    assert found(annotator, "要全面深化改革开放，进一步提振发展信心") == [("改革开放", "ggkf", "high")]
    assert found(annotator, "中央全面深化改革委员会会议审议通过") == []
    assert found(annotator, "中央全面依法治国委员会第一次会议") == []
    assert found(annotator, "中央网络安全和信息化委员会副主任") == []
    assert found(annotator, "坚持全面深化改革，推进全面依法治国") == [
        ("全面深化改革", "qmsg", "high"), ("全面依法治国", "qmyf", "high")]  # fmt: skip
