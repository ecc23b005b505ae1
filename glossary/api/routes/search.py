"""Search and annotate: the two reads that take text."""

from __future__ import annotations

from flask import Response, current_app, request, url_for

from ...errors import json_text
from ...extensions import db, limiter
from ...fairness import bounded, charge_characters
from ...services.search import QueryError, Searcher
from ...text.annotate import render_html
from .. import bp
from ..http import cached_json, fail, json_body
from ..operation import Body, Operation, Reply, describe
from ..schemas import annotate as annotate_schemas
from ..schemas import search as schemas
from .terms import drafts_visible


def _limit(name: str) -> str:
    limit: str = current_app.config[name]
    return limit


@bp.get("/v1/search")
@limiter.limit(lambda: _limit("RATELIMIT_SEARCH"))
@describe(
    Operation(
        "search",
        "Search forms, pinyin and translations",
        {200: Reply("The best hits, best first", schemas.SearchResults, schemas.EXAMPLE, etag=True)},
        description="The best `limit` hits, best first. Search stops looking once it has "
        "`limit` hits from its better tiers, so `total` is the number of items returned, not a "
        "count of every match; there is one page (`links` are null): ask a larger `limit` for more.",
        query=schemas.SearchQuery,
        query_example=schemas.QUERY_EXAMPLE,
        errors={400: "Bad query"},
    )
)
def search() -> Response:
    args = schemas.SearchQuery.from_args(request.args)
    lang = args.lang[:35]
    drafts = drafts_visible()
    searcher = Searcher(db.session, lang=lang, kind=args.kind, tag=args.tag, include_drafts=drafts)
    try:
        hits = searcher.search(args.q, args.limit)
    except QueryError as exc:
        fail(400, "Bad request", str(exc), [{"path": "q", "message": str(exc)}])
    items = [h.to_dict(lang) for h in hits]
    return cached_json(
        {
            "items": items,
            "total": len(items),
            "page": 1,
            "per_page": args.limit,
            "links": {"next": None, "prev": None},
            "query": args.q,
        },
        max_age=30,
        drafts=drafts,
    )


@bp.route("/v1/annotate", methods=["POST"])
@limiter.limit(lambda: _limit("RATELIMIT_ANNOTATE"))
@describe(
    Operation(
        "annotate",
        "Find every glossary term in a text",
        {200: Reply("The terms found, with offsets", annotate_schemas.Annotation, annotate_schemas.EXAMPLE)},
        body=Body(annotate_schemas.AnnotateRequest, annotate_schemas.REQUEST_EXAMPLE),
        errors={400: "Bad body", 413: "Text too long", 415: "Wrong content type"},
    )
)
def annotate() -> Response:
    return bounded(request.content_length or 0, _annotate)


def _annotate() -> Response:
    body = json_body(check_strings=False)
    args = annotate_schemas.AnnotateRequest.parse(body, current_app.config["MAX_TEXT_CHARS"])
    html_cap = current_app.config["ANNOTATE_HTML_MAX_CHARS"]
    if args.format == "html" and len(args.text) > html_cap:
        detail = (
            f"format html is limited to {html_cap:,} characters of text (its reply is about ten times "
            f"the text); this text has {len(args.text):,}: ask format json (offsets), or send it in parts"
        )
        fail(
            413, "Payload too large", detail, [{"path": "format", "message": f"html only up to {html_cap} characters"}]
        )
    charge_characters(len(args.text))
    annotator = current_app.extensions["glossary.annotator"].get(db.session)
    result = annotator.annotate(args.text, nested=args.nested)
    payload = result.to_dict(args.lang)
    if args.format == "html":
        href = url_for("web.term", slug="SLUG").replace("SLUG", "{slug}")
        payload["html"] = render_html(result, href, lang=args.lang, ruby=args.ruby)
    response = current_app.response_class(json_text(payload), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
