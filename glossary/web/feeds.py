"""Atom feeds: new and changed entries, and the new-formulation watch, for feed readers.

Ids are tag: URIs (RFC 4151) minted from the host and a fixed date, so an entry keeps its id
however often the feed is fetched; an entry of the changes feed is one revision of a term."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from flask import Response, request, url_for

from ..extensions import db
from ..formats.atom import AtomEntry, AtomFeed, write
from ..services import feeds
from . import bp

AUTHOR = "CCP Political Language Glossary"
TAG_DATE = "2024"  # fixed: part of every id, so it must never change
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def _tag(specific: str) -> str:
    return f"tag:{request.host.split(':')[0]},{TAG_DATE}:{specific}"


def _atom(feed: AtomFeed) -> Response:
    response = Response(write(feed), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/feeds/changes.atom")
def changes_feed() -> Response:
    entries = []
    for c in feeds.recent_changes(db.session):
        english = f" ({c.english})" if c.english else ""
        what = "New entry" if c.change == "added" else "Changed"
        summary = c.definition or c.english or c.simplified
        if c.comment:
            summary = f"{summary}\n\nEditor's note on this revision: {c.comment}"
        entries.append(
            AtomEntry(
                id=_tag(f"term/{c.slug}/revision/{c.number}"),
                title=f"{what}: {c.simplified}{english}",
                updated=c.at,
                link=url_for("web.term", slug=c.slug, _external=True),
                summary=summary,
                category=c.change,
            )
        )
    return _atom(
        AtomFeed(
            id=_tag("feeds/changes"),
            title="Glossary: new and changed entries",
            subtitle="Each published revision of an entry of the CCP Political Language Glossary",
            self_link=url_for("web.changes_feed", _external=True),
            alternate=url_for("web.home", _external=True),
            author=AUTHOR,
            updated=EPOCH,
            entries=entries,
        )
    )


@bp.get("/feeds/formulations.atom")
def formulations_feed() -> Response:
    found = feeds.watch(db.session)
    imported = found["corpus"].get("last_import")
    updated = datetime.strptime(imported, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if imported else EPOCH
    entries = []
    for item in found["items"]:
        example = item["example"]
        entries.append(
            AtomEntry(
                id=_tag(f"watch/{quote(item['phrase'], safe='')}"),
                title=f"{item['phrase']} ({item['kind']}, first used {item['first_date']})",
                updated=updated,
                link=url_for("web.document", document_id=example["document"], _external=True),
                summary=f"Used {item['occurrences']} times in {item['documents']} recent documents, "
                f"{item['earlier_occurrences']} times before. Example from {example['title']} "
                f"({example['date']}): {example['excerpt']}",
                category=item["kind"],
            )
        )
    since = found["since"]
    return _atom(
        AtomFeed(
            id=_tag("feeds/formulations"),
            title="Glossary: new formulations in official documents",
            subtitle=f"Phrases recent corpus documents use (since {since}) that the glossary does not hold yet"
            if since
            else "Phrases recent corpus documents use that the glossary does not hold yet",
            self_link=url_for("web.formulations_feed", _external=True),
            alternate=url_for("web.home", _external=True),
            author=AUTHOR,
            updated=updated,
            entries=entries,
        )
    )
