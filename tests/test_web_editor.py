"""Editors: sign-in, CSRF, creating and editing terms, drafts, history with diffs, delete and restore."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from helpers import make_source, make_term

from glossary.extensions import db
from glossary.models import Revision, Term, User
from glossary.services.auth import create_user

PASSWORD = "correct horse battery"


def body(response) -> str:
    return response.get_data(as_text=True)


def token(client, url: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', body(client.get(url))).group(1)


def sign_in(client, name: str = "editor", password: str = PASSWORD, **extra: str):
    return client.post("/login", data={"csrf_token": token(client), "name": name, "password": password, **extra})


@pytest.fixture
def editor(app, session, client):
    """A client signed in as the editor 'editor'."""
    create_user(session, "editor", PASSWORD)
    session.commit()
    assert sign_in(client).status_code == 303
    return client


@pytest.fixture
def sourced(session) -> None:
    make_source(session, id="aspi-2021", title="China's cyber vision")
    make_term(
        session,
        "网络主权",
        translations=[{"lang": "en", "text": "cyber sovereignty", "status": "preferred", "source": "aspi-2021"}],
        definitions=[{"lang": "en", "text": "Each state governs its own cyberspace."}],
        tags=["cyber"],
    )
    make_term(session, "人类命运共同体", "community with a shared future for mankind")


def edit_form(client, slug: str | None = None) -> dict[str, str]:
    """The edit form's fields as the browser would post them back unchanged."""
    html = body(client.get(f"/edit/{slug}" if slug else "/edit/new"))
    form = html[html.index('id="term-form"') : html.index("</form>", html.index('id="term-form"'))]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    fields: dict[str, str] = {}
    for tag in re.finditer(r"<input\b[^>]*>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(0)))
        if "name" not in attrs or attrs.get("type") == "checkbox":
            continue
        if attrs.get("type") == "radio" and " checked" not in tag.group(0):
            continue
        fields[attrs["name"]] = attrs.get("value", "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[m.group(1)] = re.sub(r"^\r?\n", "", m.group(2))  # a browser drops a newline after <textarea>
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option (?:selected value="([^"]*)"|value="([^"]*)" selected)>', m.group(2))
        fields[m.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    return {k: unescape(v) for k, v in fields.items()}


def revisions(app, slug: str) -> list[Revision]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Revision).where(Revision.slug == slug).order_by(Revision.number)))


def stored(app, slug: str) -> Term | None:
    with app.app_context():
        from glossary.services.terms import TERM_LOAD

        return db.session.scalar(sa.select(Term).options(*TERM_LOAD).where(Term.slug == slug))


# signing in and out


def test_sign_in_starts_an_editor_session(app, session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    html = body(client.get("/login"))
    assert 'name="csrf_token"' in html and 'autocomplete="current-password"' in html
    r = sign_in(client)
    assert r.status_code == 303 and r.headers["Location"] == "/edit"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = body(client.get("/edit"))
    assert "Signed in as editor." in page and "Editor: <strong>editor</strong>" in page
    assert client.get("/edit").headers["Cache-Control"] == "private, no-store"


def test_a_wrong_password_or_unknown_name_does_not_sign_in(app, session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    for name, password in (("editor", "wrong password"), ("nobody", PASSWORD)):
        r = sign_in(client, name, password)
        assert r.status_code == 200
        assert "That name and password do not match an editor account." in body(r)
        assert f'value="{name}"' in body(r)
    assert client.get("/edit").status_code == 303


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(app, session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    r = client.get("/edit/new?simplified=测试")
    assert r.status_code == 303 and r.headers["Location"].startswith("/login?next=")
    assert "next=/edit/new" in body(client.get(r.headers["Location"])) or 'value="/edit/new?' in body(
        client.get(r.headers["Location"])
    )
    assert unquote(sign_in(client, next="/edit/new?simplified=测试").headers["Location"]) == "/edit/new?simplified=测试"
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout", data={"csrf_token": token(client, "/edit")})
        assert sign_in(client, next=evil).headers["Location"] == "/edit", evil


def test_login_is_protected_against_csrf(app, session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    r = client.post("/login", data={"name": "editor", "password": PASSWORD})
    assert r.status_code == 400 and "Form expired" in body(r)
    assert client.get("/edit").status_code == 303  # still signed out


def test_signing_in_replaces_the_csrf_token(app, session, client) -> None:
    create_user(session, "editor", PASSWORD)
    session.commit()
    before = token(client)
    sign_in(client)
    assert token(client, "/edit") != before


def test_sign_out_needs_a_post_with_the_token(editor) -> None:
    assert editor.get("/logout").status_code == 405
    assert editor.post("/logout").status_code == 400
    assert editor.get("/edit").status_code == 200
    r = editor.post("/logout", data={"csrf_token": token(editor, "/edit")})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert "Signed out." in body(editor.get("/"))
    assert editor.get("/edit").status_code == 303


def test_a_deleted_account_is_signed_out(session, editor) -> None:
    session.execute(sa.delete(User))
    session.commit()
    r = editor.get("/edit")
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")


def test_sign_in_attempts_are_rate_limited(db_url, make_app, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute")
    client = limited.test_client()
    codes = [sign_in(client, "nobody", "guess").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/login").status_code == 200  # only attempts count


def test_editing_pages_need_a_signed_in_editor(client, sourced) -> None:
    for url in ("/edit", "/edit/new", "/edit/wangluo-zhuquan", "/edit/wangluo-zhuquan/delete"):
        r = client.get(url)
        assert r.status_code == 303 and r.headers["Location"].startswith("/login?next="), url
    r = client.get("/edit/preview?simplified=网络", headers={"Accept": "application/json"})
    assert r.status_code == 401
    csrf = token(client)
    r = client.post("/edit/wangluo-zhuquan", data={"csrf_token": csrf, "simplified": "改"})
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")


# creating and editing


def test_the_dashboard_lists_drafts_and_latest_changes(editor, session) -> None:
    make_term(session, "草案", "a draft", status="draft")
    make_term(session, "共同富裕", "common prosperity")
    html = body(editor.get("/edit"))
    drafts = html[html.index('id="drafts-title"') : html.index('id="recent-title"')]
    assert "草案" in drafts and 'href="/edit/caoan"' in drafts and "共同富裕" not in drafts
    assert "created (revision 1)" in html and "tests" in html


def test_creating_a_term_derives_forms_and_records_a_revision(app, editor) -> None:
    data = edit_form(editor)
    assert data["status"] == "draft"  # new terms start as drafts
    data |= {"simplified": "网络主权", "translations-0-text": "cyber sovereignty", "translations-0-status": "preferred"}
    data |= {"tags": "Cyber, sovereignty", "comment": "first entry", "action": "save"}
    r = editor.post("/edit/new", data=data)
    assert r.status_code == 303 and r.headers["Location"] == "/terms/wangluo-zhuquan"
    page = body(editor.get(r.headers["Location"]))
    assert "Saved 网络主权 as revision 1. It is a draft: only editors can see it." in page
    assert "Draft – only editors can see this entry" in page
    term = stored(app, "wangluo-zhuquan")
    assert (term.traditional, term.pinyin) == ("網絡主權", "wǎngluò zhǔquán")
    assert {f.text for f in term.forms} >= {"网络主权", "網絡主權", "網路主權"}
    assert [t.tag for t in term.tags] == ["cyber", "sovereignty"]
    [rev] = revisions(app, "wangluo-zhuquan")
    assert (rev.action, rev.actor, rev.comment) == ("create", "editor", "first entry")
    assert app.test_client().get("/terms/wangluo-zhuquan").status_code == 404  # not public yet


def test_the_editor_can_override_derived_forms(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "长征", "pinyin": "Chángzhēng", "traditional": "長征"}
    data["status"] = "published"
    data |= {"forms-0-text": "長征路", "forms-0-tag": "zh-HK", "action": "save"}
    r = editor.post("/edit/new", data=data)
    assert r.status_code == 303
    term = stored(app, "changzheng")
    assert term.pinyin == "Chángzhēng" and term.status == "published"
    assert any(f.text == "長征路" and f.tag == "zh-HK" and f.origin == "curated" for f in term.forms)
    assert app.test_client().get("/terms/changzheng").status_code == 200


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(app, editor, sourced) -> None:
    data = edit_form(editor) | {"simplified": "数字中国", "action": "save"}
    data |= {"first_use-date": "June 2010", "translations-0-text": "Digital China", "translations-0-source": "nope"}
    data |= {"tags": "Bad_Tag"}
    r = editor.post("/edit/new", data=data)
    html = body(r)
    assert r.status_code == 422 and "The term was not saved" in html
    assert 'id="err-first_use-date">Use YYYY, YYYY-MM or YYYY-MM-DD.</span>' in html
    assert 'aria-invalid="true"' in html
    assert "Tags are lower-case words joined by hyphens" in html
    assert 'value="June 2010"' in html and 'value="数字中国"' in html  # what was typed is kept
    assert stored(app, "shuzi-zhongguo") is None
    data |= {"first_use-date": "2015-12", "tags": "digital"}
    html = body(editor.post("/edit/new", data=data))
    assert 'id="err-translations-0-source">unknown source &#39;nope&#39;</span>' in html


def test_two_preferred_renderings_in_one_language_are_refused(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "共同富裕", "action": "save"}
    data |= {"translations-0-text": "common prosperity", "translations-0-status": "preferred"}
    data |= {"translations-1-text": "shared prosperity", "translations-1-status": "preferred"}
    r = editor.post("/edit/new", data=data)
    assert r.status_code == 422 and "2 preferred translations in &#39;en&#39;; at most one per language" in body(r)


def test_a_row_needs_its_main_field(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "共同富裕", "excerpts-0-source": "aspi-2021", "action": "save"}
    r = editor.post("/edit/new", data=data)
    assert r.status_code == 422 and 'id="err-excerpts-0-text">Required (or tick Remove).</span>' in body(r)


def test_a_surface_form_owned_by_another_term_is_reported(app, editor, sourced) -> None:
    data = edit_form(editor) | {"simplified": "网络空间", "forms-0-text": "网络主权", "forms-0-tag": "zh-Hans"}
    r = editor.post("/edit/new", data=data | {"action": "save"})
    assert r.status_code == 409 and "is a form of &#39;wangluo-zhuquan&#39;" in body(r)


def test_the_edit_form_is_filled_in_and_leaves_derived_values_empty(editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan")
    assert data["simplified"] == "网络主权" and data["traditional"] == "" and data["pinyin"] == ""
    assert data["translations-0-text"] == "cyber sovereignty" and data["translations-0-source"] == "aspi-2021"
    assert data["definitions-0-text"] == "Each state governs its own cyberspace."
    assert data["tags"] == "cyber" and data["status"] == "published" and data["version"] == "1"
    assert data["translations-1-text"] == ""  # a blank row to add one without JavaScript
    html = body(editor.get("/edit/wangluo-zhuquan"))
    assert 'placeholder="網絡主權"' in html and 'placeholder="wǎngluò zhǔquán"' in html
    assert '<dd lang="zh-Hant-TW">網路主權</dd>' in html  # the live preview's server-side start


def test_saving_an_edit_records_a_revision_with_a_readable_diff(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan")
    data |= {"definitions-0-text": "Each state governs *its own* internet.", "comment": "tighter wording"}
    data |= {"translations-1-text": "internet sovereignty", "translations-1-status": "alternative"}
    r = editor.post("/edit/wangluo-zhuquan", data=data | {"action": "save"})
    assert r.status_code == 303 and r.headers["Location"] == "/terms/wangluo-zhuquan"
    page = body(editor.get("/terms/wangluo-zhuquan"))
    assert "Saved 网络主权 as revision 2." in page and "<em>its own</em> internet" in page
    assert [(r.number, r.actor) for r in revisions(app, "wangluo-zhuquan")] == [(1, "tests"), (2, "editor")]
    history = body(app.test_client().get("/terms/wangluo-zhuquan/history"))
    assert "Revision 2" in history and "editor" in history and '<q class="comment">tighter wording</q>' in history
    diff = body(app.test_client().get("/terms/wangluo-zhuquan/revisions/2"))
    assert "Changes from revision 1 to 2" in diff
    assert "<del>cyberspace</del><ins>internet</ins>" in diff
    assert "<ins>en · alternative: internet sovereignty</ins>" in diff
    assert "Restore revision" not in diff  # readers see no restore button


def test_a_row_can_be_removed(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"definitions-0-remove": "1", "action": "save"}
    assert editor.post("/edit/wangluo-zhuquan", data=data).status_code == 303
    assert stored(app, "wangluo-zhuquan").definitions == []


def test_a_stale_form_does_not_overwrite_a_newer_save(app, editor, sourced) -> None:
    mine = edit_form(editor, "wangluo-zhuquan")
    theirs = dict(mine) | {"note": "their note", "action": "save"}
    assert editor.post("/edit/wangluo-zhuquan", data=theirs).status_code == 303
    r = editor.post("/edit/wangluo-zhuquan", data=mine | {"note": "my note", "action": "save"})
    assert r.status_code == 409 and "was saved by editor after you opened it" in body(r)
    assert "my note</textarea>" in body(r)
    assert stored(app, "wangluo-zhuquan").note == "their note"


def test_slugs_are_permanent(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"slug": "renamed", "action": "save"}
    assert editor.post("/edit/wangluo-zhuquan", data=data).headers["Location"] == "/terms/wangluo-zhuquan"
    assert stored(app, "renamed") is None


def test_update_preview_shows_derived_forms_without_saving(app, editor) -> None:
    data = edit_form(editor) | {"simplified": "网络主权", "action": "preview"}
    r = editor.post("/edit/new", data=data)
    html = body(r)
    assert r.status_code == 200 and '<dd lang="zh-Hant" data-derived="traditional">網絡主權</dd>' in html
    assert 'data-derived="pinyin">wǎngluò zhǔquán</dd>' in html and "<code>wangluo-zhuquan</code>" in html
    assert stored(app, "wangluo-zhuquan") is None


def test_live_preview_returns_derived_forms_and_clashes(editor, sourced) -> None:
    r = editor.get("/edit/preview", query_string={"simplified": "网络主权"})
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    preview = r.get_json()
    assert preview["traditional"] == "網絡主權" and preview["pinyin"] == "wǎngluò zhǔquán"
    assert {"text": "網路主權", "tag": "zh-TW"} in preview["forms"]
    assert preview["slug"] == "wangluo-zhuquan" and preview["slug_taken"] is True
    # a document's name gets no Taiwan phrasing (文件 would become 檔案, a computer file)
    doc = editor.get("/edit/preview", query_string={"simplified": "中央一号文件", "kind": "publication"}).get_json()
    assert doc["forms"] == []
    word = editor.get("/edit/preview", query_string={"simplified": "中央一号文件", "kind": "concept"}).get_json()
    assert {"text": "中央一號檔案", "tag": "zh-TW"} in word["forms"]
    assert {"text": "网络主权", "slug": "wangluo-zhuquan"} in preview["clashes"]
    own = editor.get("/edit/preview", query_string={"simplified": "网络主权", "slug": "wangluo-zhuquan"}).get_json()
    assert own["clashes"] == [] and own["slug_taken"] is False
    bad = editor.get("/edit/preview?simplified=%20")
    assert bad.status_code == 422 and bad.get_json()["error"] == "simplified must not be empty"


def test_the_preview_builds_the_slug_from_the_pinyin_given_as_saving_does(app, editor) -> None:
    given = {"simplified": "网络主权", "pinyin": "wǎng luò zhǔ quán"}
    live = editor.get("/edit/preview", query_string=given).get_json()
    assert (live["slug"], live["pinyin"]) == ("wang-luo-zhu-quan", "wǎngluò zhǔquán")  # the derived one stays
    html = body(editor.post("/edit/new", data=edit_form(editor) | given | {"action": "preview"}))
    assert "<dt>Slug, from your pinyin</dt><dd><code>wang-luo-zhu-quan</code>" in html
    assert 'placeholder="wang-luo-zhu-quan"' in html
    r = editor.post("/edit/new", data=edit_form(editor) | given | {"action": "save"})
    assert r.headers["Location"] == "/terms/wang-luo-zhu-quan"  # what the preview promised


def test_writes_without_the_csrf_token_change_nothing(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"note": "forged", "action": "save"}
    del data["csrf_token"]
    assert editor.post("/edit/wangluo-zhuquan", data=data).status_code == 400
    assert editor.post("/edit/new", data=data | {"simplified": "伪造"}).status_code == 400
    assert editor.post("/edit/wangluo-zhuquan/delete").status_code == 400
    assert editor.post("/edit/wangluo-zhuquan/restore/1").status_code == 400
    assert stored(app, "wangluo-zhuquan").note is None and len(revisions(app, "wangluo-zhuquan")) == 1


# drafts, history, delete and restore


def test_drafts_are_visible_to_editors_only(app, editor, session) -> None:
    make_term(session, "草案", "a draft", status="draft")
    public = app.test_client()
    assert public.get("/terms/caoan").status_code == 404
    assert public.get("/terms/caoan/history").status_code == 404
    assert "草案" not in body(public.get("/search?q=draft"))
    assert "Draft – only editors can see this entry" in body(editor.get("/terms/caoan"))
    assert "草案" in body(editor.get("/search?q=draft"))
    assert editor.get("/terms/caoan/history").status_code == 200


def test_delete_asks_first_then_hides_the_term_and_keeps_its_history(app, editor, sourced) -> None:
    page = body(editor.get("/edit/wangluo-zhuquan/delete"))
    assert 'Delete <span lang="zh-Hans">网络主权</span>?' in page
    r = editor.post("/edit/wangluo-zhuquan/delete", data={"csrf_token": token(editor, "/edit")})
    assert r.status_code == 303 and r.headers["Location"] == "/edit"
    dashboard = body(editor.get("/edit"))
    assert "Deleted 网络主权." in dashboard and 'href="/terms/wangluo-zhuquan/history"' in dashboard
    assert app.test_client().get("/terms/wangluo-zhuquan").status_code == 404
    assert app.test_client().get("/terms/wangluo-zhuquan/history").status_code == 404
    assert [r.action for r in revisions(app, "wangluo-zhuquan")] == ["create", "delete"]
    restore = body(editor.get("/terms/wangluo-zhuquan/revisions/1"))
    assert "Restore revision 1" in restore
    r = editor.post("/edit/wangluo-zhuquan/restore/1", data={"csrf_token": token(editor, "/edit")})
    assert r.status_code == 303 and r.headers["Location"] == "/terms/wangluo-zhuquan"
    assert "Restored revision 1 of 网络主权 as revision 3." in body(editor.get("/terms/wangluo-zhuquan"))
    assert app.test_client().get("/terms/wangluo-zhuquan").status_code == 200


def test_restoring_an_older_revision_brings_its_content_back(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"definitions-0-text": "Rewritten.", "action": "save"}
    editor.post("/edit/wangluo-zhuquan", data=data)
    r = editor.post("/edit/wangluo-zhuquan/restore/1", data={"csrf_token": token(editor, "/edit")})
    assert r.status_code == 303
    assert stored(app, "wangluo-zhuquan").definitions[0].text == "Each state governs its own cyberspace."
    rev = revisions(app, "wangluo-zhuquan")[-1]
    assert (rev.number, rev.action, rev.comment) == (3, "restore", "restored revision 1")
    compare = body(editor.get("/terms/wangluo-zhuquan/revisions/3?against=1"))
    assert "Changes from revision 1 to 3" in compare and "No differences." in compare


def test_restoring_a_draft_revision_of_a_published_term_says_it_unpublishes_it(app, editor, session) -> None:
    make_term(session, "共同富裕", "common prosperity", status="draft")
    data = edit_form(editor, "gongtong-fuyu") | {"status": "published", "action": "save"}
    assert editor.post("/edit/gongtong-fuyu", data=data).status_code == 303
    page = body(editor.get("/terms/gongtong-fuyu/revisions/1"))
    assert "Restore revision 1 as a draft" in page
    assert "Revision 1 is a draft: restoring it takes the entry off the public site" in page
    assert "as a draft" not in body(editor.get("/terms/gongtong-fuyu/revisions/2"))  # the current one
    r = editor.post("/edit/gongtong-fuyu/restore/1", data={"csrf_token": token(editor, "/edit")}, follow_redirects=True)
    assert "Restored revision 1 of 共同富裕 as revision 3. It is a draft: only editors can see it." in body(r)
    assert stored(app, "gongtong-fuyu").status == "draft"


def test_restoring_a_published_revision_gives_no_draft_warning(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"note": "changed", "action": "save"}
    editor.post("/edit/wangluo-zhuquan", data=data)
    page = body(editor.get("/terms/wangluo-zhuquan/revisions/1"))
    assert "Restore revision 1</button>" in page and "is a draft" not in page


def test_restoring_a_deletion_explains_itself(app, editor, sourced) -> None:
    editor.post("/edit/wangluo-zhuquan/delete", data={"csrf_token": token(editor, "/edit")})
    r = editor.post("/edit/wangluo-zhuquan/restore/2", data={"csrf_token": token(editor, "/edit")})
    assert r.status_code == 303 and r.headers["Location"] == "/terms/wangluo-zhuquan/revisions/2"
    assert "is a deletion; restore an earlier one" in body(editor.get(r.headers["Location"]))


def test_unknown_terms_and_revisions_are_404(editor, sourced) -> None:
    assert editor.get("/edit/no-such-term").status_code == 404
    assert editor.get("/terms/wangluo-zhuquan/revisions/9").status_code == 404
    assert editor.get("/terms/no-such-term/history").status_code == 404


def test_the_editor_nav_links_the_suggest_page_for_editors_only(app, session, client) -> None:
    """The "Suggest from a document" page (glossary/web/suggest.py) takes the editor nav's slot."""
    assert "Suggest from a document" not in body(client.get("/"))
    assert client.get("/suggest").status_code == 303  # login_required
    create_user(session, "editor", PASSWORD)
    session.commit()
    sign_in(client)
    assert '<a href="/suggest" aria-current="page">Suggest from a document</a>' in body(client.get("/suggest"))
    assert client.post("/suggest").status_code == 400  # check_csrf


def test_the_editor_sets_the_annotation_policy_form_types_and_keeps_a_rendering_s_proof(app, editor, session) -> None:
    make_source(session, id="gwr-2021", title="Report on the Work of the Government 2021")
    proof = "We will pursue whole-process people's democracy."
    make_term(
        session,
        "全过程人民民主",
        translations=[
            {"lang": "en", "text": "whole-process people's democracy", "status": "preferred"},
            {
                "lang": "en",
                "text": "whole-process people's democracy",
                "status": "official",
                "source": "gwr-2021",
                "excerpt": proof,
            },
        ],
    )
    data = edit_form(editor, "quanguocheng-renmin-minzhu")
    assert data["annotation_policy"] == "auto" and proof in data.values()
    data |= {"annotation_policy": "confirm", "policy_note": "also said of other democracies"}
    data |= {"forms-0-text": "全过程民主", "forms-0-tag": "zh-Hans", "forms-0-type": "abbreviation"}
    r = editor.post("/edit/quanguocheng-renmin-minzhu", data=data | {"action": "save"})
    assert r.status_code == 303, body(r)
    term = stored(app, "quanguocheng-renmin-minzhu")
    assert (term.annotation_policy, term.policy_note) == ("confirm", "also said of other democracies")
    assert [(f.text, f.type) for f in term.forms if f.origin == "curated"] == [("全过程民主", "abbreviation")]
    assert [t.excerpt for t in term.translations if t.status == "official"] == [proof]
    # saved again unchanged: nothing is lost, nothing recorded
    again = edit_form(editor, "quanguocheng-renmin-minzhu")
    assert again["forms-0-type"] == "abbreviation" and again["annotation_policy"] == "confirm"
    assert editor.post("/edit/quanguocheng-renmin-minzhu", data=again | {"action": "save"}).status_code == 303
    assert len(revisions(app, "quanguocheng-renmin-minzhu")) == 2


def test_a_policy_note_on_an_auto_entry_is_refused_beside_the_field(app, editor, sourced) -> None:
    data = edit_form(editor, "wangluo-zhuquan") | {"policy_note": "no reason", "action": "save"}
    r = editor.post("/edit/wangluo-zhuquan", data=data)
    assert r.status_code == 422
    assert re.search(r'id="err-policy_note"[^>]*>[^<]*auto', body(r)), body(r)[:3000]
