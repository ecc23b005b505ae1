"""Saving an annotated text to share by URL. Only a signed-in editor or a token holder saves
(the caller checks who); an anonymous annotate stores nothing. What is stored is frozen: the
annotated HTML and the terms found as they were, with the glossary version, so a shared page
keeps saying what the glossary said when it was saved."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..models import SharedAnnotation
from ..text.annotate import Annotation
from .errors import Invalid, NotFound, TooLarge
from .terms import glossary_version

TITLE_LENGTH = 200


@dataclass(frozen=True)
class FoundTerm:
    """A term found, as a shared page lists it (no link back to a live entry's data)."""

    slug: str
    simplified: str
    pinyin: str
    gloss: str
    count: int
    low: int


def found(annotation: Annotation) -> list[FoundTerm]:
    """Each term found with its counts, in the order of the annotation's own counts."""
    entries = {m.entry.slug: m.entry for m in annotation.matches}
    low: dict[str, int] = {}
    for m in annotation.matches:
        if m.confidence == "low":
            low[m.entry.slug] = low.get(m.entry.slug, 0) + 1
    out = []
    for slug, count in annotation.counts():
        entry = entries[slug]
        gloss, _ = entry.gloss("en")
        out.append(FoundTerm(slug, entry.simplified, entry.pinyin, gloss or "", count, low.get(slug, 0)))
    return out


def check(text: str, max_chars: int) -> None:
    """Refuse an empty text (422) or one longer than may be kept (413), naming it."""
    if not text.strip():
        raise Invalid("text is empty: there is nothing to share", [{"path": "text", "message": "empty"}])
    if len(text) > max_chars:
        raise TooLarge(
            f"a shared text may have at most {max_chars:,} characters; this one has {len(text):,}",
            [{"path": "text", "message": f"longer than {max_chars} characters"}],
        )


def share(
    session: Session, annotation: Annotation, html: str, title: str, creator: str, max_chars: int
) -> SharedAnnotation:
    """Store the annotated text under a new random id, in the caller's transaction."""
    text = annotation.text
    check(text, max_chars)
    title = " ".join(title.split()) or _first_line(text)
    if len(title) > TITLE_LENGTH:
        raise Invalid(
            f"title has {len(title)} characters; the limit is {TITLE_LENGTH}",
            [{"path": "title", "message": f"longer than {TITLE_LENGTH} characters"}],
        )
    row = SharedAnnotation(
        id=secrets.token_urlsafe(16),  # 22 characters, 128 random bits: not guessable
        title=title,
        text=text,
        html=html,
        terms=json.dumps([vars(f) for f in found(annotation)], ensure_ascii=False),
        chars=len(text),
        glossary_version=glossary_version(session),
        creator=creator[:200],
    )
    session.add(row)
    session.flush()
    return row


def _first_line(text: str) -> str:
    line = next(line for line in text.split("\n") if line.strip()).strip()
    return line if len(line) <= 60 else line[:59] + "…"


def shared(session: Session, shared_id: str) -> SharedAnnotation:
    row = session.get(SharedAnnotation, shared_id) if len(shared_id) <= 22 else None
    if row is None:
        raise NotFound(f"no shared annotation {shared_id[:40]!r}", [{"path": "id", "message": "not found"}])
    return row


def terms_of(row: SharedAnnotation) -> list[FoundTerm]:
    data: list[dict[str, Any]] = json.loads(row.terms)
    return [FoundTerm(**d) for d in data]
