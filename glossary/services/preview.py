"""What saving a term would derive from its simplified form, before it is saved.

The editor shows this live so that an editor sees (and can override) the traditional and
regional forms and the pinyin, and learns of a surface-form clash before pressing Save.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats.glossary1 import unstorable_strings
from ..models import SurfaceForm, Term
from ..text import forms as derive
from ..text.pinyin import slugify, to_pinyin
from ..text.segment import Segmenter
from .errors import Invalid

MAX_CHARS = 200  # the width of Term.simplified


def derived(
    session: Session,
    simplified: str,
    segmenter: Segmenter,
    slug: str | None = None,
    pinyin: str | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    """Derived traditional, Taiwan/Hong Kong forms, pinyin and slug, and forms other terms own.

    ``slug`` names the term being edited, so that its own forms do not count as clashes.
    ``pinyin`` is the editor's own, if given: saving builds a new term's slug from it, so the
    preview does too (the derived pinyin is still returned, for the field's placeholder).
    ``kind`` decides, as on saving, whether Taiwan phrasing is derived (not for proper names).
    """
    simplified = simplified.strip()
    if not simplified:
        raise Invalid("simplified must not be empty", [{"path": "simplified", "message": "required"}])
    if len(simplified) > MAX_CHARS:
        raise Invalid(
            f"simplified must be at most {MAX_CHARS} characters",
            [{"path": "simplified", "message": f"longer than {MAX_CHARS} characters"}],
        )
    if bad := unstorable_strings(simplified, "simplified"):  # PostgreSQL cannot even look one up
        raise Invalid(f"simplified {bad[0]['message']}", bad)
    traditional = derive.traditional(simplified)
    regional = [{"text": text, "tag": tag} for text, tag in derive.derive_forms(simplified, kind) if tag != "zh-Hant"]
    derived_pinyin = to_pinyin(simplified, segmenter)
    candidate = slugify((pinyin or "").strip() or derived_pinyin)
    texts = {simplified, traditional, *(f["text"] for f in regional)}
    owners = sa.select(SurfaceForm.text, Term.slug).join(Term).where(SurfaceForm.text.in_(texts))
    if slug:
        owners = owners.where(Term.slug != slug)
    clashes = [{"text": text, "slug": other} for text, other in session.execute(owners.order_by(SurfaceForm.text))]
    slug_owner = session.scalar(sa.select(Term.slug).where(Term.slug == candidate))
    return {
        "simplified": simplified,
        "traditional": traditional,
        "forms": regional,
        "pinyin": derived_pinyin,
        "slug": candidate,
        "slug_taken": slug_owner is not None and slug_owner != slug,
        "clashes": clashes,
    }
