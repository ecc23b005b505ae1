"""Impostor terms: a form that differs from a real one only by invisible or look-alike characters
is stored as the real spelling (so it collides with the real term: 409 naming it), and one with
bidi controls or stray combining marks is refused with a message naming the field. Every write
path normalises: the API (POST, PUT, PATCH), the web editor's service and the import."""

from __future__ import annotations

import re

import pytest
from helpers import make_term, term_doc

from glossary.services import interchange
from glossary.services.errors import Conflict, Invalid
from glossary.text.surface import SurfaceFormError, normalise_form

REAL = "网络主权"
IMPOSTORS = {
    "zero-width space": "网络主\u200b权",
    "zero-width joiner": "网络\u200d主权",
    "word joiner": "网\u2060络主权",
    "byte order mark": "\ufeff网络主权",
    "soft hyphen": "网络\u00ad主权",
    "variation selector": "网\ufe00络主权",
    "ideographic variation selector": "网络\U000e0100主权",
    "full-width space": "网络主\u3000权",
    "ASCII space": "网络 主权",
    "Kangxi radical": "\u2f79络主权",  # ⽹ KANGXI RADICAL NET
}
REFUSED = {
    "right-to-left override": ("网络主\u202e权", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "left-to-right embedding": ("\u202a网络主权", "U+202A"),
    "first strong isolate": ("网络\u2068主权", "U+2068"),
    "pop directional isolate": ("网络主权\u2069", "U+2069"),
    "left-to-right mark": ("网络\u200e主权", "U+200E"),
    "right-to-left mark": ("网络\u200f主权", "U+200F"),
    "Arabic letter mark": ("网络\u061c主权", "U+061C"),
    "combining acute accent": ("网络主权\u0301", "U+0301 COMBINING ACUTE ACCENT"),
    "combining enclosing circle": ("网\u20dd络主权", "U+20DD"),
}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("name", IMPOSTORS)
def test_each_impostor_normalises_to_the_real_spelling(name: str) -> None:
    assert normalise_form(IMPOSTORS[name]) == REAL


@pytest.mark.parametrize("name", REFUSED)
def test_bidi_controls_and_combining_marks_are_refused(name: str) -> None:
    text, named = REFUSED[name]
    with pytest.raises(SurfaceFormError, match=re.escape(named)):
        normalise_form(text)


def test_meaningful_characters_are_kept() -> None:
    assert normalise_form("中国特色社会主义，新时代") == "中国特色社会主义，新时代"  # full-width comma
    assert normalise_form("一带一路、人类命运共同体") == "一带一路、人类命运共同体"
    assert normalise_form("“两个确立”") == "“两个确立”"
    assert normalise_form("5G 网络") == "5G 网络"  # a space beside Latin stays (one space)
    assert normalise_form("  网络  主权 ") == REAL
    assert normalise_form("\uf967忘初心") == "不忘初心"  # a CJK compatibility ideograph (NFC maps it)
    assert normalise_form("\u2ef3") == "龟"  # CJK RADICAL C-SIMPLIFIED TURTLE (NFKC, radicals only)
    assert normalise_form("Café") == "Café"  # NFC composes the accent: not a stray mark


@pytest.mark.parametrize("name", IMPOSTORS)
def test_api_refuses_an_impostor_of_an_existing_term(client, session, write_token, name: str) -> None:
    make_term(session, REAL, "cyber sovereignty")
    r = client.post("/api/v1/terms", json={"simplified": IMPOSTORS[name]}, headers=auth(write_token))
    assert r.status_code == 409, r.get_data(as_text=True)
    assert "wangluo-zhuquan" in r.get_json()["detail"]


@pytest.mark.parametrize("name", REFUSED)
def test_api_refuses_bidi_and_marks_naming_the_field(client, write_token, name: str) -> None:
    text, named = REFUSED[name]
    r = client.post("/api/v1/terms", json={"simplified": text}, headers=auth(write_token))
    assert r.status_code == 422, r.get_data(as_text=True)
    body = r.get_json()
    assert body["errors"][0]["path"] == "term.simplified" and named in body["detail"]
    form = {"simplified": "数字中国", "forms": [{"text": "數字中國", "tag": "zh-TW"}, {"text": text, "tag": "zh-TW"}]}
    r = client.post("/api/v1/terms", json=form, headers=auth(write_token))
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "term.forms[1].text"
    assert client.get("/api/v1/terms?per_page=100").get_json()["total"] == 0  # nothing was written


def test_a_new_term_is_stored_normalised_and_found_by_the_annotator(client, write_token) -> None:
    body = {
        "simplified": "网络\u200b主权",
        "traditional": "網絡\ufeff主權",
        "forms": [{"text": "網路\u00ad主權", "tag": "zh-TW"}],
    }
    r = client.post("/api/v1/terms", json=body, headers=auth(write_token))
    assert r.status_code == 201, r.get_data(as_text=True)
    term = r.get_json()
    assert (term["simplified"], term["traditional"], term["forms"][0]["text"]) == (REAL, "網絡主權", "網路主權")
    hits = client.post("/api/v1/annotate", json={"text": "维护网络主权"}).get_json()
    assert [m["slug"] for m in hits["matches"]] == ["wangluo-zhuquan"]


def test_put_and_patch_normalise_too(client, session, write_token) -> None:
    make_term(session, REAL, "cyber sovereignty")
    make_term(session, "共同富裕", "common prosperity")
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    headers = auth(write_token) | {"If-Match": etag}
    patch = {"forms": [{"text": "\u2f79络主权", "tag": "zh-Hans"}]}  # a Kangxi radical for 网
    r = client.patch("/api/v1/terms/gongtong-fuyu", json=patch, headers=headers)
    assert r.status_code == 409 and "wangluo-zhuquan" in r.get_json()["detail"], r.get_data(as_text=True)
    r = client.put("/api/v1/terms/gongtong-fuyu", json={"simplified": "共同\u202e富裕"}, headers=headers)
    assert r.status_code == 422 and r.get_json()["errors"][0]["path"] == "term.simplified"


def test_import_normalises_and_refuses_like_the_api(session) -> None:
    make_term(session, REAL, "cyber sovereignty")
    with pytest.raises(Conflict, match="wangluo-zhuquan"):
        interchange.load(session, term_doc({"simplified": "网络主\u200b权"}), "tests")
    session.rollback()
    with pytest.raises(Invalid, match=r"terms\[0\]\.simplified.*U\+202E"):
        interchange.load(session, term_doc({"simplified": "网络主\u202e权"}), "tests")
    session.rollback()
    report = interchange.load(session, term_doc({"simplified": "数字\u00ad中国"}), "tests")
    session.commit()
    assert report.created == ["shuzi-zhongguo"]
