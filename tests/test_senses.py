"""Another sense than the entry's (glossary/text/senses.py): sense cues, dated senses, and quoted
short forms; through the engine, the API and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.text.annotate import Annotator, Entry
from glossary.text.segment import shared_segmenter
from glossary.text.senses import before, parse_cues, sense_cues, sense_from

SEED = Path(__file__).resolve().parent.parent / "seed"


def entry(slug: str, simplified: str, sense_since: str | None = None) -> Entry:
    return Entry(slug, simplified, simplified, slug, (), {"en": slug}, sense_from=sense_since)


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    entries = [
        entry("zuguo-tongyi", "祖国统一"),
        entry("shishi-qiushi", "实事求是"),
        entry("weida-douzheng", "伟大斗争", "2012-11-08"),
        entry("si-feng", "四风"),
    ]
    return Annotator(entries, shared_segmenter())


def found(annotator: Annotator, text: str, date: str | None = None) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.entry.slug, m.confidence) for m in annotator.annotate(text, date=date).matches]


def test_a_cue_in_the_same_sentence_lowers_the_match(annotator: Annotator) -> None:
    assert found(annotator, "我们支持朝鲜人民争取祖国统一的斗争。") == [("祖国统一", "zuguo-tongyi", "low")]
    # the sentence before does not count: it ended with 。
    assert found(annotator, "朝鲜问题另议。我们推进祖国统一。") == [("祖国统一", "zuguo-tongyi", "high")]
    assert found(annotator, "推进祖国统一大业") == [("祖国统一", "zuguo-tongyi", "high")]


def test_a_cue_after_the_match_lowers_it(annotator: Annotator) -> None:
    assert found(annotator, "要实事求是地总结经验") == [("实事求是", "shishi-qiushi", "low")]
    assert found(annotator, "解放思想，实事求是，与时俱进") == [("实事求是", "shishi-qiushi", "high")]


def test_a_dated_sense_is_low_only_in_a_text_dated_before_it(annotator: Annotator) -> None:
    text = "反对帝国主义的伟大斗争"
    assert found(annotator, text, "1964-12-21") == [("伟大斗争", "weida-douzheng", "low")]
    assert found(annotator, text, "2017-10-18") == [("伟大斗争", "weida-douzheng", "high")]
    assert found(annotator, text, "2012") == [("伟大斗争", "weida-douzheng", "high")]  # same year: cannot tell
    assert found(annotator, text) == [("伟大斗争", "weida-douzheng", "high")]  # no date: no rule


def test_a_short_form_quoted_whole_is_high(annotator: Annotator) -> None:
    # jieba reads 四/风 as two words, which alone makes a two-character match "low"
    assert found(annotator, "坚决纠正“四风”问题") == [("四风", "si-feng", "high")]
    assert found(annotator, "坚决纠正「四风」问题") == [("四风", "si-feng", "high")]
    assert found(annotator, "坚决纠正四风问题") == [("四风", "si-feng", "low")]


@pytest.mark.parametrize(
    ("date", "since", "earlier"),
    [
        ("1969-04-01", "2012-11-08", True),
        ("2012-11-07", "2012-11-08", True),
        ("2012-11-08", "2012-11-08", False),
        ("2012", "2012-11-08", False),
        ("2011", "2012-11-08", True),
        ("2015-03-05", "2015", False),
        ("2014-12", "2015", True),
    ],
)
def test_before_compares_as_precisely_as_both_dates_are_known(date: str, since: str, earlier: bool) -> None:
    assert before(date, since) is earlier


def test_only_a_first_use_in_every_kind_of_text_dates_a_sense() -> None:
    assert sense_from("2012-11-08", "official-documents") == "2012-11-08"
    assert sense_from("2015", "anywhere") == "2015"
    # a first mention in a Party Congress report says nothing of earlier texts of other kinds
    assert sense_from("1992", "party-congress-reports") is None
    assert sense_from("2024", None) is None
    assert sense_from(None, "anywhere") is None


def test_cue_lines_are_parsed_and_bad_ones_named() -> None:
    cues = parse_cues(["# comment", "", "a | 朝鲜 | -  # Korea", "a | - | 地  # adverb"])
    assert [c.reason for c in cues["a"]] == ["Korea", "adverb"]
    assert cues["a"][0].after is None and cues["a"][1].before is None
    with pytest.raises(ValueError, match="line 1: want 'slug | BEFORE | AFTER  # why'"):
        parse_cues(["a | 朝鲜  # two fields"])
    with pytest.raises(ValueError, match="line 2"):
        parse_cues(["# ok", "a | 朝鲜 | -"])  # no reason


def test_the_project_cues_name_seed_entries() -> None:
    slugs = {
        term["slug"]
        for path in SEED.glob("*.json")
        for term in json.loads(path.read_text("utf-8")).get("terms", [])
        if isinstance(term, dict) and "slug" in term
    }
    assert set(sense_cues()) <= slugs
    assert all(cue.reason for cues in sense_cues().values() for cue in cues)


@pytest.fixture
def dated_term(session) -> None:
    from helpers import make_term

    term = make_term(session, "伟大斗争", "great struggle", commit=False)
    term.first_use_date, term.first_use_scope = "2012-11-08", "official-documents"
    session.commit()


def test_the_api_takes_the_text_date(client, dated_term) -> None:
    def confidence(body: dict) -> str:
        r = client.post("/api/v1/annotate", json=body)
        assert r.status_code == 200, r.get_data(as_text=True)
        return str(r.get_json()["matches"][0]["confidence"])

    assert confidence({"text": "反对帝国主义的伟大斗争", "date": "1964-12-21"}) == "low"
    assert confidence({"text": "反对帝国主义的伟大斗争", "date": "2022"}) == "high"
    assert confidence({"text": "反对帝国主义的伟大斗争"}) == "high"


@pytest.mark.parametrize("date", ["1969/04/01", "69", "2012-1-8", "yesterday"])
def test_the_api_names_a_bad_date(client, dated_term, date: str) -> None:
    r = client.post("/api/v1/annotate", json={"text": "伟大斗争", "date": date})
    assert r.status_code == 400
    assert r.get_json()["detail"] == "date: must be a date: YYYY, YYYY-MM or YYYY-MM-DD"


def test_the_command_line_names_a_bad_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "text.txt"
    text.write_text("伟大斗争", "utf-8")
    code = main(["annotate", str(text), "--date", "1969/04/01"])
    assert code == 2
    assert "'1969/04/01' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD" in capsys.readouterr().err
