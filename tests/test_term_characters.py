"""Issue 18 item 8: a term's characters one by one (reading in the term, a CC-CEDICT gloss) and
the other entries that contain the term or its characters."""

from __future__ import annotations

import re

from helpers import make_term

from glossary.text.characters import DICTIONARY, breakdown, dictionary, gloss, numbered


def test_numbered_pinyin_in_cedict_spelling() -> None:
    assert [numbered(s) for s in ("quán", "lǜ", "de", "Zhōng")] == ["quan2", "lu:4", "de5", "zhong1"]


def test_each_character_reads_as_in_the_term_with_its_gloss() -> None:
    rows = breakdown("网络主权", "網絡主權", "wǎngluò zhǔquán")
    assert [(r.char, r.traditional, r.pinyin) for r in rows] == [
        ("网", "網", "wǎng"),
        ("络", "絡", "luò"),
        ("主", "主", "zhǔ"),
        ("权", "權", "quán"),
    ]
    assert rows[3].gloss.startswith("authority")  # not "surname Quan", the capitalised reading
    assert rows[2].gloss == "owner; master; host"  # a few senses, not the whole entry


def test_a_polyphone_takes_the_terms_reading_and_a_missing_reading_no_gloss() -> None:
    assert gloss("行", "háng").startswith("row")  # 银行 háng, not xíng "to walk"
    assert gloss("行", "xíng").startswith("to walk")
    assert gloss("行", "xuè") == ""  # no such reading: nothing is guessed


def test_characters_the_pinyin_does_not_align_with_still_appear_without_a_reading() -> None:
    rows = breakdown("互联网+", "互聯網+", "hùliánwǎng jiā")  # '+' read as jiā: no alignment
    assert [r.char for r in rows] == ["互", "联", "网"] and all(r.pinyin == "" for r in rows)
    assert rows[0].gloss  # the gloss of the character's first entry


def test_the_bundled_dictionary_names_its_source_licence_and_version() -> None:
    header = [line for line in DICTIONARY.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert "CC-CEDICT" in text and "mdbg.net" in text and "creativecommons.org/licenses/by-sa/4.0" in text
    assert re.search(r"released \d{4}-\d\d-\d\d", text) and "tools/cedict_chars.py" in text
    assert len(dictionary()) > 500 and all(len(key) == 1 for key in dictionary())


def test_the_term_page_lists_characters_and_entries_containing_them(client, session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    make_term(session, "网络强国", "cyberpower")
    make_term(session, "维护网络主权", "defend cyber sovereignty")
    make_term(session, "国家主权", "national sovereignty")
    html = client.get("/terms/wangluo-zhuquan").get_data(as_text=True)
    section = html[html.index('id="chars-title"') : html.index("</section>", html.index('id="chars-title"'))]
    assert (
        '<span class="hanzi-l" lang="zh-Hans">权</span> <span class="hanzi-l trad" lang="zh-Hant">權</span>' in section
    )
    assert '<span class="pinyin" lang="zh-Latn-pinyin">quán</span>' in section
    assert "authority" in section and "CC-CEDICT" in section and "CC BY-SA 4.0" in section
    网_row = section[section.index(">网<") : section.index("</li>", section.index(">网<"))]
    assert "网络强国" in 网_row and "维护网络主权" in 网_row and "国家主权" not in 网_row
    assert '"/terms/wangluo-zhuquan"' not in 网_row  # not the entry itself
    assert "Entries containing" in section and ">维护网络主权</a>." in section


def test_a_character_in_many_entries_lists_a_few_and_counts_the_rest(client, session) -> None:
    make_term(session, "人民", "the people")
    for word in ("人才", "人权", "人口", "人心", "人工智能", "人大", "人类", "人民币"):
        make_term(session, word, f"gloss of {word}")
    html = client.get("/terms/renmin").get_data(as_text=True)
    row = html[html.index(">人<") : html.index("</li>", html.index(">人<"))]
    assert row.count('href="/terms/') == 6 and "2 more</a>" in row  # 8 others: 6 listed, 2 counted
    assert 'href="/search?q=%E4%BA%BA"' in row
