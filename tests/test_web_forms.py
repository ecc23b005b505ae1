"""The WTForms forms: each field's error beside the field (status as before: 422, 409 …), tags as
comma-separated slugs, and Flask-WTF's CSRF check (session-long tokens, one plain refusal)."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa
from helpers import make_source, make_term
from test_web_editor import PASSWORD, body, edit_form, sign_in, stored, token
from werkzeug.datastructures import MultiDict

from glossary.extensions import db
from glossary.models import Revision
from glossary.services.auth import create_user
from glossary.web.termform import DATE_HELP, LANG_HELP, SLUG_HELP, TAG_HELP, compact, parse_tags


@pytest.fixture
def editor(app, session, client):
    create_user(session, "editor", PASSWORD)
    make_source(session, id="aspi-2021", title="China's cyber vision")
    make_term(session, "网络主权", "cyber sovereignty", tags=["cyber", "party-building"])
    session.commit()
    assert sign_in(client).status_code == 303
    return client


def _control(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    m = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert m, f"no control #{element_id}"
    return m.group(0)


def assert_beside(html: str, name: str, message: str) -> None:
    """The message is in the field's own error span, which the field names in aria-describedby,
    and the field is marked invalid; the message is said there only, not again in a list on top."""
    span = re.search(rf'<span class="field-error" id="err-{re.escape(name)}">([^<]*)</span>', html)
    assert span and message in unescape(span.group(1)), (name, span and span.group(1))
    control = _control(html, f"f-{name}")
    assert 'aria-invalid="true"' in control, control
    assert f"err-{name}" in re.search(r'aria-describedby="([^"]*)"', control).group(1)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary and message not in unescape(summary.group(1)), "the message is listed at the top"


# the editor's fields


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("simplified", "", "Required."),
        ("slug", "Not A Slug", SLUG_HELP),
        ("first_use-date", "June 2010", DATE_HELP),
        ("translations-0-from", "2010/06", DATE_HELP),
        ("translations-0-lang", "english!", LANG_HELP),
        ("definitions-0-lang", "e", LANG_HELP),
        ("related-0-slug", "Wang Luo", SLUG_HELP),
        ("tags", "bad_tag", TAG_HELP),
        ("excerpts-0-text", "", "Required (or tick Remove)."),
        ("comment", "x\x00y", "NUL"),
    ],
)
def test_each_editor_field_says_what_is_wrong_beside_it(app, editor, field: str, value: str, message: str) -> None:
    data = edit_form(editor) | {"simplified": "数字中国", "translations-0-text": "Digital China", "action": "save"}
    if field.startswith("excerpts"):
        data["excerpts-0-source"] = "aspi-2021"  # a row with something in it but no passage
    if field.startswith("related") or field.startswith("definitions"):
        data[field.rsplit("-", 1)[0] + ("-text" if field.startswith("definitions") else "-type")] = (
            "A definition." if field.startswith("definitions") else "related"
        )
    data[field] = value
    r = editor.post("/edit/new", data=data)
    html = body(r)
    assert r.status_code == 422, (field, r.status_code)
    assert "The term was not saved" in html and f'href="#f-{field}"' in html  # a link to the field, not the message
    assert_beside(html, field, message)
    assert stored(app, "shuzi-zhongguo") is None


def test_all_format_errors_come_at_once_and_what_was_typed_is_kept(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "数字中国", "action": "save", "first_use-date": "June 2010"}
    data |= {"translations-0-text": "Digital China", "translations-0-until": "soon", "tags": "digital, bad_tag"}
    html = body(editor.post("/edit/new", data=data))
    for name, message in (("first_use-date", DATE_HELP), ("translations-0-until", DATE_HELP), ("tags", "“bad_tag”")):
        assert_beside(html, name, message)
    assert 'value="June 2010"' in html and 'value="soon"' in html and 'value="digital, bad_tag"' in html
    assert "Correct the 3 fields marked below" in html


def test_a_service_error_lands_on_the_row_it_is_about(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "数字中国", "action": "save"}
    data |= {
        "translations-0-text": "Digital China",
        "translations-1-text": "digital China",
        "translations-1-source": "nope",
    }
    data |= {"translations-0-remove": "1"}  # removed: the row with the bad source becomes row 0
    html = body(editor.post("/edit/new", data=data))
    assert_beside(html, "translations-0-source", "unknown source 'nope'")
    assert 'value="digital China"' in html and "Digital China" not in html


def test_a_clash_between_forms_is_said_on_the_section(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "网络空间", "forms-0-text": "网络主权", "forms-0-tag": "zh-Hans"}
    r = editor.post("/edit/new", data=data | {"action": "save"})
    assert r.status_code == 409
    section = re.search(r'<p class="field-error" id="err-forms">([^<]*)</p>', body(r))
    assert section and "is a form of &#39;wangluo-zhuquan&#39;" in section.group(1)
    assert 'href="#section-forms"' in body(r)


def test_a_stale_form_keeps_its_message_at_the_top_and_takes_the_new_version(app, editor) -> None:
    mine = edit_form(editor, "wangluo-zhuquan")
    assert editor.post("/edit/wangluo-zhuquan", data=mine | {"note": "theirs", "action": "save"}).status_code == 303
    r = editor.post("/edit/wangluo-zhuquan", data=mine | {"note": "mine", "action": "save"})
    html = body(r)
    assert r.status_code == 409 and 'id="error-summary"' in html and "after you opened it" in html
    assert 'name="version" type="hidden" value="2"' in html  # saving again overwrites, knowingly


# tags


def test_tags_are_comma_separated_and_a_tag_typed_with_spaces_becomes_its_slug(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "党的建设", "tags": "Party  Building, cyber,cyber", "action": "save"}
    r = editor.post("/edit/new", data=data)
    assert r.status_code == 303
    slug = r.headers["Location"].rsplit("/", 1)[1]
    assert [t.tag for t in stored(app, slug).tags] == ["cyber", "party-building"]
    assert "The tag “Party  Building” was saved as party-building." in body(editor.get(r.headers["Location"]))


def test_the_edit_form_lists_tags_with_commas_and_posting_it_back_keeps_them(app, editor) -> None:
    data = edit_form(editor, "wangluo-zhuquan")
    assert data["tags"] == "cyber, party-building"
    r = editor.post("/edit/wangluo-zhuquan", data=data | {"action": "save"})
    assert r.status_code == 303
    assert [t.tag for t in stored(app, "wangluo-zhuquan").tags] == ["cyber", "party-building"]
    with app.app_context():  # nothing changed, so no revision was made
        assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.slug == "wangluo-zhuquan")) == 1


def test_the_preview_shows_what_a_tag_with_spaces_becomes(editor) -> None:
    data = edit_form(editor) | {"simplified": "党的建设", "tags": "party building", "action": "preview"}
    html = body(editor.post("/edit/new", data=data))
    assert "“party building” becomes <code>party-building</code>" in html
    assert 'value="party-building"' in html


def test_parse_tags() -> None:
    assert parse_tags("Cyber, party building,\nrule-of-law , ,cyber") == (
        ["cyber", "party-building", "rule-of-law"],
        [("party building", "party-building")],
        [],
    )
    assert parse_tags("网络, -x, a_b, " + "a" * 65) == ([], [], ["网络", "-x", "a_b", "a" * 65])


def test_compact_drops_empty_and_removed_rows_and_renumbers_the_rest() -> None:
    posted = MultiDict(
        [
            ("simplified", "中"),
            ("translations-0-text", ""),
            ("translations-0-lang", "en"),
            ("translations-0-status", "alternative"),  # only defaults: an untouched blank row
            ("translations-3-text", "kept"),
            ("translations-5-text", "gone"),
            ("translations-5-remove", "1"),
            ("translations-7-source", "aspi-2021"),  # something in it but no text: kept, to be reported
            ("translations-8-bogus", "x"),  # no such field
        ]
    )
    assert list(compact(posted).items(multi=True)) == [
        ("simplified", "中"),
        ("translations-0-text", "kept"),
        ("translations-1-source", "aspi-2021"),
    ]


# sign-in and suggest


def test_sign_in_says_which_field_is_missing(session, client) -> None:
    r = client.post("/login", data={"csrf_token": token(client), "name": " ", "password": ""})
    html = body(r)
    assert r.status_code == 422
    for name, message, element in (
        ("name", "Enter your editor name.", "login-name"),
        ("password", "Enter your password.", "login-password"),
    ):
        assert f'<span class="field-error" id="err-{name}">{message}</span>' in html
        assert 'aria-invalid="true"' in _control(html, element)


def test_suggest_errors_are_beside_their_fields(editor) -> None:
    csrf = token(editor, "/suggest")
    r = editor.post("/suggest", data={"csrf_token": csrf, "text": "共同富裕 (common prosperity)", "title": "a\x00b"})
    assert r.status_code == 422
    assert re.search(r'<span class="field-error" id="err-title">The field title contains a NUL', body(r))
    r = editor.post("/suggest", data={"csrf_token": csrf, "text": "  "})
    assert r.status_code == 422
    assert '<span class="field-error" id="err-text">Paste a text or choose a file first.</span>' in body(r)
    assert 'aria-invalid="true"' in _control(body(r), "suggest-text")


# CSRF


def test_csrf_failures_are_one_plain_400_and_change_nothing(app, editor, client) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"note": "forged", "action": "save"}
    own = data["csrf_token"]
    other = app.test_client()  # another session's token is no good here
    other_token = token(other)
    for bad in ("", "forged", other_token, own[:-2] + ("AA" if not own.endswith("AA") else "BB")):
        r = editor.post("/edit/wangluo-zhuquan", data=data | {"csrf_token": bad})
        assert r.status_code == 400 and "Form expired" in body(r), bad
        assert "nothing was changed" in body(r)
    assert stored(app, "wangluo-zhuquan").note is None
    # the header is the other way to send it (for scripts of this site)
    del data["csrf_token"]
    r = editor.post("/edit/wangluo-zhuquan", data=data, headers={"X-CSRF-Token": own})
    assert r.status_code == 303 and stored(app, "wangluo-zhuquan").note == "forged"


def test_a_token_from_before_sign_in_is_worthless_after_it(session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    before = token(client)
    assert client.post("/login", data={"csrf_token": before, "name": "editor", "password": PASSWORD}).status_code == 303
    r = client.post("/logout", data={"csrf_token": before})
    assert r.status_code == 400 and "Form expired" in body(r)


def test_a_token_lasts_as_long_as_the_session(app, editor, monkeypatch) -> None:
    """Flask-WTF's tokens expire after an hour by default; an editor may keep a form open longer."""
    import time

    import flask_wtf.csrf
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class ThreeDaysAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3 * 24 * 3600

    class Serializer(URLSafeTimedSerializer):
        default_signer = ThreeDaysAgo

    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    monkeypatch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", Serializer)  # only to sign the token
    old = token(editor, "/edit")
    monkeypatch.undo()
    assert editor.post("/logout", data={"csrf_token": old}).status_code == 303
