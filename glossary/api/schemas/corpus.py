"""The reference corpus: documents (list, detail, upload), a term's attestations, and trends."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from ...models import DOCUMENT_KINDS
from ...services.corpus_compare import SIDE_PATTERN
from ...services.corpus_reading import MAX_QUERY, search_key
from ...services.errors import Invalid
from .base import Page, QueryModel, query_error, whole_number

DocumentKind = Literal[DOCUMENT_KINDS]
DATE = "^\\d{4}(-\\d{2}(-\\d{2})?)?$"
DATE_DOC = "ISO 8601 with its own precision: YYYY, YYYY-MM or YYYY-MM-DD"
# what a query needs besides: one character that is not whitespace, an ignorable or NUL
_SKIPPED = [c for c in map(chr, range(0x3001)) if c.isspace() or c == "\x00"]
_SKIPPED += list("\u00ad\u200b\u200c\u200d\u2060\ufeff")
BLANK = "".join(f"\\u{ord(c):04x}" for c in _SKIPPED)


def search_text(raw: object) -> str | None:
    """q as given, None when empty; a 400 naming q when it is too long or holds nothing to find."""
    if raw in (None, ""):
        return None
    try:
        search_key(str(raw))
    except Invalid as exc:
        raise query_error(exc.detail.replace("q ", "{name} ", 1), exc.errors[0]["message"]) from None
    return str(raw)


class DocumentListQuery(QueryModel):
    kind: DocumentKind | None = None
    year: whole_number(1, 9999) | None = None
    q: Annotated[str | None, BeforeValidator(search_text)] = Field(
        None,
        description="only documents whose text holds this string (a substring match over the text as the "
        "annotator reads it: 國家安全 finds 国家安全; at most 200 characters); empty: no filter",
        json_schema_extra={"maxLength": MAX_QUERY, "pattern": f"^([^\\u0000]*[^{BLANK}][^\\u0000]*)?$"},
    )
    page: whole_number(1, 1_000_000) = 1
    per_page: whole_number(1, 100) = 50


class DocumentQuery(QueryModel):
    text: Literal["0", "1"] = Field("0", description="1 adds the full text")
    annotate: Literal["0", "1"] = Field(
        "0", description="1 adds the glossary terms matched in it: the stored occurrences the counts are made of"
    )


class CorpusVersion(BaseModel):
    """What a figure was computed from, so it can be reproduced: documents counted (overlapping
    ones left out), their characters, date span and last import."""

    documents: int
    chars: int
    from_: str | None = Field(alias="from", description=DATE_DOC)
    to: str | None = Field(description=DATE_DOC)
    last_import: str | None
    version: str = Field(description="documents@last-import, or 0 for an empty corpus")


class DocumentLinks(BaseModel):
    self: str
    html: str


class Document(BaseModel):
    id: int
    title: str
    title_en: str | None
    date: str = Field(description=DATE_DOC)
    year: int
    kind: DocumentKind
    language: str
    issuer: str | None = Field(description="issuer or speaker, where known")
    source: str | None = Field(description="where the text was taken from")
    copyright: str | None
    license_note: str | None
    chars: int = Field(description="characters (code points) of the text")
    sha256: str
    overlaps: int | None = Field(description="the longer document this one largely repeats (left out of counts)")
    imported: str
    links: DocumentLinks


class DocumentPage(Page):
    items: list[Document]
    corpus: CorpusVersion


class Match(BaseModel):
    term: str = Field(description="the term's slug")
    start: int = Field(description="code-point offset into text")
    end: int
    surface: str = Field(description="the text as written there")
    confidence: Literal["high", "low"]
    nested: bool = Field(description="inside a longer glossary term's match (counted for both)")
    sense_checked: bool = Field(description="false: the term's policy keeps it from prose links; a string occurrence")


class DocumentDetail(Document):
    text: str | None = Field(None, description="with ?text=1")
    matches: list[Match] | None = Field(None, description="with ?annotate=1, in text order")


class DocumentUpload(BaseModel):
    """One document: as multipart/form-data with `file`, or as JSON with `text`."""

    date: str = Field(pattern=DATE, description=DATE_DOC)
    kind: DocumentKind
    title: str = Field(min_length=1, description="the title in the document's language")
    title_en: str | None = None
    issuer: str | None = Field(None, description="issuer or speaker")
    language: str = Field("zh", min_length=1, max_length=35)
    source: str | None = Field(None, description="provenance: where the text was taken from")
    copyright: str | None = Field(None, max_length=40)
    license_note: str | None = None
    text: str | None = Field(None, description="JSON: the text itself (UTF-8)")
    name: str | None = Field(None, max_length=255, description="JSON: the file name to record (default upload.txt)")
    file: bytes | None = Field(
        None, description="multipart: the file (.txt/.md UTF-8, .html, .docx, .pdf with a text layer)"
    )


class DocumentRef(BaseModel):
    id: int
    title: str
    date: str = Field(description=DATE_DOC)
    kind: DocumentKind


class Earliest(BaseModel):
    date: str = Field(description=DATE_DOC)
    document: DocumentRef
    excerpt: str = Field(description="the sentence holding the match")
    excerpt_start: int = Field(description="where the excerpt starts in the document")
    start: int
    end: int


class YearFigure(BaseModel):
    year: int
    occurrences: int
    documents: int = Field(description="documents of the year using the term")
    corpus_documents: int = Field(description="documents of the year in the corpus")
    chars: int = Field(description="characters of the year's documents")
    per_100k: float


class ConcordanceLine(BaseModel):
    document: DocumentRef
    date: str = Field(description=DATE_DOC)
    left: str
    match: str
    right: str
    start: int
    end: int


class Concordance(BaseModel):
    items: list[ConcordanceLine]
    total: int
    page: int
    per_page: int


ISSUER = Field(
    None,
    description="only lines from documents of this issuer or speaker (as /documents lists them); "
    "figures are not narrowed",
    json_schema_extra={"maxLength": 200},
)


class AttestationsQuery(QueryModel):
    kind: DocumentKind | None = None
    issuer: str | None = ISSUER
    page: whole_number(1, 1_000_000) = 1
    per_page: whole_number(1, 100) = 20


class Attestations(BaseModel):
    """Earliest *in this corpus*, never the first use; years without documents are absent (gaps)."""

    term: str
    pending: bool = Field(
        description="an edit of this term is committed but its occurrences are not yet re-indexed: "
        "the figures are those from before it (usually for a second or two)"
    )
    annotation_policy: Literal["auto", "confirm", "never"]
    label: str | None = Field(description='"string occurrences, sense not checked" unless the policy is auto')
    corpus: CorpusVersion
    earliest: Earliest | None
    documents: int
    occurrences: int
    by_year: list[YearFigure]
    concordance: Concordance


class TrendsQuery(QueryModel):
    terms: str = Field(description="up to 8 slugs, separated by commas")
    kind: DocumentKind | None = None
    from_: whole_number(1, 9999) | None = Field(None, alias="from", description="first year")
    to: whole_number(1, 9999) | None = Field(None, description="last year")
    measure: Literal["per_100k", "documents"] = Field(
        "per_100k", description="per 100,000 characters, or the share of the year's documents using the term"
    )
    format: Literal["json", "csv"] = "json"


class TrendPoint(BaseModel):
    year: int
    value: float
    occurrences: int
    documents: int


class Series(BaseModel):
    term: str
    label: str | None = Field(description='"string occurrences, sense not checked" unless the policy is auto')
    points: list[TrendPoint]


class Trends(BaseModel):
    measure: Literal["per_100k", "documents"]
    corpus: CorpusVersion
    series: list[Series]


CORPUS_EXAMPLE = {
    "documents": 219,
    "chars": 2403518,
    "from": "1954-09-23",
    "to": "2025-03-05",
    "last_import": "2026-12-03T09:00:00Z",
    "version": "219@2026-12-03T09:00:00Z",
}
_DOC = {
    "id": 12,
    "title": "中国共产党第十九次全国代表大会上的报告",
    "title_en": "Report to the 19th National Congress of the CPC",
    "date": "2017-10-18",
    "year": 2017,
    "kind": "congress-report",
    "language": "zh",
    "issuer": "Xi Jinping",
    "source": "example/corpus: reports/19.txt",
    "copyright": "official-document",
    "license_note": "Outside copyright (Art. 5, PRC Copyright Law)",
    "chars": 32581,
    "sha256": "9" * 64,
    "overlaps": None,
    "imported": "2026-12-03T09:00:00Z",
    "links": {"self": "/api/v1/documents/12", "html": "/documents/12"},
}
LIST_QUERY_EXAMPLE = {"kind": "congress-report", "q": "总体国家安全观", "per_page": 20}
PAGE_EXAMPLE = {
    "items": [_DOC],
    "total": 1,
    "page": 1,
    "per_page": 20,
    "links": {"next": None, "prev": None},
    "corpus": CORPUS_EXAMPLE,
}
DETAIL_QUERY_EXAMPLE = {"annotate": "1"}
DETAIL_EXAMPLE = _DOC | {
    "matches": [
        {"term": "zongti-guojia-anquan-guan", "start": 120, "end": 127, "surface": "总体国家安全观",
         "confidence": "high", "nested": False, "sense_checked": True},
        {"term": "guojia-anquan", "start": 122, "end": 126, "surface": "国家安全",
         "confidence": "high", "nested": True, "sense_checked": True},
    ]
}  # fmt: skip
UPLOAD_EXAMPLE = {
    "date": "2017-10-18",
    "kind": "congress-report",
    "title": "中国共产党第十九次全国代表大会上的报告",
    "title_en": "Report to the 19th National Congress of the CPC",
    "issuer": "Xi Jinping",
    "text": "坚持总体国家安全观。",
}
ATTESTATIONS_QUERY_EXAMPLE = {"kind": "congress-report", "per_page": 10}
_REF = {"id": 12, "title": _DOC["title"], "date": "2017-10-18", "kind": "congress-report"}
ATTESTATIONS_EXAMPLE = {
    "term": "zongti-guojia-anquan-guan",
    "pending": False,
    "annotation_policy": "auto",
    "label": None,
    "corpus": CORPUS_EXAMPLE,
    "earliest": {"date": "2017-10-18", "document": _REF, "excerpt": "坚持总体国家安全观。", "excerpt_start": 118,
                 "start": 120, "end": 127},
    "documents": 1,
    "occurrences": 1,
    "by_year": [{"year": 2017, "occurrences": 1, "documents": 1, "corpus_documents": 4, "chars": 81000,
                 "per_100k": 1.235}],
    "concordance": {
        "items": [{"document": _REF, "date": "2017-10-18", "left": "坚持", "match": "总体国家安全观", "right": "。",
                   "start": 120, "end": 127}],
        "total": 1, "page": 1, "per_page": 10,
    },
}  # fmt: skip
TRENDS_QUERY_EXAMPLE = {"terms": "guojia-anquan,gongtong-fuyu", "from": 2012, "measure": "per_100k"}
TRENDS_EXAMPLE = {
    "measure": "per_100k",
    "corpus": CORPUS_EXAMPLE,
    "series": [
        {"term": "guojia-anquan", "label": None,
         "points": [{"year": 2017, "value": 12.346, "occurrences": 10, "documents": 3}]},
        {"term": "gongtong-fuyu", "label": None,
         "points": [{"year": 2017, "value": 2.469, "occurrences": 2, "documents": 1}]},
    ],
}  # fmt: skip


class CompareQuery(QueryModel):
    a: str = Field(
        description="document ids or selectors (year:2017, kind:congress-report), separated by commas",
        json_schema_extra={"pattern": SIDE_PATTERN},
    )
    b: str = Field(description="the other side, written the same way", json_schema_extra={"pattern": SIDE_PATTERN})
    limit: whole_number(1, 200) = 20


class Side(BaseModel):
    selector: str
    documents: list[int] = Field(description="the ids of the documents selected")
    chars: int


class SideFigures(BaseModel):
    occurrences: int
    per_100k: float


class KeyTerm(BaseModel):
    term: str
    a: SideFigures
    b: SideFigures
    g2: float = Field(description="Dunning's log-likelihood: 3.84 is p < 0.05, 6.63 p < 0.01")
    links: dict[str, str] = Field(description="attestations: the term's passages")


class Comparison(BaseModel):
    a: Side
    b: Side
    only_a: list[KeyTerm]
    only_b: list[KeyTerm]
    rose: list[KeyTerm] = Field(description="a higher rate in b than in a, by G² highest first")
    fell: list[KeyTerm]
    corpus: CorpusVersion


COMPARE_QUERY_EXAMPLE = {"a": "year:2017,kind:congress-report", "b": "year:2022,kind:congress-report", "limit": 10}
_KEY = {
    "term": "zongti-guojia-anquan-guan",
    "a": {"occurrences": 1, "per_100k": 3.069},
    "b": {"occurrences": 4, "per_100k": 12.5},
    "g2": 1.976,
    "links": {"attestations": "/api/v1/terms/zongti-guojia-anquan-guan/attestations"},
}
COMPARE_EXAMPLE = {
    "a": {"selector": "year:2017,kind:congress-report", "documents": [12], "chars": 32581},
    "b": {"selector": "year:2022,kind:congress-report", "documents": [40], "chars": 32000},
    "only_a": [],
    "only_b": [],
    "rose": [_KEY],
    "fell": [],
    "corpus": CORPUS_EXAMPLE,
}
