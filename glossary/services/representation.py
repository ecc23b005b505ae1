"""Models to glossary/1 dictionaries (the form export, revisions and the API share)."""

from __future__ import annotations

from collections.abc import Mapping
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
    columns = {name: getattr(term, name) for name in TERM_COLUMNS}
    forms = [{"text": f.text, "tag": f.tag, "type": f.type, "note": f.note, "origin": f.origin} for f in term.forms]
    translations = [{name: getattr(t, name) for name in TRANSLATION_COLUMNS} for t in term.translations]
    definitions = [{"lang": d.lang, "text": d.text, "source_id": d.source_id} for d in term.definitions]
    excerpts = [{name: getattr(e, name) for name in EXCERPT_COLUMNS} for e in term.excerpts]
    related = [(r.target.slug, r.type) for r in term.relations]
    return rows_to_dict(columns, forms, translations, definitions, excerpts, related, [t.tag for t in term.tags])


TERM_COLUMNS = (
    "slug",
    "simplified",
    "traditional",
    "pinyin",
    "kind",
    "status",
    "annotation_policy",
    "policy_note",
    "note",
    "first_use_date",
    "first_use_source_id",
    "first_use_locator",
    "first_use_note",
    "first_use_basis",
    "first_use_scope",
    "first_use_excerpt",
)
TRANSLATION_COLUMNS = ("lang", "text", "status", "date_from", "date_until", "source_id", "note", "excerpt")
EXCERPT_COLUMNS = ("source_id", "text", "locator", "lang", "translation")


def rows_to_dict(
    term: Mapping[str, Any],
    forms: list[dict[str, Any]],
    translations: list[dict[str, Any]],
    definitions: list[dict[str, Any]],
    excerpts: list[dict[str, Any]],
    related: list[tuple[str, str]],
    tags: list[str],
) -> dict[str, Any]:
    """A term's rows (column values by name; related as (slug, type)) as glossary/1: what
    term_to_dict makes of a stored term and a bulk import of rows it has not loaded back."""
    first_use = None
    if term["first_use_date"]:
        first_use = {
            "date": term["first_use_date"],
            "source": term["first_use_source_id"],
            "locator": term["first_use_locator"],
            "note": term["first_use_note"],
            "basis": term["first_use_basis"] or "asserted",
            "scope": term["first_use_scope"],
            "excerpt": term["first_use_excerpt"],
        }
    return canonical_term(
        {
            "slug": term["slug"],
            "simplified": term["simplified"],
            "traditional": term["traditional"],
            "forms": [
                {"text": f["text"], "tag": f["tag"], "type": f["type"], "note": f["note"]}
                for f in forms
                if f["origin"] == "curated"
            ],
            "pinyin": term["pinyin"],
            "kind": term["kind"],
            "status": term["status"],
            "annotation_policy": term["annotation_policy"],
            "policy_note": term["policy_note"],
            "translations": [
                {
                    "lang": t["lang"],
                    "text": t["text"],
                    "status": t["status"],
                    "from": t["date_from"],
                    "until": t["date_until"],
                    "source": t["source_id"],
                    "note": t["note"],
                    "excerpt": t["excerpt"],
                }
                for t in translations
            ],
            "definitions": [{"lang": d["lang"], "text": d["text"], "source": d["source_id"]} for d in definitions],
            "first_use": first_use,
            "excerpts": [
                {
                    "source": e["source_id"],
                    "text": e["text"],
                    "locator": e["locator"],
                    "lang": e["lang"],
                    "translation": e["translation"],
                }
                for e in excerpts
            ],
            "related": [{"slug": slug, "type": kind} for slug, kind in related],
            "tags": tags,
            "note": term["note"],
        }
    )


def surface_forms(term: Term) -> list[dict[str, Any]]:
    return [{"text": f.text, "tag": f.tag, "origin": f.origin, "type": f.type} for f in term.forms]


def preferred(term: Any, lang: str = "en") -> tuple[str | None, str | None]:
    """The preferred (else official, else first) rendering in lang, falling back to English
    (``term``: a Term, or anything with its ``translations``, as annotation.PlainTerm)."""
    for candidate in dict.fromkeys((lang, lang.split("-")[0], "en")):
        found = [t for t in term.translations if t.lang == candidate]
        if found:
            rank = {"preferred": 0, "official": 1, "alternative": 2, "deprecated": 3}
            best = min(found, key=lambda t: (rank[t.status], t.id))
            return best.text, candidate
    return None, None


def term_head(term: Term, lang: str) -> dict[str, Any]:
    """What a search hit says of its term: names, pinyin, kind and the gloss in ``lang``."""
    gloss, gloss_lang = preferred(term, lang)
    return {
        "slug": term.slug,
        "simplified": term.simplified,
        "traditional": term.traditional,
        "pinyin": term.pinyin,
        "gloss": gloss,
        "gloss_lang": gloss_lang,
        "kind": term.kind,
    }
