"""Glue between mined candidates or foreign termbases and the glossary in the database.

Both need the same question answered — which Chinese strings are already terms — and both must
add only new entries, never overwrite curated ones.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats import FormatError
from ..formats.glossary1 import FORMAT, validate_document
from ..models import Source, SurfaceForm, Term, Translation
from ..text import mining
from ..text.keys import form_key, latin_key
from ..text.mining import is_chinese_document
from .errors import Invalid, ServiceError
from .terms import TERM_LOAD, begin_write

if TYPE_CHECKING:
    from .interchange import ImportReport


def known_forms(session: Session, texts: list[str]) -> dict[str, str]:
    """Map each text that is a surface form of a term (in any script) to that term's slug."""
    keys = {t: form_key(t) for t in texts}
    wanted = set(texts) | set(keys.values())
    rows = session.execute(sa.select(SurfaceForm.text, Term.slug).join(Term).where(SurfaceForm.text.in_(wanted))).all()
    slug_of = dict(rows)
    out = {}
    for text, key in keys.items():
        slug = slug_of.get(text) or slug_of.get(key)
        if slug:
            out[text] = slug
    return out


def glosses_of(session: Session, slugs: list[str]) -> dict[str, set[str]]:
    """Latin keys of every translation each term already has, to tell a new gloss from a known one."""
    rows = session.execute(
        sa.select(Term.slug, Translation.text).join(Translation).where(Term.slug.in_(set(slugs)))
    ).all()
    out: dict[str, set[str]] = {}
    for slug, text in rows:
        out.setdefault(slug, set()).add(latin_key(text))
    return out


def drop_existing(session: Session, doc: dict[str, Any], where: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Keep only entries whose Chinese forms are not yet in the glossary; say what was left out.

    A kept entry whose slug is taken by another term gets a fresh one; relations follow it, and a
    relation to a left-out entry points to the term that entry already is.
    """
    notes: list[str] = []
    terms = doc["terms"]
    forms = [[t["simplified"], t.get("traditional"), *(f["text"] for f in t.get("forms", []))] for t in terms]
    known = known_forms(session, [f for fs in forms for f in fs if f])
    slugs = {t.get("slug") for t in terms} - {None}
    taken = set(session.scalars(sa.select(Term.slug).where(Term.slug.in_(slugs))))
    kept: list[dict[str, Any]] = []
    moved: dict[str, str] = {}  # slug in the file → the slug it has now
    existing: set[str] = set()  # of those, terms already in the glossary
    for i, (term, fs) in enumerate(zip(terms, forms, strict=True)):
        hit = next((f for f in fs if f and f in known), None)
        label = where[i] if i < len(where) else f"terms[{i}]"
        if hit is not None:
            notes.append(f"{label}: {hit} is already the term {known[hit]!r}; skipped")
            if term.get("slug"):
                moved[term["slug"]] = known[hit]
                existing.add(known[hit])
            continue
        if term.get("slug") in taken:
            fresh = _fresh_slug(session, term["slug"], slugs)
            slugs.add(fresh)
            moved[term["slug"]] = fresh
            term = {**term, "slug": fresh}
        kept.append(term)
    for term in kept:
        related = term.get("related", [])
        if any(r["slug"] in moved for r in related):
            term["related"] = [{**r, "slug": moved.get(r["slug"], r["slug"])} for r in related]
            for r in term["related"]:
                if r["slug"] in existing:
                    notes.append(f"{term['simplified']}: related to the existing term {r['slug']!r}")
    return {**doc, "terms": kept}, notes


def _fresh_slug(session: Session, base: str, also_taken: set[str]) -> str:
    """base-2, base-3 …: the first slug neither the glossary nor the file uses."""
    used = set(session.scalars(sa.select(Term.slug).where(Term.slug.like(f"{base}-%")))) | also_taken
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


# ---------------------------------------------------------------- suggestions from a document

KINDS = {"person": "person", "name": "institution", "term": "concept", "formula": "formulation", "quoted": "concept"}
MAX_EXCERPTS = 3
MAX_EXCERPT_CHARS = 600


@dataclass
class Suggestion:
    """One proposed entry: a Chinese expression with what the document says about it."""

    key: str  # stable id within one suggestion list (the simplified form)
    chinese: str  # as printed
    simplified: str
    english: list[str]
    pinyin: str | None
    kind: str  # glossary kind
    pattern: str
    count: int
    contexts: list[tuple[str, int, int]]  # (sentence, line, offset of the Chinese)
    existing: str | None = None  # slug of the term it already is
    new_english: list[str] = field(default_factory=list)  # glosses that term lacks

    @property
    def status(self) -> str:
        if self.existing is None:
            return "new"
        return "new gloss" if self.new_english else "known"


def source_for(name: str, text: str, title: str | None = None) -> dict[str, Any]:
    """A source record for a document being mined; its metadata is for the reviewer to complete."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")[:60].strip("-") or "document"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return {
        "id": f"extract-{stem}-{digest}",
        "title": title or Path(name).name or "Untitled document",
        "language": "zh-Hans" if is_chinese_document(text) else "en",
        "note": f"Created by glossary extract from {Path(name).name}; complete author, publisher and date.",
    }


def _excerpt_text(sentence: str, text: str, offset: int) -> str:
    """The sentence, or a verbatim window of it around the Chinese when it is very long."""
    if len(sentence) <= MAX_EXCERPT_CHARS:
        return sentence
    start = text.rfind(" ", 0, max(0, offset - MAX_EXCERPT_CHARS // 2)) + 1
    end = text.find(" ", offset + MAX_EXCERPT_CHARS // 2)
    return text[start : end if end > 0 else len(text)].strip()


def suggest(session: Session, text: str, *, names: bool = True, min_count: int = 2) -> list[Suggestion]:
    """Candidates from a document, grouped by Chinese and checked against the glossary."""
    groups: dict[str, Suggestion] = {}
    for g in mining.glosses(text):
        if g.kind == "person" and not names:
            continue
        simplified = _simplified(g.chinese)
        s = groups.get(simplified)
        if s is None:
            s = groups[simplified] = Suggestion(
                simplified, g.chinese, simplified, [], g.pinyin, KINDS[g.kind], g.pattern, 0, []
            )
        s.count += 1
        if g.english and latin_key(g.english) not in {latin_key(e) for e in s.english}:
            s.english.append(g.english)
        if g.pinyin and not s.pinyin:
            s.pinyin = g.pinyin
        if len(s.contexts) < MAX_EXCERPTS and all(c[0] != g.sentence for c in s.contexts):
            s.contexts.append((_excerpt_text(g.sentence, text, g.start), g.line, g.start))
    if is_chinese_document(text):
        known = known_forms(session, [p.text for p in mining.phrases(text, min_count=min_count)])
        for p in mining.phrases(text, known=set(known), min_count=min_count):
            simplified = _simplified(p.text)
            if simplified in groups:
                continue
            contexts = [(_excerpt_text(sent, text, pos), line, pos) for sent, pos, line in p.contexts]
            groups[simplified] = Suggestion(
                simplified, p.text, simplified, [], None, KINDS[p.kind], p.kind, p.count, contexts
            )
    found = list(groups.values())
    slugs = known_forms(session, [s.simplified for s in found] + [s.chinese for s in found])
    for s in found:
        s.existing = slugs.get(s.simplified) or slugs.get(s.chinese)
    have = glosses_of(session, [s.existing for s in found if s.existing])
    for s in found:
        if s.existing:
            s.new_english = [e for e in s.english if latin_key(e) not in have.get(s.existing, set())]
    return found


def _simplified(chinese: str) -> str:
    simplified: str = _t2s().convert(" ".join(chinese.split()))
    return simplified


@cache
def _t2s() -> Any:  # opencc.OpenCC, imported lazily and untyped
    import opencc

    return opencc.OpenCC("t2s")


def suggestions_document(
    session: Session,
    suggestions: list[Suggestion],
    source: dict[str, Any],
    chosen: set[str] | None = None,
    added_by: str | None = None,
) -> dict[str, Any]:
    """A glossary/1 document for the chosen suggestions: new ones as drafts in ``terms``; for
    known terms only what they lack — new glosses as alternative translations, new excerpts — in
    ``additions``, which import appends without touching the rest of the term (edited since).

    Each added gloss carries a note saying where it was found and, when an editor ticked it on
    the web page (``added_by``), that it is not yet reviewed.
    """

    in_db = session.get(Source, source["id"]) is not None
    terms, additions = [], []
    existing = {
        t.slug: t
        for t in session.scalars(
            sa.select(Term).options(*TERM_LOAD).where(Term.slug.in_({s.existing for s in suggestions if s.existing}))
        )
    }
    for s in suggestions:
        if chosen is not None and s.key not in chosen:
            continue
        excerpts = [
            {"source": source["id"], "text": sentence, "locator": f"line {line}"} for sentence, line, _ in s.contexts
        ]
        if s.existing is None:
            translations = [
                {"lang": "en", "text": e, "status": "preferred" if i == 0 else "alternative", "source": source["id"]}
                for i, e in enumerate(s.english)
            ]
            note = f"Suggested by glossary extract ({s.pattern}, {s.count}× in the document)"
            if s.pinyin:
                note += f"; the document romanises it {s.pinyin!r}"
            terms.append(
                {
                    "simplified": s.simplified,
                    "kind": s.kind,
                    "status": "draft",
                    "translations": translations,
                    "excerpts": excerpts,
                    "note": note + ".",
                }
            )
            continue
        if not s.new_english and chosen is None:
            continue
        term = existing[s.existing]
        found = f"Found by glossary extract in {source['title']}"
        if s.contexts:
            found += f", line {s.contexts[0][1]}"
        note = f"{found}; added by {added_by} from Suggest, not yet reviewed." if added_by else f"{found}."
        seen = {e.text for e in term.excerpts}
        addition: dict[str, Any] = {"slug": term.slug, "simplified": term.simplified}
        addition["translations"] = [
            {"lang": "en", "text": e, "status": "alternative", "source": source["id"], "note": note}
            for e in s.new_english
        ]
        addition["excerpts"] = [e for e in excerpts if e["text"] not in seen]
        additions.append({k: v for k, v in addition.items() if v})
    doc = {"format": FORMAT, "sources": [] if in_db else [source], "terms": terms}
    if additions:
        doc["additions"] = additions
    return doc


def extract_document(
    session: Session,
    text: str,
    name: str,
    *,
    source_id: str | None = None,
    title: str | None = None,
    names: bool = True,
    min_count: int = 2,
) -> tuple[list[Suggestion], dict[str, Any]]:
    """Every suggestion from a document and the glossary/1 document to review and import.

    Entries cite ``source_id`` when given: the source as the glossary has it, or a new source
    with that id; otherwise a new source for the file ``name``. Invalid if the document would
    not import (a mined entry the format cannot hold), so nothing unimportable is handed out."""
    source = source_for(name, text, title)
    if source_id:
        known = session.get(Source, source_id)
        cited = {"id": known.id, "title": known.title, "language": known.language} if known else None
        source = cited or {**source, "id": source_id}
    found = suggest(session, text, names=names, min_count=min_count)
    doc = suggestions_document(session, found, source)
    try:
        validate_document(doc)
    except FormatError as exc:
        raise Invalid(str(exc), exc.errors) from None
    return found, doc


def import_suggestions(session: Session, doc: dict[str, Any], actor: str) -> ImportReport:
    """Import the ticked suggestions (suggestions_document) in one transaction: all or nothing."""
    from .interchange import import_document  # interchange imports this module

    try:
        begin_write(session)
        report = import_document(session, doc, actor)
        session.commit()
    except (ServiceError, FormatError):
        session.rollback()
        raise
    return report
