"""Search: the query and its hits."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .base import Links, QueryModel, whole_number
from .terms import Kind

# a query needs one character Python does not count as whitespace (and no NUL)
BLANK = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace() or c == "\x00")
QUERY_PATTERN = f"^[^\\u0000]*[^{BLANK}][^\\u0000]*$"


class SearchQuery(QueryModel):
    # length and blankness are the searcher's to judge (QueryError names them); the pattern and
    # bounds here describe what it accepts
    q: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200, "pattern": QUERY_PATTERN})
    limit: whole_number(1, 100) = 20
    lang: str = Field(
        "en",
        description="the language of each hit's `gloss` (English when the term has none in it; default en); "
        "translations in it rank a little higher. It does not filter: a query matching a rendering in any "
        "language finds the term.",
    )
    kind: Kind | None = None
    tag: str | None = Field(None)


class Matched(BaseModel):
    """What matched: `value[start:end]` (code points) is exactly the matched text, for highlighting
    (the whole value for a `fuzzy` match). For a Chinese query, `value` is the form as typed when
    the term has that form."""

    field: Literal["form", "pinyin", "translation"]
    value: str
    start: int
    end: int
    how: str


class TermHead(BaseModel):
    """What a hit says of its term (services.representation.term_head)."""

    slug: str
    simplified: str
    traditional: str
    pinyin: str
    gloss: str | None
    gloss_lang: str | None
    kind: str


class SearchHit(TermHead):
    matched: Matched
    score: int


class InTextHit(TermHead):
    """A term the annotator found in the query: `surface` is `query[start:end]` (code points)."""

    start: int
    end: int
    surface: str
    confidence: Literal["high", "low"]
    form_type: str = Field(description="as in annotate: `primary`, a form's type, or `rendering`")
    rendering: str | None = Field(None, description="present for a rendering: the glossary's rendering matched")


class SearchResults(BaseModel):
    """The terms in the query's text, then the best `limit` hits, best first, on one page."""

    in_text: list[InTextHit] = Field(
        description="terms the annotator finds in the query, in the query's order, each once; empty when the "
        "query is one term or none (the kind and tag filters apply)"
    )
    suggestions: list[str] = Field(
        description="when nothing was found: close spellings (translations, pinyin or forms) to search instead"
    )
    items: list[SearchHit]
    total: int = Field(description="the number of items returned, not a count of every match")
    page: int
    per_page: int
    links: Links
    query: str


QUERY_EXAMPLE = {"q": "cyber sovereignty", "limit": 5}
EXAMPLE = {
    "in_text": [],
    "suggestions": [],
    "items": [
        {
            "slug": "wangluo-zhuquan",
            "simplified": "网络主权",
            "traditional": "網絡主權",
            "pinyin": "wǎngluò zhǔquán",
            "gloss": "cyber sovereignty",
            "gloss_lang": "en",
            "kind": "concept",
            "matched": {"field": "translation", "value": "cyber sovereignty", "start": 0, "end": 17, "how": "exact"},
            "score": 100,
        }
    ],
    "total": 1,
    "page": 1,
    "per_page": 5,
    "links": {"next": None, "prev": None},
    "query": "cyber sovereignty",
}
