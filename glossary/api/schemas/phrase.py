"""The phrase concordance (services.corpus_phrase): any string across the corpus."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from ...services.corpus_phrase import MIN_CHARS
from ...services.corpus_reading import MAX_QUERY, search_key
from .base import query_error
from .corpus import BLANK, CORPUS_EXAMPLE, AttestationsQuery, Concordance, CorpusVersion, YearFigure, search_text


def _phrase(raw: object) -> str:
    """q as search_text reads it, and at least two characters once folded (one character matches
    nearly every document)."""
    text = search_text(raw)
    if text is None or len(search_key(text)) < MIN_CHARS:
        raise query_error(f"{{name}} must be at least {MIN_CHARS} characters to find", "too short")
    return text


class PhraseQuery(AttestationsQuery):
    """A term's concordance filters (kind, issuer, page, per_page), over any phrase q."""

    q: Annotated[str, BeforeValidator(_phrase)] = Field(
        description="the phrase, in either script (a substring match over the texts as the annotator reads them; "
        "2–200 characters, two of them neither space nor ignorable)",
        json_schema_extra={
            "minLength": MIN_CHARS,
            "maxLength": MAX_QUERY,
            # MIN_CHARS characters that survive folding (", " folds to ",", one character)
            "pattern": "^" + f"[^\\u0000]*[^{BLANK}]" * MIN_CHARS + "[^\\u0000]*$",
        },
    )


class PhraseConcordance(BaseModel):
    """Counts and lines of a string, with no boundary rule (国家安全 inside 国家安全部 counts)."""

    q: str
    corpus: CorpusVersion
    documents: int = Field(description="counted documents holding the phrase")
    occurrences: int
    by_year: list[YearFigure] = Field(description="a row per year with documents of the kind and issuer asked")
    concordance: Concordance


PHRASE_QUERY_EXAMPLE = {"q": "专精特新", "kind": "government-work-report", "per_page": 10}
_REF = {"id": 188, "title": "2024年政府工作报告", "date": "2024-03-05", "kind": "government-work-report"}
PHRASE_EXAMPLE = {
    "q": "专精特新",
    "corpus": CORPUS_EXAMPLE,
    "documents": 1,
    "occurrences": 1,
    "by_year": [{"year": 2024, "occurrences": 1, "documents": 1, "corpus_documents": 1, "chars": 20000,
                 "per_100k": 5.0}],
    "concordance": {
        "items": [{"document": _REF, "date": "2024-03-05", "left": "促进", "match": "专精特新",
                   "right": "中小企业发展壮大", "start": 9120, "end": 9124}],
        "total": 1, "page": 1, "per_page": 10,
    },
}  # fmt: skip
