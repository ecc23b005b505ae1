"""The API's term cache: one entry per term however its key is spelt, and never more bytes than
GLOSSARY_TERM_CACHE_BYTES (a 580 KB term once cost +1.3 GB per worker through key variants)."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from helpers import make_source, make_term

from glossary.api.term_cache import Entry, TermCache

GAPS = ["", " ", "\t", "\r", "\u3000", "\xa0", "  ", "\u2002", "\u2003"]


def variants(text: str, count: int) -> list[str]:
    """count spellings of text that all resolve to it: whitespace of several kinds at each gap."""
    out = []
    for gaps in itertools.product(GAPS, repeat=len(text) + 1):
        out.append("".join(g + c for g, c in zip(gaps, text + "", strict=False)) + gaps[-1])
        if len(out) == count:
            return out
    raise AssertionError("not enough variants")


@pytest.mark.slow
def test_20000_variants_of_one_key_share_one_entry(app, client, session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    cache = app.extensions["glossary.term_cache"]
    keys = variants("网络主权", 20_000)
    assert len(set(keys)) == 20_000
    for key in [*keys, "網絡主權", "wangluo-zhuquan"]:
        r = client.get("/api/v1/terms/" + quote(key))
        assert r.status_code == 200 and r.get_json()["slug"] == "wangluo-zhuquan", repr(key)
    assert len(cache) == 1
    assert cache.bytes < 4096


def test_a_term_larger_than_the_bound_is_served_but_not_kept(make_app, db_url, monkeypatch, session) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_TERM_CACHE_BYTES", str(64 * 1024))
    app = make_app()
    client = app.test_client()
    make_source(session)
    excerpts = [{"source": "test-source", "text": f"{i:05d} " + "网络空间主权" * 100} for i in range(300)]
    make_term(session, "网络主权", "cyber sovereignty", excerpts=excerpts)  # a 580 KB reply
    make_term(session, "共同富裕", "common prosperity")
    cache = app.extensions["glossary.term_cache"]
    big = client.get("/api/v1/terms/wangluo-zhuquan")
    assert big.status_code == 200 and len(big.data) > 500_000
    assert len(cache) == 0 and cache.bytes == 0
    assert client.get("/api/v1/terms/gongtong-fuyu").status_code == 200
    assert len(cache) == 1 and 0 < cache.bytes <= 64 * 1024


def test_the_cache_keeps_to_its_bound_least_recently_used_out() -> None:
    cache = TermCache(max_bytes=10_000)
    for i in range(100):
        cache.put(f"term-{i}", False, Entry(1, "x" * 1000, f'"term-{i}-v1"'))
        assert cache.bytes <= 10_000
    assert 5 <= len(cache) <= 9
    assert cache.get("term-99", False, 1) is not None and cache.get("term-0", False, 1) is None
    assert cache.get("term-99", False, 2) is None  # made at an older glossary version: dropped
    assert cache.get("term-99", False, 1) is None and cache.bytes == sum(e.size for e in cache._entries.values())


def test_a_write_still_changes_what_readers_get(client, session, write_token) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    first = client.get("/api/v1/terms/网络主权")
    headers = {"Authorization": f"Bearer {write_token}", "If-Match": first.headers["ETag"]}
    assert client.patch("/api/v1/terms/wangluo-zhuquan", json={"note": "changed"}, headers=headers).status_code == 200
    assert client.get("/api/v1/terms/ 网络主权").get_json()["note"] == "changed"


def test_the_bound_is_configurable_and_checked(make_app, db_url, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    monkeypatch.setenv("GLOSSARY_TERM_CACHE_BYTES", "lots")
    with pytest.raises(ValueError, match="GLOSSARY_TERM_CACHE_BYTES must be a whole number"):
        make_app()
    monkeypatch.setenv("GLOSSARY_TERM_CACHE_BYTES", "1048576")
    assert make_app().extensions["glossary.term_cache"].max_bytes == 1048576
