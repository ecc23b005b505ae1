"""Search and annotate: the two reads that take text."""

from __future__ import annotations

from flask import Response, current_app, request, url_for

from ...annotate_pool import annotate_body
from ...extensions import db, limiter
from ...fairness import bounded, charge_characters
from ...formats import FormatError
from ...formats.documents import read_document
from ...services.annotate_job import AnnotateJob
from ...services.search import QueryError, Searcher
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
        description="The terms found in the query by the annotator (`in_text`: a sentence or paragraph "
        "names them, first), then the best `limit` hits, best first; when there are neither, close "
        "spellings to try (`suggestions`). Search stops looking once it has "
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
    annotator = current_app.extensions["glossary.annotator"].get(db.session)
    try:
        hits = searcher.search(args.q, args.limit)
        in_text = searcher.in_text(annotator, args.q)
        suggestions = [] if hits or in_text else searcher.suggest(args.q)
    except QueryError as exc:
        fail(400, "Bad request", str(exc), [{"path": "q", "message": str(exc)}])
    items = [h.to_dict(lang) for h in hits]
    return cached_json(
        {
            "in_text": [t.to_dict(lang) for t in in_text],
            "suggestions": suggestions,
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
        description="Send JSON with `text`, or multipart/form-data with `file` (a .txt, .html, .docx or .pdf, "
        "read as the corpus import reads it) and the options as form fields; for a file the reply adds "
        "`text`, the text read from it, which the offsets index. A file's extracted characters count "
        "against the same limits as a text's.",
        body=Body(
            annotate_schemas.AnnotateRequest,
            annotate_schemas.REQUEST_EXAMPLE,
            others={"multipart/form-data": (annotate_schemas.AnnotateUpload, annotate_schemas.UPLOAD_EXAMPLE)},
        ),
        errors={400: "Bad body, or a file that cannot be read", 413: "Text too long", 415: "Wrong content type"},
    )
)
def annotate() -> Response:
    return bounded(request.content_length or 0, _annotate)


def _uploaded() -> dict[str, str | bool]:
    """A multipart request's fields as a JSON body, with the file's text in place of the file."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        fail(400, "Bad request", "file is required (the document as a file)", [{"path": "file", "message": "required"}])
    if "text" in request.form:
        fail(400, "Bad request", "send a file or a text, not both", [{"path": "text", "message": "not with a file"}])
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    try:
        text = read_document(name, upload.read())
    except FormatError as exc:
        fail(400, "Bad request", f"file {exc}", [{"path": "file", "message": str(exc)}])
    return annotate_schemas.upload_body(request.form.to_dict(), text)


def _annotate() -> Response:
    uploaded = request.mimetype == "multipart/form-data"
    body = _uploaded() if uploaded else json_body(check_strings=False)
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
    href = url_for("web.term", slug="SLUG").replace("SLUG", "{slug}") if args.format == "html" else None
    job = AnnotateJob(
        args.text, args.lang, args.nested, args.text_lang, args.date, args.ruby, html_href=href, echo_text=uploaded
    )
    body = annotate_body(job)  # a large text: in the worker's annotation process (glossary/annotate_pool.py)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
