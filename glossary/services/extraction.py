"""Glue between mined candidates or foreign termbases and the glossary in the database.

Both need the same question answered — which Chinese strings are already terms — and both must
add only new entries, never overwrite curated ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import SurfaceForm, Term, Translation
from ..text.keys import form_key, latin_key


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


def drop_existing(session: Session, doc: dict, where: list[str]) -> tuple[dict, list[str]]:
    """Keep only entries whose Chinese forms are not yet in the glossary; say what was left out.

    A kept entry whose slug is taken by another term gets a fresh slug (derived on import), and
    relations that pointed to a dropped or renamed entry are removed.
    """
    notes: list[str] = []
    terms = doc["terms"]
    forms = [[t["simplified"], t.get("traditional"), *(f["text"] for f in t.get("forms", []))] for t in terms]
    known = known_forms(session, [f for fs in forms for f in fs if f])
    taken = set(session.scalars(sa.select(Term.slug).where(Term.slug.in_({t.get("slug") for t in terms} - {None}))))
    kept: list[dict] = []
    gone: set[str] = set()
    for i, (term, fs) in enumerate(zip(terms, forms, strict=True)):
        hit = next((f for f in fs if f and f in known), None)
        label = where[i] if i < len(where) else f"terms[{i}]"
        if hit is not None:
            notes.append(f"{label}: {hit} is already the term {known[hit]!r}; skipped")
            if term.get("slug") and term["slug"] != known[hit]:
                gone.add(term["slug"])
            continue
        if term.get("slug") in taken:
            gone.add(term["slug"])
            term = {k: v for k, v in term.items() if k != "slug"}
        kept.append(term)
    for term in kept:
        related = [r for r in term.get("related", []) if r["slug"] not in gone]
        if len(related) != len(term.get("related", [])):
            notes.append(
                f"{term['simplified']}: {len(term['related']) - len(related)} relation(s) to skipped entries dropped"
            )
            term["related"] = related
    return {**doc, "terms": kept}, notes
