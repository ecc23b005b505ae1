"""Term mining: each gloss pattern, Chinese-document phrases, the CLI, and precision/recall of
`glossary extract` against a hand-built gold list from the five seed documents."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import SHARED, needs_shared

from glossary.cli import main
from glossary.text.keys import latin_key
from glossary.text.mining import glosses, phrases
from glossary.text.prose import sentence_at, spells

GOLD = Path(__file__).parent / "data" / "extract_gold.json"


def _pairs(text: str) -> list[tuple[str, str | None]]:
    return [(g.chinese, g.english) for g in glosses(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He spoke of “cyber sovereignty” (网络主权) at length.", [("网络主权", "cyber sovereignty")]),
        ("The plan is a 'cyber superpower' (网络强国).", [("网络强国", "cyber superpower")]),
        ("They call it a “proxy war (代理人战争)” here.", [("代理人战争", "proxy war")]),
        ('A "sovereign AI (主权人工智能)" is wanted.', [("主权人工智能", "sovereign AI")]),
        ("Toward the end of March, Li Hui (李辉), an envoy, held talks.", [("李辉", "Li Hui")]),
        ("Nvidia's CEO Jensen Huang (黄仁勋) said so.", [("黄仁勋", "Jensen Huang")]),
        (
            "Both are registered with the Ministry of Civil Affairs (民政部), China's agency.",
            [("民政部", "Ministry of Civil Affairs")],
        ),
        (
            "It was run by the China Association for International Friendly Contact (CAIFC, 中国国际友好联络会).",
            [("中国国际友好联络会", "China Association for International Friendly Contact")],
        ),
        (
            "Issues such as news extortion (新闻敲诈), paid-for news (有偿新闻) and fake news (虚假新闻).",
            [("新闻敲诈", "news extortion"), ("有偿新闻", "paid-for news"), ("虚假新闻", "fake news")],
        ),
        (
            "- 1 'China's access to the internet' [中国接入互联网], *China News Service* [中国新闻社], online.",
            [("中国接入互联网", "China's access to the internet"), ("中国新闻社", "China News Service")],
        ),
        (
            "'Internet sovereignty' or 'cyber sovereignty' (网络主权) is a principle.",
            [("网络主权", "Internet sovereignty"), ("网络主权", "cyber sovereignty")],
        ),
        ("Xiao Qiang 萧强 is a research scientist.", [("萧强", "Xiao Qiang")]),
        ("他提出了网络主权 (cyber sovereignty) 的概念。", [("网络主权", "cyber sovereignty")]),
        (
            "The Weibo account “Xinhua Online Matters” (@新华社中国网事) posted.",
            [("新华社中国网事", "Xinhua Online Matters")],
        ),
        ("“One’s view of journalism (新闻观)is the soul of news work.", [("新闻观", "view of journalism")]),
        (
            "They want “actively cultivate a new culture of marriage and childbearing (新型婚育文化)” in women.",
            [("新型婚育文化", "new culture of marriage and childbearing")],
        ),
        ("It was (see 2022) and (CSFM) and (Source: MFA).", []),
        ("Beijing champions cyber sovereignty (网络主权) abroad.", [("网络主权", "cyber sovereignty")]),
        ("Officials discussed common prosperity [共同富裕] at length.", [("共同富裕", "common prosperity")]),
        ("They called for high-quality development (高质量发展).", [("高质量发展", "high-quality development")]),
        ("China pursues its 'dual circulation' strategy (双循环).", [("双循环", "dual circulation strategy")]),
        ("It is printed in *Economic Daily* (《经济日报》).", [("经济日报", "Economic Daily")]),
        ("The motto “one country, two systems” (“一国两制”) holds.", [("一国两制", "one country, two systems")]),
        ("Known as the Belt and Road Initiative (「一带一路」倡议).", [("一带一路倡议", "Belt and Road Initiative")]),
        (
            "It ran “‘Clean Network’ Plan Damages Cybersecurity” (“清洁网络”计划危害网络安全)",
            [("“清洁网络”计划危害网络安全", "‘Clean Network’ Plan Damages Cybersecurity")],
        ),
    ],
)
def test_gloss_patterns(text: str, expected: list[tuple[str, str]]) -> None:
    assert _pairs(text) == expected


def test_pinyin_gloss_records_romanisation_and_english() -> None:
    text = "Policy is made in a national policy system sometimes referred to as a *xitong* (系统)."
    [g] = glosses(text)
    assert (g.chinese, g.english, g.pinyin, g.pattern) == ("系统", "national policy system", "xitong", "pinyin")


def test_gloss_carries_position_and_verbatim_sentence() -> None:
    text = "First sentence here.\nDr. Wang said so. Officials spoke of “decoupling” (脱钩). Then nothing."
    [g] = glosses(text)
    assert text[g.start : g.end] == "脱钩"
    assert g.sentence == "Officials spoke of “decoupling” (脱钩)."
    assert text[g.sentence_start : g.sentence_start + len(g.sentence)] == g.sentence
    assert g.line == 2 and g.kind == "term" and g.pattern == "quoted-before"


def test_marks_around_the_chinese_are_dropped_but_its_span_is_where_it_is_printed() -> None:
    text = "It is printed in *Economic Daily* ( 《经济日报》 ) and the Initiative (「一带一路」倡议)."
    daily, bri = glosses(text)
    assert (daily.chinese, text[daily.start : daily.end]) == ("经济日报", "经济日报")
    assert (bri.chinese, text[bri.start : bri.end]) == ("一带一路倡议", "「一带一路」倡议")


def test_sentence_split_respects_abbreviations() -> None:
    text = "Dr. Zhong Nanshan (钟南山) was honoured. Next."
    assert sentence_at(text, text.index("钟"))[0] == "Dr. Zhong Nanshan (钟南山) was honoured."


def test_spells_checks_pinyin_with_heteronyms() -> None:
    assert spells("lihui", "李辉") and spells("zengguofan", "曾国藩") and spells("xiaohuamei", "小花梅")
    assert not spells("soline", "首联")


def test_chinese_phrases_and_formulas_recur() -> None:
    text = (
        "全党要增强“四个意识”，坚定“四个自信”。\n"
        "必须增强“四个意识”，做到“两个维护”，坚持“新发展理念”。\n"
        "贯彻新发展理念，坚持“新发展理念”和“两个维护”，落实八项规定，严守八项规定。"
    )
    found = {p.text: p for p in phrases(text, known={"两个维护"})}
    assert set(found) == {"四个意识", "新发展理念", "八项规定"}
    assert (found["新发展理念"].count, found["新发展理念"].quoted) == (3, 2)
    assert found["八项规定"].kind == "formula"
    sentence, offset, line = found["四个意识"].contexts[1]
    assert (sentence, line) == ("必须增强“四个意识”，做到“两个维护”，坚持“新发展理念”。", 2)
    assert text[offset : offset + 4] == "四个意识"


def _extract(path: Path, out: Path, *extra: str) -> dict:
    assert main(["extract", str(path), "-o", str(out), *extra]) == 0
    return json.loads(out.read_text("utf-8"))


def test_cli_flags_known_terms_and_offers_new_glosses(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text(
        "Beijing defends “net sovereignty” (网络主权) abroad.\n"
        "It also speaks of a “smart court (智慧法院)” system, says Li Hui (李辉).\n",
        "utf-8",
    )
    out = _extract(doc, tmp_path / "out.json")
    by = {t["simplified"]: t for t in out["terms"]}
    assert set(by) == {"智慧法院", "李辉"}
    source_id = out["sources"][0]["id"]
    assert out["additions"] == [  # a known term: only what it lacks
        {
            "slug": "wangluo-zhuquan",
            "simplified": "网络主权",
            "translations": [
                {
                    "lang": "en",
                    "text": "net sovereignty",
                    "status": "alternative",
                    "source": source_id,
                    "note": "Found by glossary extract in note.txt, line 1.",
                }
            ],
            "excerpts": [
                {
                    "source": source_id,
                    "text": "Beijing defends “net sovereignty” (网络主权) abroad.",
                    "locator": "line 1",
                }
            ],
        }
    ]
    new = by["智慧法院"]
    assert new["status"] == "draft" and new["kind"] == "concept"
    assert new["translations"] == [{"lang": "en", "text": "smart court", "status": "preferred", "source": source_id}]
    assert new["excerpts"] == [
        {
            "source": source_id,
            "text": "It also speaks of a “smart court (智慧法院)” system, says Li Hui (李辉).",
            "locator": "line 2",
        }
    ]
    assert by["李辉"]["kind"] == "person"
    assert "3 candidates: 2 new, 1 known with a new gloss" in capsys.readouterr().err
    no_names = _extract(doc, tmp_path / "out2.json", "--no-names")
    assert "李辉" not in {t["simplified"] for t in no_names["terms"]}
    capsys.readouterr()
    assert main(["import", str(tmp_path / "out.json")]) == 0
    assert "2 created, 0 updated, 0 unchanged, 1 extended" in capsys.readouterr().out
    assert main(["extract", str(doc), "--format", "text"]) == 0
    table = capsys.readouterr().out
    assert re.search(r"known\s+网络主权", table) and re.search(r"known\s+智慧法院", table)


def test_extract_output_is_valid_glossary1(seeded, tmp_path: Path) -> None:
    import jsonschema

    from glossary.formats.glossary1 import schema

    doc = tmp_path / "note.txt"
    doc.write_text(NOTE, "utf-8")
    out = _extract(doc, tmp_path / "out.json")
    assert out["terms"] and out["additions"]
    jsonschema.Draft202012Validator(schema()).validate(out)


def test_import_of_extract_output_keeps_edits_made_since(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The file is reviewed for a while; meanwhile an editor changes the term. Importing the
    file adds the new gloss and excerpt and undoes none of the edits."""
    from glossary.extensions import db
    from glossary.models import Revision
    from glossary.services.patching import patch_term
    from glossary.services.representation import term_to_dict
    from glossary.services.terms import get_term

    doc = tmp_path / "note.txt"
    doc.write_text(NOTE, "utf-8")
    _extract(doc, tmp_path / "out.json")
    with seeded.app_context():
        term = get_term(db.session, "wangluo-zhuquan")
        edited = [
            {**t, "note": "checked 2026"} if t["text"] == "cyber sovereignty" else t
            for t in term_to_dict(term)["translations"]
        ]
        patch_term(db.session, term, {"note": "edited after the extraction", "translations": edited}, "ed")
        db.session.commit()
        before = term_to_dict(get_term(db.session, "wangluo-zhuquan"))
    capsys.readouterr()
    assert main(["import", str(tmp_path / "out.json")]) == 0
    summary = capsys.readouterr().out
    with seeded.app_context():
        after = term_to_dict(get_term(db.session, "wangluo-zhuquan"))
        revision = db.session.scalars(
            sa.select(Revision).where(Revision.slug == "wangluo-zhuquan").order_by(Revision.number.desc())
        ).first()
    assert after["note"] == "edited after the extraction"
    assert next(t for t in after["translations"] if t["text"] == "cyber sovereignty")["note"] == "checked 2026"
    assert "1 extended" in summary
    added = [t for t in after["translations"] if t not in before["translations"]]
    assert [(t["text"], t["status"]) for t in added] == [("net sovereignty", "alternative")]
    assert all(t in after["translations"] for t in before["translations"])
    assert len(after["excerpts"]) == len(before["excerpts"]) + 1
    assert {k: v for k, v in after.items() if k not in ("translations", "excerpts")} == {
        k: v for k, v in before.items() if k not in ("translations", "excerpts")
    }
    assert (revision.actor, revision.comment) == ("cli", "added: alternative en 'net sovereignty', 1 excerpt")


def test_additions_name_a_missing_term(app, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "add.json"
    path.write_text(
        json.dumps({"format": "glossary/1", "terms": [], "additions": [{"slug": "no-such-term", "excerpts": []}]}),
        "utf-8",
    )
    assert main(["import", str(path)]) == 1
    assert "additions[0].slug: no term with slug 'no-such-term'; nothing was imported" in capsys.readouterr().err


def test_cli_rejects_bad_input(app, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Line one\ncaf\xe9 (咖啡)\n".encode("latin-1", errors="ignore") + b"\xe9")
    assert main(["extract", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid UTF-8 (line 2" in err
    assert main(["extract", str(tmp_path / "missing.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def _key(zh: str, en: str) -> tuple[str, str]:
    return " ".join(zh.split()), re.sub(r"^(?:the|a|an) ", "", latin_key(en))


@needs_shared()
def test_precision_and_recall_on_the_seed_documents(app, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    gold = json.loads(GOLD.read_text("utf-8"))
    tp = fp = fn = 0
    misses, wrong = [], []
    for name, pairs in gold["documents"].items():
        out = _extract(SHARED / name, tmp_path / "out.json")
        found = out["terms"] + out.get("additions", [])  # additions: glosses of terms already known
        got = {_key(t["simplified"], x["text"]) for t in found for x in t.get("translations", [])}
        matched: set[tuple[str, str]] = set()
        for p in pairs:
            accepted = {_key(p["zh"], e) for e in [p["en"], *p.get("also", [])]}
            if accepted & got:
                tp += 1
                matched |= accepted & got
            else:
                fn += 1
                misses.append((p["zh"], p["en"]))
        fp += len(got - matched)
        wrong += sorted(got - matched)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(f"\nglossary extract on the seed documents: {tp + fn} gold pairs, {tp + fp} proposed")
        print(f"precision {precision:.3f}  recall {recall:.3f}")
        print("missed:", "; ".join(f"{zh} = {en}" for zh, en in misses))
        print("wrong:", "; ".join(f"{zh} = {en}" for zh, en in wrong))
    assert recall >= 0.9
    assert precision >= 0.8


NOTE = (
    "Beijing defends “net sovereignty” (网络主权) abroad.\n"
    "It also speaks of a “smart court (智慧法院)” system, says Li Hui (李辉).\n"
)


@pytest.fixture
def editor_client(seeded):
    """A client signed in as an editor; its CSRF token, read from a form, in ``client.csrf``."""
    from glossary.extensions import db
    from glossary.services.auth import create_user

    with seeded.app_context():
        user = create_user(db.session, "ed", "a long enough password")
        db.session.commit()
        user_id = user.id
    client = seeded.test_client()
    with client.session_transaction() as sess:
        sess["user_id"] = user_id
        sess["session_version"] = 0  # a fresh account's (web/auth.py checks it)
        sess["signed_in"] = int(__import__("time").time())
    client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/suggest").text).group(1)
    return client


def test_suggest_page_needs_sign_in(client) -> None:
    response = client.get("/suggest")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_suggest_lists_candidates_with_checkboxes(editor_client) -> None:
    page = editor_client.get("/suggest")
    assert page.status_code == 200 and "Suggest from a document" in page.text
    response = editor_client.post(
        "/suggest", data={"csrf_token": editor_client.csrf, "text": NOTE, "action": "analyse"}
    )
    assert response.status_code == 200
    html = response.text
    assert 'name="pick" value="智慧法院"' in html and 'name="pick" value="网络主权"' in html
    assert "net sovereignty</span> <em>(new)</em>" in html
    assert "line 2, character" in html
    assert 'value="李辉"' not in html  # names only when asked for


def test_suggest_imports_the_ticked_candidates(editor_client, seeded) -> None:
    data = {
        "csrf_token": editor_client.csrf,
        "text": NOTE,
        "action": "import",
        "pick": ["智慧法院", "网络主权"],
        "title": "A note",
    }
    from glossary.extensions import db
    from glossary.models import Revision
    from glossary.services.representation import term_to_dict
    from glossary.services.terms import get_term

    with seeded.app_context():
        before = term_to_dict(get_term(db.session, "网络主权"))
    response = editor_client.post("/suggest", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/edit")

    with seeded.app_context():
        new = get_term(db.session, "智慧法院")
        assert new.status == "draft"
        assert [t.text for t in new.translations] == ["smart court"]
        assert new.excerpts[0].source.title == "A note"
        known = get_term(db.session, "网络主权")
        assert known.status == "published"
        [added] = [t for t in known.translations if t.text == "net sovereignty"]
        assert added.status == "alternative"
        assert added.note == "Found by glossary extract in A note, line 1; added by ed from Suggest, not yet reviewed."
        revision = db.session.scalars(
            sa.select(Revision).where(Revision.slug == "wangluo-zhuquan").order_by(Revision.number.desc())
        ).first()
        assert (revision.actor, revision.comment) == ("ed", "added: alternative en 'net sovereignty', 1 excerpt")
        after = term_to_dict(known)
    assert {k: v for k, v in after.items() if k not in ("translations", "excerpts")} == {
        k: v for k, v in before.items() if k not in ("translations", "excerpts")
    }
    assert [t for t in before["translations"] if t not in after["translations"]] == []


def test_suggest_errors_change_nothing(editor_client) -> None:
    empty = editor_client.post("/suggest", data={"csrf_token": editor_client.csrf, "text": " ", "action": "analyse"})
    assert empty.status_code == 422 and "Paste a text" in empty.text
    none = editor_client.post("/suggest", data={"csrf_token": editor_client.csrf, "text": NOTE, "action": "import"})
    assert none.status_code == 422 and "Tick at least one" in none.text
    forged = editor_client.post("/suggest", data={"text": NOTE, "action": "import", "pick": ["智慧法院"]})
    assert forged.status_code == 400
    upload = editor_client.post(
        "/suggest",
        data={
            "csrf_token": editor_client.csrf,
            "action": "analyse",
            "file": (io.BytesIO(b"caf\xe9 (\xe5"), "latin.txt"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 422 and "latin.txt is not UTF-8 text (line 1)" in upload.text
    utf16 = editor_client.post(
        "/suggest",
        data={
            "csrf_token": editor_client.csrf,
            "action": "analyse",
            "file": (io.BytesIO(NOTE.encode("utf-16")), "note.txt"),
        },
        content_type="multipart/form-data",
    )
    assert utf16.status_code == 422
    assert "note.txt: the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8" in utf16.text
    for field in ("source_id", "text", "title"):  # PostgreSQL answered 500 to a NUL in source_id
        data = {
            "csrf_token": editor_client.csrf,
            "action": "import",
            "text": NOTE,
            "pick": ["智慧法院"],
            field: "x\x00y",
        }
        nul = editor_client.post("/suggest", data=data)
        assert nul.status_code == 422, field
        assert f"The field {field} contains a NUL character" in nul.text


def test_additions_skip_what_the_term_has_and_what_they_repeat(seeded, tmp_path: Path, capsys) -> None:
    from glossary.extensions import db
    from glossary.services.representation import term_to_dict
    from glossary.services.terms import get_term

    gloss = lambda text: {"lang": "en", "text": text, "status": "alternative"}  # noqa: E731
    addition = {
        "slug": "wangluo-zhuquan",
        "translations": [gloss("Cyber  Sovereignty"), gloss("net sov"), gloss("Net Sov")],
    }
    path = tmp_path / "additions.json"
    path.write_text(json.dumps({"format": "glossary/1", "terms": [], "additions": [addition]}), "utf-8")
    with seeded.app_context():
        before = term_to_dict(get_term(db.session, "wangluo-zhuquan"))["translations"]
    assert main(["import", str(path)]) == 0
    with seeded.app_context():
        after = term_to_dict(get_term(db.session, "wangluo-zhuquan"))["translations"]
    assert [t["text"] for t in after if t not in before] == ["net sov"]  # "cyber sovereignty" it had
