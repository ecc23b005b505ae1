"""Sessions end on the server: sign-out, a password change and disabling an editor make every
copy of the cookie worthless; sessions expire when idle; tokens can be listed and revoked."""

from __future__ import annotations

import io
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_web_editor import PASSWORD, sign_in, token

from glossary.cli import main
from glossary.extensions import db, make_engine
from glossary.services import auth, migrate


@pytest.fixture
def editor(app, session, client):
    auth.create_user(session, "editor", PASSWORD)
    session.commit()
    assert sign_in(client).status_code == 303
    assert client.get("/edit/new").status_code == 200
    return client


def _copy_of_cookie(client) -> str:
    return client.get_cookie("session").value


def _opens_editor(app, cookie: str) -> bool:
    """Whether another browser holding this cookie gets the editor (not the sign-in page)."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/edit/new").status_code == 200


def test_a_saved_cookie_no_longer_opens_the_editor_after_sign_out(app, editor) -> None:
    saved = _copy_of_cookie(editor)
    assert _opens_editor(app, saved)
    r = editor.post("/logout", data={"csrf_token": token(editor, "/edit/new")})
    assert r.status_code == 303
    assert not _opens_editor(app, saved)
    r = app.test_client()
    r.set_cookie("session", saved)
    assert r.get("/edit/new").headers["Location"].startswith("/login")
    assert sign_in(editor).status_code == 303 and editor.get("/edit/new").status_code == 200  # signs in anew


def test_a_password_change_ends_every_session(app, editor, session) -> None:
    saved = _copy_of_cookie(editor)
    auth.set_password(session, "editor", "another good password")
    session.commit()
    assert not _opens_editor(app, saved)
    assert sign_in(app.test_client()).status_code == 200  # the old password is refused
    assert sign_in(app.test_client(), password="another good password").status_code == 303
    with pytest.raises(auth.Invalid, match="at least 8"):
        auth.set_password(session, "editor", "short")
    with pytest.raises(auth.NotFound, match="no editor named 'nobody'"):
        auth.set_password(session, "nobody", "a good password")


def test_idle_sessions_expire(app, editor) -> None:
    assert app.permanent_session_lifetime == timedelta(minutes=60)  # the default
    app.permanent_session_lifetime = timedelta(seconds=1)
    assert editor.get("/edit/new").status_code == 200
    time.sleep(2.1)
    assert editor.get("/edit/new").status_code == 303


def test_sessions_end_after_their_maximum_age_even_when_busy(app, editor) -> None:
    with editor.session_transaction() as s:
        s["signed_in"] -= 12 * 3600 + 1
    assert editor.get("/edit/new").status_code == 303


def test_idle_and_maximum_age_are_configurable(db_url, make_app, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("GLOSSARY_SESSION_MAX_HOURS", "2")
    app = make_app()
    assert app.permanent_session_lifetime == timedelta(minutes=15) and app.config["SESSION_MAX_HOURS"] == 2
    monkeypatch.setenv("GLOSSARY_SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ValueError, match="GLOSSARY_SESSION_IDLE_MINUTES must be positive, got 0"):
        make_app()


@pytest.fixture
def env(db_url: str, instance: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_disabled_editor_cannot_sign_in_and_their_sessions_stop(app, editor, env, capsys) -> None:
    saved = _copy_of_cookie(editor)
    code, out, _ = run(capsys, "user", "disable", "editor")
    assert code == 0 and "disabled editor 'editor'" in out
    assert editor.get("/edit/new").status_code == 303
    assert not _opens_editor(app, saved)
    r = sign_in(app.test_client())
    assert r.status_code == 200 and "do not match an editor account" in r.get_data(as_text=True)
    code, _, err = run(capsys, "user", "disable", "nobody")
    assert code == 1 and err.strip() == "glossary user: error: no editor named 'nobody'"
    code, out, _ = run(capsys, "user", "enable", "editor")
    assert code == 0 and "enabled editor 'editor'" in out
    assert not _opens_editor(app, saved)  # old sessions stay ended
    assert sign_in(app.test_client()).status_code == 303


def test_user_password_command(app, editor, env, capsys, monkeypatch) -> None:
    saved = _copy_of_cookie(editor)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new password\n"))
    code, out, _ = run(capsys, "user", "password", "editor")
    assert code == 0 and "sessions have ended" in out
    assert not _opens_editor(app, saved)
    assert sign_in(app.test_client(), password="a brand new password").status_code == 303


def test_token_list_and_revoke(app, env, capsys, write_token) -> None:
    headers = {"Authorization": f"Bearer {write_token}"}
    client = app.test_client()
    assert client.get("/api/v1/terms", headers=headers).status_code == 200
    code, out, _ = run(capsys, "token", "list")
    assert code == 0 and out.startswith("tests\twrite\tcreated ") and out.rstrip().endswith("live")
    assert write_token not in out
    code, out, _ = run(capsys, "token", "revoke", "tests")
    assert code == 0 and out.strip() == "revoked 1 token named 'tests'"
    r = client.get("/api/v1/terms", headers=headers)
    assert r.status_code == 401
    code, out, _ = run(capsys, "token", "list")
    assert "\trevoked " in out
    code, _, err = run(capsys, "token", "revoke", "tests")
    assert code == 1 and "no live token named 'tests'" in err


def test_token_list_when_there_are_none(env, capsys) -> None:
    assert run(capsys, "token", "list")[1].startswith("no tokens")


def test_migration_0006_adds_and_removes_the_columns(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    cfg = migrate.alembic_config(engine)
    command.upgrade(cfg, "0005")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (name, password_hash, created) VALUES ('old', 'h', '2026-01-01')"))
    command.upgrade(cfg, "0006")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT session_version, disabled FROM users")).one() == (0, None)
    command.downgrade(cfg, "0005")
    assert {c["name"] for c in sa.inspect(engine).get_columns("users")} == {"id", "name", "password_hash", "created"}
    engine.dispose()


def test_an_ended_session_is_refused_by_every_worker(app, editor, make_app) -> None:
    """The version lives in the database: another worker (app) refuses an ended session too."""
    saved = _copy_of_cookie(editor)
    other = make_app()
    assert _opens_editor(other, saved)
    editor.post("/logout", data={"csrf_token": token(editor, "/edit/new")})
    assert not _opens_editor(other, saved)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT session_version FROM users")) == 1
