"""Seed pinyin against pypinyin, with the differences we stand by listed with their reason."""

from __future__ import annotations

import pinyincheck
import pytest
import seedcheck


def test_every_entry_reads_as_pypinyin_or_as_a_listed_exception() -> None:
    problems = pinyincheck.seed_problems(seedcheck.load_seed(), pinyincheck.load_exceptions())
    assert problems == [], "\n".join(problems)


def test_the_exceptions_include_the_readings_pypinyin_gets_wrong() -> None:
    exceptions = pinyincheck.load_exceptions()
    assert "wéi" in exceptions["以人民为中心"]["ours"] and "wèi" in exceptions["以人民为中心"]["pypinyin"]


def entry(simplified: str, pinyin: str) -> dict:
    return {"simplified": simplified, "pinyin": pinyin}


@pytest.mark.parametrize(
    ("simplified", "pinyin", "message"),
    [
        ("以人民为中心", "yǐ rénmín wéi zhōngxīn", "differs from pypinyin (为 wéi (pypinyin wèi))"),
        ("长治久安", "zhǎngzhì-jiǔ'ān", "differs from pypinyin (长 zhǎng (pypinyin cháng))"),
        ("一个中国原则", "yí gè Zhōngguó yuánzé", "一 is written 'yí': no written sandhi, 'yī'"),
        ("第一个百年奋斗目标", "dì-yígè bǎinián fèndòu mùbiāo", "一 is written 'yí'"),
        ("不是", "búshì", "不 is written 'bú'"),
        ("两岸一家亲", "liǎngàn yī jiā qīn", "needs an apostrophe before 'àn'"),
        ("两岸一家亲", "liǎng'àn yī jiā qīn'", None),
        ("国家安全", "guó'jiā ānquán", "has an apostrophe before 'jiā'"),
        ("国家", "guójiā ānquán", "does not read as 2 syllables"),
        ("重塑", "chóngsù", "differs from pypinyin (重 chóng (pypinyin zhòng))"),
        ("5G网络", "5G wǎngluò", None),
        ("互联网+", "hùliánwǎng jiā", None),
        ("不忘初心、牢记使命", "bù wàng chūxīn, láojì shǐmìng", None),
        ("西南", "xīnán", None),  # cut as pypinyin reads it (xī nán), not as xīn án
    ],
)
def test_each_rule_is_checked(simplified: str, pinyin: str, message: str | None) -> None:
    problems = pinyincheck.entry_problems(entry(simplified, pinyin), None)
    if message is None:
        assert problems == []
    else:
        assert len(problems) == 1 and message in problems[0], problems


def test_an_exception_excuses_only_the_reading_it_records() -> None:
    exception = {"simplified": "重塑", "ours": "chóngsù", "pypinyin": "zhòng sù", "reason": "重新塑造"}
    assert pinyincheck.entry_problems(entry("重塑", "chóngsù"), exception) == []
    changed = pinyincheck.entry_problems(entry("重塑", "chóng sù"), exception)
    assert len(changed) == 1 and "check the reading again" in changed[0]
    agrees = pinyincheck.entry_problems(entry("重塑", "zhòngsù"), exception)
    assert len(agrees) == 1 and "remove the exception" in agrees[0]
    sandhi = pinyincheck.entry_problems(entry("一个", "yí gè"), {**exception, "simplified": "一个"})
    assert any("no written sandhi" in p for p in sandhi)  # no exception excuses written sandhi


def test_an_exception_for_no_entry_or_without_a_reason_is_reported() -> None:
    docs = {"a.json": {"terms": [entry("以人民为中心", "yǐ rénmín wéi zhōngxīn")]}}
    exceptions = {
        "以人民为中心": {
            "simplified": "以人民为中心",
            "ours": "yǐ rénmín wéi zhōngxīn",
            "pypinyin": "yǐ rén mín wèi zhōng xīn",
            "reason": " ",
        },
        "重塑": {"simplified": "重塑", "ours": "chóngsù", "pypinyin": "zhòng sù", "reason": "重新塑造"},
    }
    problems = pinyincheck.seed_problems(docs, exceptions)
    assert problems == [
        "pinyin_exceptions.json: 以人民为中心 gives no reason",
        "pinyin_exceptions.json: 重塑 is no seed entry's headword",
    ]
