"""Atom feeds of new and changed entries and of the new-formulation watch: valid Atom as a real
feed reader (feedparser) sees it, linked from every page, and never showing a draft."""

from __future__ import annotations

import re

import feedparser
import pytest
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import Term
from glossary.services import corpus
from glossary.services.representation import term_to_dict
from glossary.services.terms import TermInput, save_term


def parsed(client, path: str) -> feedparser.FeedParserDict:
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    feed = feedparser.parse(r.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_changes_feed_has_new_and_changed_entries_and_no_draft(client, session) -> None:
    term = make_term(session, "网络主权", "cyber sovereignty", definitions=[{"lang": "en", "text": "A state's say."}])
    save_term(session, TermInput(term_to_dict(term) | {"note": "revised"}, "tests", term))
    session.commit()
    make_term(session, "秘密草稿", "secret draft", slug="mimi-caogao", status="draft")
    gone = make_term(session, "收回条目", "withdrawn entry")
    save_term(session, TermInput(term_to_dict(gone) | {"status": "draft"}, "tests", gone))
    session.commit()

    feed = parsed(client, "/feeds/changes.atom")
    titles = [e.title for e in feed.entries]
    assert titles == ["Changed: 网络主权 (cyber sovereignty)", "New entry: 网络主权 (cyber sovereignty)"]
    assert all("草稿" not in t and "收回" not in t for t in titles)
    first = feed.entries[0]
    assert first.link == "http://localhost/terms/wangluo-zhuquan"
    assert first.id == "tag:localhost,2024:term/wangluo-zhuquan/revision/2"
    assert first.summary.startswith("A state's say.")
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert feed.feed.id == "tag:localhost,2024:feeds/changes"
    assert feed.feed.author == "CCP Political Language Glossary"
    assert feed.feed.updated == first.updated
    assert [link.href for link in feed.feed.links if link.rel == "self"] == ["http://localhost/feeds/changes.atom"]
    body = client.get("/feeds/changes.atom").get_data(as_text=True)
    assert "secret draft" not in body and "withdrawn" not in body and "mimi-caogao" not in body


def test_an_empty_glossary_still_gives_a_valid_feed(client) -> None:
    feed = parsed(client, "/feeds/changes.atom")
    assert feed.entries == [] and feed.feed.updated == "2024-01-01T00:00:00Z"
    feed = parsed(client, "/feeds/formulations.atom")
    assert feed.entries == []


def test_a_draft_published_later_enters_the_feed_as_new(client, session) -> None:
    make_term(session, "数字乡村", "digital countryside", slug="shuzi-xiangcun", status="draft")
    assert parsed(client, "/feeds/changes.atom").entries == []
    term = session.get(Term, session.query(Term.id).filter_by(slug="shuzi-xiangcun").scalar())
    save_term(session, TermInput(term_to_dict(term) | {"status": "published"}, "tests", term))
    session.commit()
    entries = parsed(client, "/feeds/changes.atom").entries
    assert [e.title for e in entries] == ["New entry: 数字乡村 (digital countryside)"]


RECENT = "落实“双减”政策。坚持两个确立。数字乡村建设。"
DOCS = [
    {"file": "old.txt", "date": "2010-03-05", "kind": "government-work-report", "text": filler(1, 900)},
    {"file": "r1.txt", "date": "2023-03-05", "kind": "government-work-report", "text": RECENT * 2 + filler(2, 900)},
    {"file": "r2.txt", "date": "2024-03-05", "kind": "speech", "text": RECENT * 2 + filler(3, 900)},
]


def test_formulations_feed_lists_the_watch(client, session, tmp_path) -> None:
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).errors == []
    feed = parsed(client, "/feeds/formulations.atom")
    phrases = {e.title.split(" (")[0]: e for e in feed.entries}
    assert {"双减", "两个确立"} <= set(phrases)
    entry = phrases["两个确立"]
    assert entry.id == "tag:localhost,2024:watch/%E4%B8%A4%E4%B8%AA%E7%A1%AE%E7%AB%8B"
    assert re.fullmatch(r"http://localhost/documents/\d+", entry.link)
    assert "两个确立" in entry.summary and entry.tags[0].term == "numbered"
    assert len({e.id for e in feed.entries}) == len(feed.entries)


@pytest.mark.parametrize("path", ["/", "/annotate", "/terms"])
def test_pages_link_both_feeds(client, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New and changed entries" href="/feeds/changes.atom">'
        in html
    )
    assert (
        'type="application/atom+xml" title="New formulations in official documents" href="/feeds/formulations.atom"'
        in html
    )
