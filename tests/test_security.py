"""Nobody writes who may not: every state-changing route refuses an anonymous client, two
writers with one ETag cannot both win, and every response carries the security headers."""

from __future__ import annotations

import json
import threading
from functools import partial

import pytest
from helpers import make_term

from glossary import create_app
from glossary.extensions import db

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
OPEN_WRITES = {"api.annotate", "web.login", "web.annotate", "web.logout"}  # change nothing stored


@pytest.fixture
def terms(session) -> None:
    make_term(session, "共同富裕", "common prosperity")


def _fill(rule) -> str:
    values = {"slug": "gongtong-fuyu", "key": "gongtong-fuyu", "number": "1", "source_id": "x", "n": "1"}
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<{arg}>", values.get(arg, "x"))
        for conv in ("path", "int", "string"):
            url = url.replace(f"<{conv}:{arg}>", values.get(arg, "1" if conv == "int" else "x"))
    return url


def _anonymous_csrf_token(client) -> str:
    """The token an anonymous session gets with any form, so a refusal is the sign-in guard's
    doing and not CSRF's (a request without a token is a 400 whoever sends it)."""
    import re

    page = client.get("/annotate").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    control = client.post("/annotate", data={"csrf_token": token, "text": "共同富裕"})
    assert control.status_code == 200, "the anonymous session's CSRF token is not accepted"
    return token


def test_anonymous_client_cannot_change_anything_through_any_route(app, client, terms) -> None:
    before = client.get("/api/v1/export").data
    token = _anonymous_csrf_token(client)
    tried = {"api": 0, "web": 0}
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & WRITE_METHODS):
            if rule.endpoint in OPEN_WRITES:
                continue
            url = _fill(rule)
            where = (method, url)
            if rule.endpoint.startswith("api."):
                r = client.open(
                    url,
                    method=method,
                    json={"simplified": "共同富裕", "note": "anonymous was here"},
                    headers={"If-Match": "*"},
                )
                assert r.status_code == 401, (*where, r.status_code, r.get_data(as_text=True)[:200])
                assert r.mimetype == "application/problem+json" and "WWW-Authenticate" in r.headers, where
                tried["api"] += 1
            else:
                form = {"csrf_token": token, "simplified": "共同富裕", "note": "anonymous was here", "text": "共同富裕"}
                r = client.open(url, method=method, data=form, headers={"X-CSRF-Token": token})
                assert r.status_code in (302, 303, 401, 403), (*where, r.status_code)
                if r.status_code in (302, 303):
                    assert r.headers["Location"].startswith("/login"), (*where, r.headers["Location"])
                tried["web"] += 1
    assert tried["api"] >= 4 and tried["web"] >= 4, tried
    assert client.get("/api/v1/export").data == before


def test_two_clients_same_etag_concurrently_exactly_one_wins(app, make_app, terms, write_token) -> None:
    other = make_app()
    clients = [app.test_client(), other.test_client()]
    etag = clients[0].get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    barrier = threading.Barrier(2)
    results: dict[int, int] = {}

    def write(i: int) -> None:
        barrier.wait()
        r = clients[i].patch(
            "/api/v1/terms/gongtong-fuyu",
            json={"note": f"writer {i}"},
            headers={"Authorization": f"Bearer {write_token}", "If-Match": etag},
        )
        results[i] = r.status_code

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results.values()) == [200, 412]
    winner = next(i for i, code in results.items() if code == 200)
    term = clients[0].get("/api/v1/terms/gongtong-fuyu").get_json()
    assert term["note"] == f"writer {winner}"
    revisions = clients[0].get("/api/v1/terms/gongtong-fuyu/revisions").get_json()
    assert revisions["total"] == 2  # create + the one winning update: no lost or doubled write


def _at_once(*requests) -> list:
    """Run the callables in threads released together; their results in order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = requests[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_clients_creating_the_same_term_at_once_get_201_and_409(app, make_app, terms, write_token) -> None:
    """Both requests can pass the service's uniqueness check before either commits (PostgreSQL
    runs them side by side); the loser's unique violation must be a 409, not a 500."""
    clients = [app.test_client(), make_app().test_client()]
    auth = {"Authorization": f"Bearer {write_token}"}
    for word in ("竞赛甲", "竞赛乙", "竞赛丙"):
        results = _at_once(
            *(partial(c.post, "/api/v1/terms", json={"simplified": word}, headers=auth) for c in clients)
        )
        assert sorted(r.status_code for r in results) == [201, 409], (word, [r.get_json() for r in results])
        loser = next(r for r in results if r.status_code == 409)
        assert loser.mimetype == "application/problem+json"
        detail = loser.get_json()["detail"]
        assert "already exists" in detail or "already belongs" in detail, detail
        found = clients[0].get("/api/v1/search", query_string={"q": word}).get_json()["items"]
        assert [t["simplified"] for t in found if t["simplified"] == word] == [word]


def test_a_unique_violation_the_checks_missed_is_a_409_naming_what_exists(app, session, terms) -> None:
    """What the race above ends in, made deterministic: a second row with a taken slug."""
    import sqlalchemy as sa

    from glossary.errors import PROBLEM
    from glossary.models import Term
    from glossary.services.errors import from_integrity_error

    row = session.scalar(sa.select(Term).where(Term.slug == "gongtong-fuyu"))
    columns = ("kind", "simplified", "traditional", "pinyin", "status", "version", "created", "updated")
    copy = {c: getattr(row, c) for c in columns} | {"slug": "gongtong-fuyu"}
    with pytest.raises(sa.exc.IntegrityError) as exc:
        session.execute(sa.insert(Term).values(**copy))
    session.rollback()
    mapped = from_integrity_error(exc.value)
    assert mapped.status == 409
    assert "a term with slug" in mapped.detail and "already exists" in mapped.detail
    with app.test_request_context("/api/v1/terms", method="POST"):
        response = app.handle_user_exception(exc.value)
    assert response.status_code == 409 and response.mimetype == PROBLEM


def _searches(client, remote: str, forwarded: list[str]) -> list[int]:
    """Statuses of one search per X-Forwarded-For value, all from the same proxy address."""
    return [
        client.get(
            "/api/v1/search?q=x", headers={"X-Forwarded-For": xff}, environ_base={"REMOTE_ADDR": remote}
        ).status_code
        for xff in forwarded
    ]


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _whoami() -> dict:
    from flask import request

    return {"addr": request.remote_addr, "scheme": request.scheme}


def test_x_forwarded_for_counts_only_behind_trusted_proxies(db_url, make_app, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    limits = {"RATELIMIT_ENABLED": True, "RATELIMIT_SEARCH": "2 per minute"}
    # by default the header is the client's to invent: limits count per connecting address
    direct_app = make_app(**limits)
    direct_app.add_url_rule("/_whoami", "whoami", _whoami)
    direct = direct_app.test_client()
    seen = direct.get("/_whoami", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.1"}).get_json()
    assert seen == {"addr": "10.0.0.1", "scheme": "http"}
    assert _searches(direct, "10.0.0.1", ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200, 200, 429]
    # GLOSSARY_TRUSTED_PROXIES=1: the address the balancer appended is the client's
    monkeypatch.setenv("GLOSSARY_TRUSTED_PROXIES", "1")
    behind = make_app(**limits)
    behind.add_url_rule("/_whoami", "whoami", _whoami)
    client = behind.test_client()
    seen = client.get("/_whoami", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_json()
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}
    assert _searches(client, "10.0.0.2", ["203.0.113.7"] * 3) == [200, 200, 429]
    assert _searches(client, "10.0.0.2", ["203.0.113.8"]) == [200]  # another client behind the same balancer
    # only the one trusted hop counts: a client prepending addresses of its own gains nothing
    assert _searches(client, "10.0.0.2", ["198.51.100.1, 203.0.113.9", "198.51.100.2, 203.0.113.9"]) == [200, 200]
    assert _searches(client, "10.0.0.2", ["198.51.100.3, 203.0.113.9"]) == [429]
    monkeypatch.setenv("GLOSSARY_TRUSTED_PROXIES", "-1")
    with pytest.raises(ValueError, match="GLOSSARY_TRUSTED_PROXIES must be at least 0"):
        make_app()


REDIS_URI = "redis://:pw@127.0.0.1:1/0"  # nothing listens there


def test_redis_rate_limit_storage_works_with_the_redis_extra(db_url, make_app, monkeypatch) -> None:
    """README's advice for several hosts: GLOSSARY_RATELIMIT_STORAGE_URI=redis://… with
    `pip install -e .[redis]` (the test extra pulls redis in too)."""
    import tomllib

    from conftest import ROOT

    pytest.importorskip("redis", reason="the redis extra is not installed")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(req.startswith("redis") for req in extras["redis"])
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_RATELIMIT_STORAGE_URI", REDIS_URI)
    app = make_app(RATELIMIT_ENABLED=True)  # it crashed here: "'redis' prerequisite not available"
    assert app.test_client().get("/api/v1/search?q=x").status_code == 200  # an unreachable Redis fails open


def test_redis_storage_without_the_extra_says_how_to_install_it(db_url, make_app, monkeypatch, capsys) -> None:
    import importlib.util

    from glossary.cli import main

    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_RATELIMIT_STORAGE_URI", REDIS_URI)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "redis" else real(name, *a))
    with pytest.raises(ValueError, match=r"needs the redis package: pip install -e '\.\[redis\]'"):
        make_app()
    assert main(["export"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "pip install -e '.[redis]'" in err and "pw" not in err


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/api/v1/terms", "/nope", "/api/nope"])
def test_security_headers_everywhere(client, path: str) -> None:
    r = client.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_settings(db_url, instance, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    app = create_app()
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    db.engine(app).dispose()


def test_secret_key_is_generated_into_instance_not_the_repository(db_url, instance, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.delenv("GLOSSARY_SECRET_KEY", raising=False)
    app = create_app()
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]  # stable across starts
    monkeypatch.setenv("GLOSSARY_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"


def test_processes_starting_at_once_on_a_new_instance_folder_share_one_whole_key(tmp_path) -> None:
    """Two workers' first start raced: the loser of O_EXCL crashed (FileExistsError), or could
    read the winner's file before its key was written. 8 processes, 5 fresh folders each."""
    import subprocess
    import sys

    # each imports, says it is ready, and waits for the word to go: they then start within µs
    script = (
        "import sys; from pathlib import Path; from glossary.config import secret_key; "
        "print('ready', flush=True); sys.stdin.readline(); print(secret_key(Path(sys.argv[1])))"
    )
    for round_ in range(10):
        folder = tmp_path / f"instance{round_}"
        pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        racers = [subprocess.Popen([sys.executable, "-c", script, str(folder)], **pipes) for _ in range(8)]
        assert [r.stdout.readline().strip() for r in racers] == ["ready"] * 8
        for r in racers:
            r.stdin.write("go\n")
            r.stdin.flush()
        results = [r.communicate(timeout=60) for r in racers]
        assert [err for _, err in results if err] == []
        keys = {out.strip() for out, _ in results}
        assert len(keys) == 1 and len(keys.pop()) == 64
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no spare left behind


def test_an_empty_key_file_is_refused_naming_it(tmp_path, monkeypatch) -> None:
    from glossary.config import secret_key

    monkeypatch.delenv("GLOSSARY_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ValueError, match=r"secret_key is empty: delete it .* or set GLOSSARY_SECRET_KEY"):
        secret_key(tmp_path)


def test_tokens_and_passwords_are_stored_hashed(app, write_token, real_password_hashing) -> None:
    import sqlalchemy as sa

    from glossary.models import ApiToken, User
    from glossary.services.auth import create_user

    with app.app_context():
        create_user(db.session, "editor", "a long enough password")
        db.session.commit()
        user = db.session.scalar(sa.select(User))
        token = db.session.scalar(sa.select(ApiToken))
        assert user.password_hash.startswith("scrypt:")
        assert "a long enough password" not in user.password_hash
        assert write_token not in token.token_hash and len(token.token_hash) == 64
    # as README says: 256 random bits, of which only the SHA-256 is kept
    import base64
    import hashlib

    secret = write_token.removeprefix("gl_")
    assert len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) == 32
    assert token.token_hash == hashlib.sha256(write_token.encode()).hexdigest()


def test_readme_says_what_an_export_leaves_out(app, write_token, capsys, monkeypatch, db_url) -> None:
    """A glossary/1 export holds terms and sources only; README must say so, and how to back
    up the rest (revisions, editor accounts, tokens)."""
    from conftest import ROOT

    from glossary.cli import main
    from glossary.services.auth import create_user

    with app.app_context():
        create_user(db.session, "editor", "a long enough password")
        make_term(db.session, "共同富裕", "common prosperity")  # a revision too
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    assert main(["export"]) == 0
    exported = capsys.readouterr().out
    assert set(json.loads(exported)) == {"format", "sources", "terms"}
    assert "editor" not in exported and "scrypt" not in exported and "revision" not in exported
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "It leaves out the revision history, editor accounts and API tokens" in readme
    assert "pg_dump" in readme and '".backup backup.db"' in readme
    assert "only its SHA-256 is stored" in readme and "scrypt" in readme
