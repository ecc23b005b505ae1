"""Sources, the change feed, the export, and the service's own description and health."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

from flask import Response, current_app, render_template, request, send_from_directory, url_for
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...formats import WRITERS, Unsupported, writer
from ...services import interchange, listing
from ...services import terms as term_service
from ...services.changes import changes_since
from ...services.health import check_writable
from ...services.representation import source_to_dict
from .. import bp
from ..http import cached_json, collection, fail, not_modified
from ..openapi import spec
from ..operation import Operation, Reply, describe
from ..schemas import changes as change_schemas
from ..schemas import export as export_schemas
from ..schemas import sources as schemas
from ..schemas.base import component
from .terms import drafts_visible

SWAGGER_UI = Path(str(files("flask_swagger_ui") / "dist"))  # swagger-ui-dist, as the package ships it


@bp.get("/v1/sources")
@describe(
    Operation(
        "listSources",
        "List sources",
        {200: Reply("A page of sources", schemas.SourcePage, schemas.PAGE_EXAMPLE, etag=True)},
        query=schemas.SourceListQuery,
        query_example={"page": 1, "per_page": 50},
        errors={400: "Bad parameter"},
    )
)
def list_sources() -> Response:
    args = schemas.SourceListQuery.from_args(request.args)
    rows, total = listing.source_page(db.session, page=args.page, per_page=args.per_page)
    items = [source_to_dict(s) | {"links": {"self": url_for("api.get_source", source_id=s.id)}} for s in rows]
    return cached_json(collection(items, total, args.page, args.per_page, "api.list_sources"))


@bp.get("/v1/sources/<source_id>")
@describe(
    Operation(
        "getSource",
        "A source with the excerpts citing it",
        {200: Reply("The source", schemas.SourceDetail, schemas.DETAIL_EXAMPLE, etag=True)},
        path_example={"source_id": "aspi-cyber-vision"},
        errors={404: "No such source"},
    )
)
def get_source(source_id: str) -> Response:
    cited = listing.cited_source(db.session, source_id)
    excerpts = [{"term": slug, "text": e.text, "locator": e.locator, "lang": e.lang} for e, slug in cited.excerpts]
    terms = sorted({slug for _, slug in cited.excerpts})
    return cached_json(source_to_dict(cited.source) | {"excerpts": excerpts, "terms": terms})


@bp.get("/v1/changes")
@describe(
    Operation(
        "changes",
        "Terms added, changed or deleted since a time",
        {200: Reply("The changes", change_schemas.ChangeFeed, change_schemas.EXAMPLE, etag=True)},
        description="One item per term whose state, as the caller may read it, changed at or after "
        "`since` (inclusive), with the latest revision. To keep a mirror in step, pass the reply's "
        "`until` as the next `since`: it is the time of the latest revision the reply read (or "
        "`since` itself when there was none), not the clock, and writes are stamped in the order "
        "they commit, so no write is skipped. Revisions at exactly that time are listed again: "
        "de-duplicate by `slug` and `revision`. Without a write token only published terms count: "
        "a term made a draft is `deleted`, a draft that is published is `added`, and a draft never "
        "published is not listed. Deleting a term also changes every term that had a relation to it.",
        query=change_schemas.ChangesQuery,
        query_example=change_schemas.QUERY_EXAMPLE,
        errors={400: "Bad since"},
    )
)
def changes() -> Response:
    since = change_schemas.ChangesQuery.from_args(request.args).since
    drafts = drafts_visible()
    feed = changes_since(db.session, since, include_drafts=drafts)
    items = [
        {
            "slug": c.slug,
            "change": c.change,
            "at": c.at.isoformat(),
            "revision": c.revision,
            "links": {"self": url_for("api.get_term", key=c.slug)} if c.change != "deleted" else {},
        }
        for c in feed.changes
    ]
    body = {"items": items, "total": len(items), "since": since.isoformat(), "until": feed.until.isoformat()}
    return cached_json(body, max_age=0, drafts=drafts)


@bp.get("/v1/export")
@describe(
    Operation(
        "export",
        "The whole glossary in an interchange format",
        {
            200: Reply(
                "The glossary as a download in the requested format",
                etag=True,
                content={
                    mimetype: component("g1_document") if name == "json" else None
                    for name, (_, mimetype, _) in WRITERS.items()
                },
            )
        },
        query=export_schemas.ExportQuery,
        query_example=export_schemas.QUERY_EXAMPLE,
        errors={400: "Unknown or unsupported format", 409: "Nothing to export in this format"},
    )
)
def export() -> Response:
    fmt = export_schemas.ExportQuery.from_args(request.args).format
    try:
        write, mimetype, extension = writer(fmt)
    except Unsupported as exc:
        fail(400, "Bad request", str(exc), [{"path": "format", "message": "not supported yet"}])
    base = request.url_root.rstrip("/") + "/terms/"  # SKOS concept IRIs are the public term pages
    data = write(interchange.export_document(db.session, include_drafts=False), base=base)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if not_modified(etag):
        response = Response(status=304)
    else:
        response = Response(data, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="glossary.{extension}"'
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/v1/health")
@describe(
    Operation(
        "health",
        "Liveness, database and writability check",
        {
            200: Reply(
                "The service and its database answer and take writes",
                export_schemas.Health,
                export_schemas.HEALTH_EXAMPLE,
            ),
            503: Reply(
                "The database answers reads but cannot take writes (read-only or disk full)",
                export_schemas.Health,
                export_schemas.UNWRITABLE_EXAMPLE,
            ),
        },
        description="Writability is checked with a write rolled back (and, on SQLite, the pages and disk space left).",
    )
)
def health() -> Response:
    session = db.session
    writable = check_writable(session)
    body = {
        "status": "ok" if writable.writable else "degraded",
        "database": writable.database,
        "writable": writable.writable,
        "glossary_version": term_service.glossary_version(session),
        "terms": listing.published_count(session),
    }
    if writable.detail:
        body["detail"] = writable.detail
    response = current_app.response_class(
        json.dumps(body), status=200 if writable.writable else 503, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/v1/openapi.json")
@describe(
    Operation(
        "openapi",
        "This document",
        {200: Reply("The OpenAPI 3.1 document of API v1", dict, {"openapi": "3.1.0", "info": {}, "paths": {}})},
    )
)
def openapi() -> Response:
    return cached_json(spec(current_app), max_age=3600)


@bp.get("/docs")
def docs() -> Response:
    return Response(render_template("api_docs.html", spec=spec(current_app)), mimetype="text/html")


@bp.get("/docs/assets/<path:name>")
def docs_asset(name: str) -> Response:
    """Swagger UI's own files, from the installed flask-swagger-ui package (no CDN at run time)."""
    try:
        return send_from_directory(SWAGGER_UI, name, max_age=86400)
    except NotFound:
        fail(404, "Not Found", f"The API reference has no file named “{name}”.")
