"""Seed tags come from the controlled vocabulary documented in docs/tags.md."""

from __future__ import annotations

import re
from pathlib import Path

import seedcheck

TAGS_DOC = Path(__file__).resolve().parent.parent / "docs" / "tags.md"
ENTRY = re.compile(r"^- `([a-z0-9]+(?:-[a-z0-9]+)*)`: (\S.*)$")


def vocabulary(text: str) -> dict[str, str]:
    """tag → meaning, from the '- `tag`: meaning' lines of the vocabulary section."""
    section = text.split("## Vocabulary", 1)[1].split("\n## ", 1)[0]
    return {m[1]: m[2] for line in section.splitlines() if (m := ENTRY.match(line))}


def unknown_tags(docs: dict[str, dict], known: dict[str, str]) -> list[str]:
    return [
        f"{name}: {term['simplified']}: tag {tag!r} is not in docs/tags.md"
        for name, doc in docs.items()
        for term in doc.get("terms", [])
        for tag in term.get("tags", [])
        if tag not in known
    ]


def test_every_seed_tag_is_in_the_documented_vocabulary() -> None:
    known = vocabulary(TAGS_DOC.read_text("utf-8"))
    assert len(known) >= 40
    assert unknown_tags(seedcheck.load_seed(), known) == []


def test_every_documented_tag_has_one_meaning_and_merged_tags_are_gone() -> None:
    text = TAGS_DOC.read_text("utf-8")
    lines = [
        line for line in text.split("## Vocabulary", 1)[1].split("\n## ", 1)[0].splitlines() if line.startswith("- ")
    ]
    assert len(lines) == len(vocabulary(text)), "a vocabulary line is not '- `tag`: meaning'"
    merged = re.findall(r"^\| ([a-z-]+) \| ([a-z-]+) \|", text, re.M)
    assert merged and all(old not in vocabulary(text) and new in vocabulary(text) for old, new in merged)


def test_an_unlisted_tag_is_named_with_its_entry() -> None:
    docs = {"a.json": {"terms": [{"simplified": "网络主权", "tags": ["cyber", "internet-sovereignty"]}]}}
    assert unknown_tags(docs, {"cyber": "cyberspace"}) == [
        "a.json: 网络主权: tag 'internet-sovereignty' is not in docs/tags.md"
    ]
