"""Models to glossary/1 dictionaries (the form export, revisions and the API share)."""

from __future__ import annotations

from typing import Any

from ..formats.glossary1 import canonical_term
from ..models import Source, Term


def source_to_dict(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "container": source.container,
        "date": source.date,
        "url": source.url,
        "language": source.language,
        "note": source.note,
    }


def term_to_dict(term: Term) -> dict[str, Any]:
    """The term as glossary/1 (curated forms only: derived ones are regenerated on import)."""
    first_use = None
    if term.first_use_date:
        first_use = {
            "date": term.first_use_date,
            "source": term.first_use_source_id,
            "locator": term.first_use_locator,
            "note": term.first_use_note,
            "basis": term.first_use_basis or "asserted",
            "scope": term.first_use_scope,
            "excerpt": term.first_use_excerpt,
        }
    return canonical_term(
        {
            "slug": term.slug,
            "simplified": term.simplified,
            "traditional": term.traditional,
            "forms": [
                {"text": f.text, "tag": f.tag, "type": f.type, "note": f.note}
                for f in term.forms
                if f.origin == "curated"
            ],
            "pinyin": term.pinyin,
            "kind": term.kind,
            "status": term.status,
            "annotation_policy": term.annotation_policy,
            "policy_note": term.policy_note,
            "translations": [
                {
                    "lang": t.lang,
                    "text": t.text,
                    "status": t.status,
                    "from": t.date_from,
                    "until": t.date_until,
                    "source": t.source_id,
                    "note": t.note,
                    "excerpt": t.excerpt,
                }
                for t in term.translations
            ],
            "definitions": [{"lang": d.lang, "text": d.text, "source": d.source_id} for d in term.definitions],
            "first_use": first_use,
            "excerpts": [
                {
                    "source": e.source_id,
                    "text": e.text,
                    "locator": e.locator,
                    "lang": e.lang,
                    "translation": e.translation,
                }
                for e in term.excerpts
            ],
            "related": [{"slug": r.target.slug, "type": r.type} for r in term.relations],
            "tags": [t.tag for t in term.tags],
            "note": term.note,
        }
    )


def surface_forms(term: Term) -> list[dict[str, Any]]:
    return [{"text": f.text, "tag": f.tag, "origin": f.origin, "type": f.type} for f in term.forms]


def preferred(term: Term, lang: str = "en") -> tuple[str | None, str | None]:
    """The preferred (else official, else first) rendering in lang, falling back to English."""
    for candidate in dict.fromkeys((lang, lang.split("-")[0], "en")):
        found = [t for t in term.translations if t.lang == candidate]
        if found:
            rank = {"preferred": 0, "official": 1, "alternative": 2, "deprecated": 3}
            best = min(found, key=lambda t: (rank[t.status], t.id))
            return best.text, candidate
    return None, None
