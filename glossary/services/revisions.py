"""Revision history and a readable diff of two glossary/1 snapshots.

Editors restore from this view and readers check what changed before citing, so the diff names
fields the way the term page does and shows each list entry as one line rather than as JSON.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats.glossary1 import default_form_type
from ..models import Revision, Term

SCALARS = (
    ("slug", "Slug"),
    ("simplified", "Simplified"),
    ("traditional", "Traditional"),
    ("pinyin", "Pinyin"),
    ("kind", "Kind"),
    ("status", "Status"),
)
LISTS = (
    ("forms", "Forms"),
    ("translations", "Translations"),
    ("definitions", "Definitions"),
    ("excerpts", "Excerpts"),
    ("related", "Relations"),
    ("tags", "Tags"),
)
FIRST_USE = (("date", "date"), ("source", "source"), ("locator", "locator"), ("note", "note"))
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff]+|\s+|.", re.S)


@dataclass
class Change:
    """One changed field or list entry; segments spell out an edit inside a changed value."""

    label: str
    action: str  # added, removed, changed
    old: str | None = None
    new: str | None = None
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal|del|ins, text)


def history(session: Session, slug: str) -> list[Revision]:
    """Every revision of a slug, newest first (also after the term was deleted)."""
    query = sa.select(Revision).where(Revision.slug == slug).order_by(Revision.number.desc())
    return list(session.scalars(query))


def history_is_public(session: Session, slug: str) -> bool:
    """Anyone may read the history of a published term; a draft's or a deleted term's is for editors."""
    return session.scalar(sa.select(Term.status).where(Term.slug == slug)) == "published"


def latest(session: Session, slug: str) -> Revision | None:
    query = sa.select(Revision).where(Revision.slug == slug).order_by(Revision.number.desc()).limit(1)
    return session.scalar(query)


def current_term(session: Session, slug: str) -> Term | None:
    """The term a history belongs to, or None once it was deleted."""
    return session.scalar(sa.select(Term).where(Term.slug == slug))


def snapshot(revision: Revision | None) -> dict[str, Any] | None:
    if revision is None or revision.snapshot is None:
        return None
    data: dict[str, Any] = json.loads(revision.snapshot)
    return data


def previous(session: Session, revision: Revision) -> Revision | None:
    query = (
        sa.select(Revision)
        .where(Revision.slug == revision.slug, Revision.number < revision.number)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return session.scalar(query)


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level (Latin) and character-level (Chinese) edits turning old into new."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


def describe(kind: str, item: dict[str, Any] | str) -> str:
    """One readable line for a list entry of a term."""
    if isinstance(item, str):
        return item
    if kind == "translations":
        text = f"{item['lang']} · {item['status']}: {item['text']}"
        if item.get("from") or item.get("until"):
            text += f" (in use {item.get('from') or '…'}–{item.get('until') or '…'})"
    elif kind == "definitions":
        text = f"{item['lang']}: {item['text']}"
    elif kind == "excerpts":
        text = item["text"]
        if item.get("translation"):
            text += f" — “{item['translation']}”"
        where = ", ".join(x for x in (item.get("source"), item.get("locator")) if x)
        return f"{text} [{where}]"
    elif kind == "related":
        return f"{item['type']}: {item['slug']}"
    elif kind == "forms":
        form_type = item.get("type") or default_form_type(item["tag"])
        shown = item["tag"] if form_type == default_form_type(item["tag"]) else f"{item['tag']} · {form_type}"
        text = f"{shown}: {item['text']}"
    else:
        text = json.dumps(item, ensure_ascii=False)
    if item.get("source"):
        text += f" [source: {item['source']}]"
    if item.get("note"):
        text += f" (note: {item['note']})"
    return text


def _scalar(label: str, old: str | None, new: str | None) -> Change | None:
    if old == new:
        return None
    if old is None:
        return Change(label, "added", new=new)
    if new is None:
        return Change(label, "removed", old=old)
    return Change(label, "changed", old, new, inline_diff(old, new))


def _list(label: str, kind: str, old: list[Any], new: list[Any]) -> list[Change]:
    a = [describe(kind, x) for x in old]
    b = [describe(kind, x) for x in new]
    out: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            out.append(Change(label, "changed", a[i1 + k], b[j1 + k], inline_diff(a[i1 + k], b[j1 + k])))
        out += [Change(label, "removed", old=x) for x in a[i1 + pairs : i2]]
        out += [Change(label, "added", new=x) for x in b[j1 + pairs : j2]]
    return out


def diff(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    """What changed from one snapshot to the next (None stands for 'no term': created or deleted)."""
    old, new = old or {}, new or {}
    changes = [c for key, label in SCALARS if (c := _scalar(label, old.get(key), new.get(key)))]
    old_fu, new_fu = old.get("first_use") or {}, new.get("first_use") or {}
    changes += [c for key, label in FIRST_USE if (c := _scalar(f"First use {label}", old_fu.get(key), new_fu.get(key)))]
    # snapshots taken before terms had a policy hold none: they were "auto"
    policies = [(snap.get("annotation_policy") or "auto") if snap else None for snap in (old, new)]
    if (c := _scalar("Annotation policy", *policies)) is not None:
        changes.append(c)
    if (c := _scalar("Policy note", old.get("policy_note"), new.get("policy_note"))) is not None:
        changes.append(c)
    for key, label in LISTS:
        changes += _list(label, key, old.get(key) or [], new.get(key) or [])
    if (c := _scalar("Note", old.get("note"), new.get("note"))) is not None:
        changes.append(c)
    return changes
