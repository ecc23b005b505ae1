"""The term page's character breakdown: each character with its reading and gloss, and the other
published entries that contain the term or one of its characters."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Term
from ..text.characters import Character, breakdown

SHOWN = 6  # entries listed per character; the rest are counted


@dataclass(frozen=True)
class Neighbour:
    """Another entry, as much of it as a link needs."""

    slug: str
    simplified: str
    pinyin: str


@dataclass
class CharacterRow:
    character: Character
    entries: list[Neighbour] = field(default_factory=list)
    more: int = 0  # entries containing the character beyond those listed


@dataclass
class Breakdown:
    characters: list[CharacterRow]
    containing: list[Neighbour]  # entries whose headword contains this whole term


def _shortest_first(found: list[Neighbour]) -> list[Neighbour]:
    return sorted(found, key=lambda n: (len(n.simplified), n.pinyin.casefold(), n.slug))


def character_breakdown(session: Session, term: Term) -> Breakdown:
    """One query for every published headword; the filtering is done here (a few thousand rows at most)."""
    rows = session.execute(
        sa.select(Term.slug, Term.simplified, Term.pinyin).where(Term.status == "published", Term.id != term.id)
    ).all()
    others = [Neighbour(slug, simplified, pinyin) for slug, simplified, pinyin in rows]
    characters = []
    seen: set[tuple[str, str]] = set()
    for character in breakdown(term.simplified, term.traditional, term.pinyin):
        if (character.char, character.pinyin) in seen:  # 两个…两: a character twice in one reading, listed once
            continue
        seen.add((character.char, character.pinyin))
        having = _shortest_first([n for n in others if character.char in n.simplified])
        characters.append(CharacterRow(character, having[:SHOWN], max(0, len(having) - SHOWN)))
    containing = _shortest_first([n for n in others if term.simplified in n.simplified])
    return Breakdown(characters, containing)
