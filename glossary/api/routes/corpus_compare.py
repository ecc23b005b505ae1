"""Compare two sets of corpus documents (services.corpus_compare): key terms by Dunning's G²."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, request, url_for

from ...extensions import db, limiter
from ...services.corpus_compare import compare
from ...services.corpus_queries import corpus_version
from .. import bp
from ..http import cached_json
from ..operation import Operation, Reply, describe
from ..schemas import corpus as schemas
from .corpus import search_limit


@bp.get("/v1/corpus/compare")
@limiter.limit(search_limit)
@describe(
    Operation(
        "compareDocuments",
        "Terms only one side uses, and those whose rate rose or fell most",
        {200: Reply("The key terms of each side", schemas.Comparison, schemas.COMPARE_EXAMPLE, etag=True)},
        description="A side is document ids or selectors separated by commas: `12,13` (either "
        "document), `year:2017`, `kind:congress-report`; selectors of one type are alternatives and "
        "types combine (`year:2017,kind:congress-report` is the 2017 congress reports). Year and kind "
        "selectors leave out documents flagged as repeating a longer one. Rates are per 100,000 "
        "characters of each side; every list is ranked by Dunning's log-likelihood (G²).",
        query=schemas.CompareQuery,
        query_example=schemas.COMPARE_QUERY_EXAMPLE,
        errors={400: "Bad parameter", 404: "A side selects no documents", 422: "A side that cannot be read"},
    )
)
def compare_documents() -> Response:
    args = schemas.CompareQuery.from_args(request.args)
    session = db.session
    body = asdict(compare(session, args.a, args.b, args.limit))
    for name in ("only_a", "only_b", "rose", "fell"):
        for item in body[name]:
            item["links"] = {"attestations": url_for("api.term_attestations", key=item["term"])}
    return cached_json(body | {"corpus": corpus_version(session)})
