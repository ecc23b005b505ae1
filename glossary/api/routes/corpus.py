"""The reference corpus: documents (list, read, upload), a term's attestations, and trends.

Figures come from the stored counts (services.corpus_queries) and every reply carries the corpus
version (documents, last import), so a figure can be reproduced. The counting rule is the
annotator's nested mode (services.corpus_index); ?annotate=1 on a document returns the very
occurrences those counts are made of."""

from __future__ import annotations

import csv
import io
from typing import Any, NoReturn

from flask import Response, current_app, request, url_for
from pydantic import ValidationError

from ...errors import json_text
from ...extensions import db, limiter
from ...fairness import bounded
from ...models import DOCUMENT_KINDS, Document
from ...services import corpus_reading
from ...services import terms as term_service
from ...services.corpus import Metadata
from ...services.corpus_queries import MAX_TERMS, attestations, corpus_version, trends
from ...services.version import figure_versions
from .. import bp
from ..http import body_etag, cached_json, collection, fail, json_body, not_modified, require_write
from ..operation import Body, Operation, Reply, describe
from ..schemas import corpus as schemas
from ..term_cache import Entry, TermCache
from .terms import drafts_visible

UPLOAD_FIELDS = ("date", "kind", "title", "title_en", "issuer", "language", "source", "copyright", "license_note")


def _invalid(path: str, message: str, status: int = 422) -> NoReturn:
    """A problem naming the field (or parameter) at fault."""
    title = "Validation failed" if status == 422 else "Bad request"
    fail(status, title, f"{path}: {message}", [{"path": path, "message": message}])


def search_limit() -> str:
    """Corpus reads that scan or aggregate cost what a search does, and share its limit."""
    return str(current_app.config["RATELIMIT_SEARCH"])


def document_html(document_id: int) -> str:
    """The public page of a document (served by the web layer at /documents/<id>)."""
    return f"/documents/{document_id}"


def document_to_dict(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "title_en": d.title_en,
        "date": d.date,
        "year": d.year,
        "kind": d.kind,
        "language": d.language,
        "issuer": d.issuer,
        "source": d.source,
        "copyright": d.copyright,
        "license_note": d.license_note,
        "chars": d.chars,
        "sha256": d.sha256,
        "overlaps": d.overlaps_id,
        "imported": d.imported.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": {"self": url_for("api.get_document", document_id=d.id), "html": document_html(d.id)},
    }


@bp.get("/v1/documents")
@limiter.limit(search_limit)
@describe(
    Operation(
        "listDocuments",
        "List corpus documents, by kind and year, with full-text search",
        {200: Reply("A page of documents in date order", schemas.DocumentPage, schemas.PAGE_EXAMPLE, etag=True)},
        description="`q` is a substring match over each text as the annotator reads it (scripts and "
        "widths folded, so 國家安全 finds 国家安全), not a ranked word search.",
        query=schemas.DocumentListQuery,
        query_example=schemas.LIST_QUERY_EXAMPLE,
        errors={400: "Bad parameter"},
    )
)
def list_documents() -> Response:
    args = schemas.DocumentListQuery.from_args(request.args)
    session = db.session
    found = corpus_reading.document_page(session, args.kind, args.year, args.q, args.page, args.per_page)
    body = collection(
        [document_to_dict(d) for d in found.documents],
        found.total,
        args.page,
        args.per_page,
        "api.list_documents",
        kind=args.kind,
        year=args.year,
        q=args.q,
    )
    return cached_json(body | {"corpus": corpus_version(session)})


@bp.get("/v1/documents/<int:document_id>")
@describe(
    Operation(
        "getDocument",
        "A corpus document: metadata, optionally its text and the terms matched in it",
        {200: Reply("The document", schemas.DocumentDetail, schemas.DETAIL_EXAMPLE, etag=True)},
        description="`annotate=1` lists the stored occurrences: the matches the attestations and "
        "trends count (nested mode, published terms), so the document shows what the figures say.",
        query=schemas.DocumentQuery,
        query_example=schemas.DETAIL_QUERY_EXAMPLE,
        path={"document_id": "the document's id"},
        path_example={"document_id": 12},
        errors={400: "Bad parameter", 404: "No such document"},
    )
)
def get_document(document_id: int) -> Response:
    args = schemas.DocumentQuery.from_args(request.args)
    session = db.session
    document = session.get(Document, document_id) if document_id in corpus_reading.DOCUMENT_IDS else None
    if document is None:
        fail(404, "Not found", f"no document {document_id}")
    body = document_to_dict(document)
    if args.text == "1":
        body["text"] = document.text
    if args.annotate == "1":
        body["matches"] = corpus_reading.document_matches(session, document.id)
    return cached_json(body)


def _upload() -> tuple[Metadata, bytes]:
    """The document and its metadata from a multipart form (file + fields) or a JSON body (text + fields)."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            _invalid("file", "required (the document as a file)")
        fields: dict[str, Any] = {k: request.form[k] for k in UPLOAD_FIELDS if request.form.get(k)}
        unknown = sorted(set(request.form) - set(UPLOAD_FIELDS) - {"file"})
        name, data = upload.filename.rsplit("/", 1)[-1], upload.read()
    elif request.mimetype != "application/json":
        got = request.mimetype or "no Content-Type"
        fail(415, "Unsupported media type", f"send multipart/form-data (a file) or application/json (text), not {got}")
    else:
        body = json_body()
        if not isinstance(body, dict):
            fail(400, "Bad request", "the body must be a JSON object (or send multipart/form-data)")
        if "file" in body:
            fail(415, "Unsupported media type", "send a file as multipart/form-data; a JSON body carries text")
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            _invalid("text", "required, a non-empty string")
        fields = {k: v for k, v in body.items() if k in UPLOAD_FIELDS}
        unknown = sorted(set(body) - set(UPLOAD_FIELDS) - {"text", "name"})
        name, data = str(body.get("name") or "upload.txt"), text.encode()
        if not name.lower().endswith((".txt", ".md")):
            name += ".txt"  # the body is text whatever the name says
    if unknown:
        errors = [{"path": k, "message": "unknown field"} for k in unknown]
        fail(400, "Bad request", f"unknown field(s): {', '.join(unknown)}", errors)
    try:
        meta = schemas.DocumentUpload.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        path = str(error["loc"][0])
        message = "required" if error["type"] == "missing" else error["msg"]
        if path == "date":
            message = f"{fields.get('date')!r} is not ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD"
        elif path == "kind" and error["type"] != "missing":
            message = f"unknown kind {fields.get('kind')!r}; use one of {', '.join(DOCUMENT_KINDS)}"
        _invalid(path, message)
    return (
        Metadata(
            file=name[:255],
            date=meta.date,
            kind=meta.kind,
            title=meta.title,
            title_en=meta.title_en,
            language=meta.language,
            issuer=meta.issuer,
            source=meta.source,
            copyright=meta.copyright,
            license_note=meta.license_note,
        ),
        data,
    )


@bp.post("/v1/documents")
@limiter.limit(lambda: current_app.config["RATELIMIT_ANNOTATE"])
@describe(
    Operation(
        "createDocument",
        "Add a document to the corpus",
        {201: Reply("Imported and indexed", schemas.DocumentDetail, schemas.DETAIL_EXAMPLE, etag=True, location=True)},
        description="The document is indexed before the reply: its attestations count at once. "
        "Send multipart/form-data with `file` (UTF-8 .txt/.md, .html, .docx, or .pdf with a text "
        "layer) and the fields, or JSON with `text`. The text may hold as many characters as "
        "POST /annotate accepts. The same bytes twice are a 409 naming the document already in.",
        body=Body(schemas.DocumentUpload, schemas.UPLOAD_EXAMPLE, ("application/json", "multipart/form-data")),
        write=True,
    )
)
def create_document() -> Response:
    require_write()
    # a 2,000,000-character upload is annotated and indexed like a large annotate: same host-wide cap
    return bounded(request.content_length or 0, _create_document)


def _create_document() -> Response:
    meta, data = _upload()
    document = corpus_reading.upload(db.session, meta, data, current_app.config["MAX_TEXT_CHARS"])
    body = document_to_dict(document) | {"matches": corpus_reading.document_matches(db.session, document.id)}
    return cached_json(body, status=201, headers={"Location": body["links"]["self"]})


@bp.get("/v1/terms/<path:key>/attestations")
@limiter.limit(search_limit)
@describe(
    Operation(
        "termAttestations",
        "Where a term is attested in the corpus: earliest, per year, concordance",
        {200: Reply("The term's attestations", schemas.Attestations, schemas.ATTESTATIONS_EXAMPLE, etag=True)},
        description="`earliest` is the earliest *in this corpus* (see `corpus`), never the first use. "
        "`by_year` has a row per year with documents (a year without any is absent: a gap, not a zero); "
        "documents flagged as repeating a longer one are left out of the figures, not of the concordance. "
        "A term whose annotation policy is not `auto` is counted as a string (`label`).",
        query=schemas.AttestationsQuery,
        query_example=schemas.ATTESTATIONS_QUERY_EXAMPLE,
        path={"key": "the slug, or any form in any script"},
        path_example={"key": "zongti-guojia-anquan-guan"},
        errors={400: "Bad parameter", 404: "No such term"},
    )
)
def term_attestations(key: str) -> Response:
    args = schemas.AttestationsQuery.from_args(request.args)
    drafts = drafts_visible()
    session = db.session
    term = term_service.get_term(session, key, include_drafts=drafts)
    body = attestations(session, term.slug, args.kind, args.page, args.per_page, args.issuer)
    body = {"term": body.pop("term"), "annotation_policy": term.annotation_policy,
            "label": corpus_reading.policy_label(term)} | body  # fmt: skip
    return cached_json(body, max_age=0 if body["pending"] else 60, drafts=drafts)


def _trend_slugs(raw: str) -> list[str]:
    """The slugs of ?terms= as asked (stripped; repeats kept, so the count check sees them)."""
    return [s.strip() for s in raw.split(",") if s.strip()]


def _trend_terms(slugs: list[str], drafts: bool) -> list[tuple[str, str | None]]:
    """(slug, label) of each term asked for, or a 422 naming the one that is wrong."""
    if not slugs:
        _invalid("terms", "give at least one slug")
    if len(slugs) > MAX_TERMS:
        extra = slugs[MAX_TERMS]
        fail(
            422,
            "Validation failed",
            f"terms: at most {MAX_TERMS} terms; {extra!r} is the {MAX_TERMS + 1}th",
            [{"path": "terms", "message": f"more than {MAX_TERMS} terms (from {extra!r})"}],
        )
    known = corpus_reading.published_terms(db.session, slugs, include_drafts=drafts)
    for slug in slugs:
        if slug not in known:
            _invalid("terms", f"no term {slug!r}")
    return [(s, known[s]) for s in dict.fromkeys(slugs)]


@bp.get("/v1/trends")
@limiter.limit(search_limit)
@describe(
    Operation(
        "trends",
        "Use of up to 8 terms per year",
        {
            200: Reply(
                "One series per term; years without documents are absent",
                schemas.Trends,
                schemas.TRENDS_EXAMPLE,
                etag=True,
                content={"application/json": schemas.Trends, "text/csv": None},
            )
        },
        description="`measure=per_100k`: occurrences per 100,000 characters of that year's documents; "
        "`documents`: the share of that year's documents using the term. `format=csv` gives the same "
        "numbers, one row per term and year, each row carrying the corpus version.",
        query=schemas.TrendsQuery,
        query_example=schemas.TRENDS_QUERY_EXAMPLE,
        headers=("If-None-Match",),
        errors={400: "Bad parameter", 422: "Too many terms, or one that does not exist"},
    )
)
def trend_series() -> Response:
    """Served from a per-process cache of serialized answers (term_cache, keyed by the query as
    parsed) while the glossary version and the corpus generation are those it was made at: one
    read of both instead of four statements, the body's JSON and its hash. Only answers are
    kept, so an error is computed every time; every change of the aggregates (import, removal,
    re-index, a term edit's queued re-index) raises the generation in its own transaction, and
    every term edit the glossary version, so a kept answer is never older than the data."""
    args = schemas.TrendsQuery.from_args(request.args)
    drafts = drafts_visible()
    slugs = _trend_slugs(args.terms)
    key = "|".join((",".join(slugs), args.measure, args.kind or "", str(args.from_), str(args.to), args.format))
    version = figure_versions(db.session)
    cache: TermCache = current_app.extensions["glossary.trends_cache"]
    hit = cache.get(key, drafts, version)
    if hit is None:
        terms = _trend_terms(slugs, drafts)
        body = trends(db.session, [s for s, _ in terms], args.measure, args.kind, args.from_, args.to)
        for series, (_, label) in zip(body["series"], terms, strict=True):
            series["label"] = label
        text = json_text(body) if args.format == "json" else _csv(body)
        hit = Entry(version, text, body_etag(text))
        cache.put(key, drafts, hit)
    if args.format == "json":
        return cached_json(hit.body, etag=hit.etag, drafts=drafts)
    return _csv_response(hit, drafts)


def _csv(body: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["term", "year", "value", "occurrences", "documents", "measure", "label", "corpus_version"])
    version = body["corpus"]["version"]
    for series in body["series"]:
        for p in series["points"]:
            writer.writerow([series["term"], p["year"], p["value"], p["occurrences"], p["documents"],
                             body["measure"], series["label"] or "", version])  # fmt: skip
    return out.getvalue()


def _csv_response(entry: Entry, drafts: bool) -> Response:
    if not_modified(entry.etag):
        response = Response(status=304)
    else:
        response = Response(entry.body, mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="trends.csv"'
    response.headers["ETag"] = entry.etag
    response.headers["Cache-Control"] = "private, no-store" if drafts else "public, max-age=60"
    response.vary.add("Authorization")
    return response
