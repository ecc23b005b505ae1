"""Corpus reads for researchers and editors: the new-formulation watch (services.corpus_candidates)
and the phrase concordance (services.corpus_phrase)."""

from __future__ import annotations

from flask import Response, request, url_for

from ...extensions import db, limiter
from ...services import corpus_phrase
from ...services.corpus_candidates import candidates
from .. import bp
from ..http import cached_json
from ..operation import Operation, Reply, describe
from ..schemas import candidates as schemas
from ..schemas import phrase
from .corpus import search_limit


@bp.get("/v1/corpus/candidates")
@limiter.limit(search_limit)
@describe(
    Operation(
        "listCandidates",
        "Phrases frequent in recent documents that the glossary does not hold",
        {200: Reply("Candidates, strongest rise first", schemas.Candidates, schemas.CANDIDATES_EXAMPLE, etag=True)},
        description="Numbered formulas (两个确立), phrases the documents set in quotation marks, and runs of "
        "characters whose rate per 100,000 characters rose at least threefold, in the documents dated on or "
        "after `since`, used in at least two of them, and held by no term (drafts included) as a form or "
        "a piece of one. Ranked by Dunning's G² of recent against earlier use. `first_date` is the earliest "
        "document of this corpus using the phrase — evidence, not a first use. The answer is computed from "
        "the texts and kept per corpus and glossary version.",
        query=schemas.CandidatesQuery,
        query_example=schemas.CANDIDATES_QUERY_EXAMPLE,
        errors={400: "Bad parameter", 404: "No document is dated on or after since"},
    )
)
def list_candidates() -> Response:
    args = schemas.CandidatesQuery.from_args(request.args)
    found = candidates(db.session, args.since, args.limit, args.kind)
    items = [c | {"links": {"passages": url_for("api.list_documents", q=c["phrase"])}} for c in found["items"]]
    return cached_json(found | {"items": items})


@bp.get("/v1/corpus/concordance")
@limiter.limit(search_limit)
@describe(
    Operation(
        "phraseConcordance",
        "Any phrase across the corpus: keyword in context and counts per year",
        {200: Reply("Counts and lines", phrase.PhraseConcordance, phrase.PHRASE_EXAMPLE, etag=True)},
        description="A plain substring search, not limited to glossary terms and with no boundary rule, over "
        "the texts as the annotator reads them (both scripts, line breaks inside a phrase ignored); offsets "
        "are in the text as printed. Figures leave out documents flagged as repeating a longer one; lines "
        "include them. It reads the texts that hold the phrase, so it costs what a search does.",
        query=phrase.PhraseQuery,
        query_example=phrase.PHRASE_QUERY_EXAMPLE,
        errors={400: "Bad parameter", 422: "A phrase with nothing to find"},
    )
)
def phrase_concordance() -> Response:
    args = phrase.PhraseQuery.from_args(request.args)
    return cached_json(
        corpus_phrase.phrase_concordance(db.session, args.q, args.kind, args.issuer, args.page, args.per_page)
    )
