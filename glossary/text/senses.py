"""When a match's characters mean something other than its entry: two rules that make it "low".

- **Sense cues** (``sense_cues.txt``): words next to a match that show another sense, kept per
  entry with the reason: 祖国统一 in a sentence about Korea, 国家安全 listed with 公安 (the
  state-security organs), 实事求是 followed by 地 (an adverb). The boundary rule cannot see these:
  the words around the match are whole words either way.
- **Dated senses**: an entry whose first use is recorded for official texts or anywhere
  (``first_use.scope``) has no use in its own sense before that date, so a match in a text dated
  earlier (伟大斗争 in 1969, "the great struggle against imperialism") is at best "low". Applied
  only when the caller gives the text's date (corpus documents, ``date`` in the API): the
  annotator cannot know it otherwise.

Both only lower "high" to "low": the match stays in the reply for a reader to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .fold import fold

REACH = 80  # characters of the sentence before a match that a cue may look at
_SENTENCE_END = re.compile(r"[。!?;！？；\n]")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # a document's date, as precise as it is known
# first-use scopes that cover every official text: a narrower one (a first mention in a Party
# Congress report) says nothing of earlier texts of other kinds
DATING_SCOPES = frozenset({"anywhere", "official-documents"})


@dataclass(frozen=True, slots=True)
class Cue:
    """A context in which ``slug``'s characters mean something else, and why."""

    slug: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    reason: str

    def applies(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] (folded text) stands in this cue's context."""
        if self.before is not None:
            head = text[max(0, start - REACH) : start]
            ends = list(_SENTENCE_END.finditer(head))
            if self.before.search(head[ends[-1].end() :] if ends else head):
                return True
        return self.after is not None and self.after.match(text, end) is not None


def parse_cues(lines: Iterable[str]) -> dict[str, tuple[Cue, ...]]:
    """slug → its cues, from lines ``slug | BEFORE | AFTER  # why`` (see sense_cues.txt)."""
    out: dict[str, list[Cue]] = {}
    for number, line in enumerate(lines, 1):
        body, _, reason = line.partition("#")
        if not body.strip():
            continue
        parts = [p.strip() for p in body.split(" | ")]
        if len(parts) != 3 or not reason.strip():
            raise ValueError(f"sense cue line {number}: want 'slug | BEFORE | AFTER  # why', got {line!r}")
        slug, before, after = parts

        def compiled(pattern: str) -> re.Pattern[str] | None:
            return None if pattern == "-" else re.compile(fold(pattern))

        out.setdefault(slug, []).append(Cue(slug, compiled(before), compiled(after), reason.strip()))
    return {slug: tuple(cues) for slug, cues in out.items()}


@cache
def sense_cues() -> dict[str, tuple[Cue, ...]]:
    """The project's sense cues (sense_cues.txt)."""
    return parse_cues(Path(__file__).with_name("sense_cues.txt").read_text("utf-8").splitlines())


def other_sense(cues: tuple[Cue, ...], text: str, start: int, end: int) -> bool:
    """Whether any of an entry's cues shows another sense at text[start:end]."""
    return any(cue.applies(text, start, end) for cue in cues)


def sense_from(first_use_date: str | None, scope: str | None) -> str | None:
    """The date from which an entry's sense is attested in every kind of text, or None."""
    return first_use_date if first_use_date and scope in DATING_SCOPES else None


def before(date: str, since: str) -> bool:
    """Whether a text dated ``date`` is wholly earlier than ``since`` (each YYYY, YYYY-MM or
    YYYY-MM-DD; compared as precisely as both are known: 2012 is not before 2012-11-08)."""
    n = min(len(date), len(since))
    return date[:n] < since[:n]
