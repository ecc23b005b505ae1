"""Atom 1.0 (RFC 4287) feeds written with lxml: the glossary's changes and the new-formulation
watch as feeds a reader can follow. Callers give absolute URLs and stable ids; this module only
writes the XML, so what goes into a feed (published entries only) is decided in services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
# characters XML 1.0 cannot carry at all (a PDF's form feed in an excerpt): dropped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class AtomEntry:
    id: str  # a tag: or urn:uuid URI, the same every time the feed is written
    title: str
    updated: datetime
    link: str
    summary: str
    category: str = ""


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    subtitle: str
    self_link: str
    alternate: str  # the page the feed follows
    author: str
    updated: datetime  # used when there are no entries; else the latest entry's
    entries: list[AtomEntry]


def _stamp(moment: datetime) -> str:
    """RFC 3339 in UTC; a naive time is taken to be UTC (as the database stores them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: etree._Element, rel: str, href: str, kind: str) -> None:
    etree.SubElement(parent, f"{{{ATOM}}}link", rel=rel, href=href, type=kind)


def write(feed: AtomFeed) -> bytes:
    """The feed as UTF-8 XML: updated is the latest entry's time, so it changes only with them."""
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    latest = max((e.updated for e in feed.entries), key=_stamp, default=feed.updated)
    _text(root, "updated", _stamp(latest))
    _text(etree.SubElement(root, f"{{{ATOM}}}author"), "name", feed.author)
    _link(root, "self", feed.self_link, "application/atom+xml")
    _link(root, "alternate", feed.alternate, "text/html")
    for item in feed.entries:
        entry = etree.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", _stamp(item.updated))
        _link(entry, "alternate", item.link, "text/html")
        if item.category:
            etree.SubElement(entry, f"{{{ATOM}}}category", term=item.category)
        _text(entry, "summary", item.summary)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
