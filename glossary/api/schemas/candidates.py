"""The new-formulation watch (services.corpus_candidates)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ...services.corpus_candidates import MAX_LIMIT, SINCE_PATTERN
from .base import QueryModel, whole_number
from .corpus import CORPUS_EXAMPLE, DATE_DOC, CorpusVersion


class CandidatesQuery(QueryModel):
    since: str | None = Field(
        None,
        description=f"recent means dated on or after this ({DATE_DOC}); default: the start of the year "
        "four years before the latest document's",
        pattern=SINCE_PATTERN,
    )
    limit: whole_number(1, MAX_LIMIT) = 50
    kind: Literal["numbered", "quoted", "rising"] | None = Field(None, description="only candidates found this way")


class Example(BaseModel):
    document: int
    title: str
    date: str
    excerpt: str = Field(description="the sentence in the latest document using the phrase")
    start: int = Field(description="where the phrase starts in the excerpt (code points)")
    end: int


class Candidate(BaseModel):
    phrase: str
    kind: Literal["numbered", "quoted", "rising"] = Field(
        description="numbered: numeral + measure word + head (两个确立); quoted: set in quotation marks by "
        "the documents; rising: a run of characters whose rate rose at least threefold"
    )
    first_date: str = Field(description="of the earliest document in the corpus using it — not a first use")
    documents: int = Field(description="recent documents using it")
    occurrences: int = Field(description="in recent documents")
    earlier_occurrences: int
    per_100k: float
    earlier_per_100k: float
    g2: float = Field(description="Dunning's log-likelihood of recent against earlier use; the ranking")
    example: Example
    links: dict[str, str] = Field(description="passages: the phrase concordance over the corpus")


class Candidates(BaseModel):
    """Phrases frequent in recent documents that the glossary does not hold, strongest first."""

    since: str
    recent_documents: int
    corpus: CorpusVersion
    items: list[Candidate]


CANDIDATES_QUERY_EXAMPLE = {"since": "2021", "limit": 10, "kind": "quoted"}
CANDIDATES_EXAMPLE = {
    "since": "2021",
    "recent_documents": 24,
    "corpus": CORPUS_EXAMPLE,
    "items": [
        {
            "phrase": "专精特新",
            "kind": "quoted",
            "first_date": "2022-03-05",
            "documents": 5,
            "occurrences": 5,
            "earlier_occurrences": 0,
            "per_100k": 0.852,
            "earlier_per_100k": 0.0,
            "g2": 22.38,
            "example": {
                "document": 188,
                "title": "2024年政府工作报告",
                "date": "2024-03-05",
                "excerpt": "促进专精特新中小企业发展壮大。",
                "start": 2,
                "end": 6,
            },
            "links": {"passages": "/documents?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0"},
        }
    ],
}
