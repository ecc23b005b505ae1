"""PATCH: a JSON Merge Patch (RFC 7396) applied to a term's glossary/1 form, then saved as a whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import Term
from .errors import Invalid
from .representation import term_to_dict
from .terms import TermInput, save_term


def merge_patch(target: object, patch: object) -> object:
    """RFC 7396 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


DERIVED = ("traditional", "pinyin")  # derived from simplified unless given


def patch_term(session: Session, term: Term, patch: dict[str, Any], actor: str) -> Term:
    """Apply a JSON Merge Patch to the term's glossary/1 form.

    A patch that changes simplified derives traditional and pinyin again (and with them the
    derived surface forms), unless it sets them itself: the old ones belong to the old form.
    Curated forms are the editors' and are kept."""
    current = term_to_dict(term)
    data = merge_patch(current, patch)
    assert isinstance(data, dict)  # a patch onto an object is an object
    if data.get("slug") != term.slug:
        raise Invalid("slug cannot be changed by PATCH", [{"path": "slug", "message": "must stay " + term.slug}])
    if data.get("simplified") != current["simplified"]:
        for name in DERIVED:
            if name not in patch:
                data.pop(name, None)
    return save_term(session, TermInput(data, actor, term))
