"""The TBX reader's first pass over a file (common.stream), before any entry is read: whether
our own export wrote it, the sources it lists (in back matter, after the entries), and how many
entries it has, with their ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .common import GENERATOR, local, text_of

SLUG_OK = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENTRY_TAGS = ("conceptEntry", "termEntry")


def _refobject(obj: etree._Element) -> tuple[str, dict[str, Any]] | None:
    """A source our own export wrote as a refObject (``source.<id>``), or None."""
    rid = obj.get("id") or ""
    if not rid.startswith("source."):
        return None
    src = {"id": rid.removeprefix("source.")}
    for item in obj.iter("{*}item"):
        if item.get("type") in ("title", "author", "publisher", "container", "date", "url", "language", "note"):
            src[item.get("type")] = text_of(item)
    return (rid, src) if "title" in src and SLUG_OK.match(src["id"]) else None


@dataclass
class Outline:
    """What a first pass over a file finds before any entry is read: whether our own export
    wrote it, the sources it lists (in back matter, after the entries), and its entries' ids."""

    entries: int = 0
    entry_ids: set[str] = field(default_factory=set)
    ours: bool = False
    refobjects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def visit(self, el: etree._Element) -> None:
        name = local(el)
        if name in ENTRY_TAGS:
            self.entries += 1
            if el.get("id"):
                self.entry_ids.add(el.get("id"))
        elif name == "p":
            self.ours = self.ours or (el.get("type") == "generator" and text_of(el) == GENERATOR)
        elif (found := _refobject(el)) is not None:
            self.refobjects[found[0]] = found[1]
