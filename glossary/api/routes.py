"""API v1 routes: parse, call a service, shape the response."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from flask import Response, current_app, request, url_for

from ..errors import is_api_request, json_text
from ..extensions import db, limiter
from ..formats import FORMATS, Unsupported, writer
from ..models import TERM_KINDS, Excerpt, Revision, Source, Term, TermTag
from ..services import interchange
from ..services import revisions as history
from ..services import terms as term_service
from ..services.changes import changes_since
from ..services.representation import source_to_dict, surface_forms, term_to_dict
from ..services.search import QueryError, Searcher
from ..text.annotate import render_html
from . import bp
from .http import (
    bearer_scope,
    cached_json,
    choice_arg,
    collection,
    fail,
    int_arg,
    json_body,
    not_modified,
    require_write,
    time_arg,
)
from .openapi import spec

READ_ONLY_FIELDS = ("updated", "links", "surface_forms", "version", "created")
SORTS = {
    "slug": Term.slug,
    "-slug": Term.slug.desc(),
    "updated": Term.updated,
    "-updated": Term.updated.desc(),
    "created": Term.created,
    "-created": Term.created.desc(),
    "simplified": Term.simplified,
}


def _limit(name: str) -> str:
    return current_app.config[name]


def _drafts_visible() -> bool:
    return bearer_scope() == "write"


def _term_links(term: Term) -> dict:
    return {
        "self": url_for("api.get_term", key=term.slug),
        "html": url_for("web.term", slug=term.slug),
        "revisions": url_for("api.revisions", slug=term.slug),
    }


def term_representation(term: Term) -> dict:
    body = term_to_dict(term)
    body.setdefault("status", term.status)
    body["updated"] = term.updated.isoformat()
    body["surface_forms"] = surface_forms(term)
    body["links"] = _term_links(term)
    return body


def _term_response(term: Term, status: int = 200, headers: dict | None = None) -> Response:
    """The term as a writer (holding a write token) gets it back."""
    return cached_json(
        term_representation(term),
        etag=term_service.etag(term),
        max_age=60,
        status=status,
        headers=headers,
        drafts=True,
    )


@bp.get("/v1/health")
def health() -> Response:
    session = db.session
    count = session.scalar(sa.select(sa.func.count(Term.id)).where(Term.status == "published"))
    body = {
        "status": "ok",
        "database": "ok",
        "glossary_version": term_service.glossary_version(session),
        "terms": count,
    }
    response = current_app.response_class(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/v1/terms")
def list_terms() -> Response:
    page = int_arg("page", 1, 1, 1_000_000)
    per_page = int_arg("per_page", 20, 1, 100)
    kind = choice_arg("kind", TERM_KINDS)
    status = choice_arg("status", ("draft", "published"))
    sort = choice_arg("sort", tuple(SORTS)) or "slug"
    tag = request.args.get("tag")
    query = sa.select(Term)
    drafts = _drafts_visible()
    if status == "draft" and not drafts:
        fail(
            401,
            "Unauthorized",
            "listing drafts needs a bearer token of write scope",
            headers={"WWW-Authenticate": 'Bearer realm="glossary"'},
        )
    query = query.where(Term.status == (status or "published"))
    if kind:
        query = query.where(Term.kind == kind)
    if tag:
        query = query.where(Term.id.in_(sa.select(TermTag.term_id).where(TermTag.tag == tag)))
    session = db.session
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.options(*term_service.TERM_LOAD)
        .order_by(SORTS[sort], Term.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [term_representation(t) for t in rows]
    return cached_json(
        collection(
            items,
            total,
            page,
            per_page,
            "api.list_terms",
            kind=kind,
            tag=tag,
            status=status,
            sort=request.args.get("sort"),
        ),
        drafts=drafts,
    )


TERM_CACHE_SIZE = 20_000


@bp.get("/v1/terms/<path:key>")
def get_term(key: str) -> Response:
    """Served from a per-process cache while the glossary version is unchanged: one indexed
    read instead of the eight statements that load a term (lookup was 32% of the health
    floor's throughput without it)."""
    drafts = _drafts_visible()
    session = db.session
    version = term_service.glossary_version(session)
    cache: dict = current_app.extensions["glossary.term_cache"]
    hit = cache.get((key, drafts))
    if hit is None or hit[0] != version:
        term = term_service.get_term(session, key, include_drafts=drafts)
        if len(cache) >= TERM_CACHE_SIZE:
            cache.clear()
        hit = cache[(key, drafts)] = (version, json_text(term_representation(term)), term_service.etag(term))
    return cached_json(hit[1], etag=hit[2], max_age=60, drafts=drafts)


def _term_body() -> dict:
    body = json_body()
    if not isinstance(body, dict):
        fail(400, "Bad request", "the body must be a JSON object (a glossary/1 term)")
    return {k: v for k, v in body.items() if k not in READ_ONLY_FIELDS}


@bp.post("/v1/terms")
def create_term() -> Response:
    actor = require_write()
    data = _term_body()
    session = db.session
    term_service.begin_write(session)
    if data.get("slug") and session.scalar(sa.select(Term.id).where(Term.slug == data["slug"])):
        fail(409, "Conflict", f"a term with slug {data['slug']!r} exists; use PUT to replace it")
    term = term_service.save_term(session, term_service.TermInput(data, actor))
    session.commit()
    return _term_response(term, 201, {"Location": url_for("api.get_term", key=term.slug)})


def _term_for_write(slug: str) -> Term:
    term = term_service.get_term(db.session, slug)
    if term.slug != slug:
        fail(404, "Not found", f"no term with slug {slug!r} (writes address terms by slug)")
    if_match = request.headers.get("If-Match")
    if if_match is None:
        fail(428, "Precondition required", "send If-Match with the ETag from GET to avoid lost updates")
    term_service.check_version(term, if_match)
    return term


def _locked_term(slug: str) -> Term:
    """Take the write lock before reading the version, so two writers with one ETag cannot both win."""
    session = db.session
    term_service.begin_write(session)
    term_service.lock_term(session, slug)
    return _term_for_write(slug)


@bp.put("/v1/terms/<path:slug>")
def replace_term(slug: str) -> Response:
    actor = require_write()
    data = _term_body()
    term = _locked_term(slug)
    if data.get("slug", slug) != slug:
        fail(
            422,
            "Validation failed",
            "slug in the body differs from the URL; slugs cannot be renamed by PUT",
            [{"path": "slug", "message": "must equal the slug in the URL"}],
        )
    data["slug"] = slug
    term = term_service.save_term(db.session, term_service.TermInput(data, actor, term))
    db.session.commit()
    return _term_response(term)


@bp.patch("/v1/terms/<path:slug>")
def patch_term(slug: str) -> Response:
    actor = require_write()
    patch = json_body({"application/merge-patch+json", "application/json"})
    if not isinstance(patch, dict):
        fail(400, "Bad request", "a merge patch must be a JSON object")
    term = _locked_term(slug)
    patch = {k: v for k, v in patch.items() if k not in READ_ONLY_FIELDS}
    term = term_service.patch_term(db.session, term, patch, actor)
    db.session.commit()
    return _term_response(term)


@bp.delete("/v1/terms/<path:slug>")
def delete_term(slug: str) -> Response:
    actor = require_write()
    term = _locked_term(slug)
    term_service.delete_term(db.session, term, actor)
    db.session.commit()
    return Response(status=204)


def _revision_summary(rev: Revision) -> dict:
    return {
        "number": rev.number,
        "action": rev.action,
        "actor": rev.actor,
        "created": rev.created.isoformat(),
        "comment": rev.comment,
        "links": {"self": url_for("api.revision", slug=rev.slug, number=rev.number)},
    }


@bp.get("/v1/terms/<slug>/revisions")
def revisions(slug: str) -> Response:
    page = int_arg("page", 1, 1, 1_000_000)
    per_page = int_arg("per_page", 20, 1, 100)
    session = db.session
    base = sa.select(Revision).where(Revision.slug == slug)
    drafts = _drafts_visible()
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    if not total or not (drafts or history.history_is_public(session, slug)):
        fail(404, "Not found", f"no revisions for {slug!r}")
    rows = session.scalars(base.order_by(Revision.number.desc()).offset((page - 1) * per_page).limit(per_page))
    return cached_json(
        collection([_revision_summary(r) for r in rows], total, page, per_page, "api.revisions", slug=slug),
        max_age=10,
        drafts=drafts,
    )


@bp.get("/v1/terms/<slug>/revisions/<int:number>")
def revision(slug: str, number: int) -> Response:
    drafts = _drafts_visible()
    if number > 2**31 or not (drafts or history.history_is_public(db.session, slug)):
        fail(404, "Not found", f"term {slug!r} has no revision {number}")
    rev = term_service.get_revision(db.session, slug, number)
    body = _revision_summary(rev) | {"term": json.loads(rev.snapshot) if rev.snapshot else None}
    return cached_json(body, max_age=3600, drafts=drafts)


@bp.get("/v1/search")
@limiter.limit(lambda: _limit("RATELIMIT_SEARCH"))
def search() -> Response:
    q = request.args.get("q")
    if q is None:
        fail(400, "Bad request", "q is required", [{"path": "q", "message": "required"}])
    limit = int_arg("limit", 20, 1, 100)
    lang = request.args.get("lang", "en")[:35]
    kind = choice_arg("kind", TERM_KINDS)
    drafts = _drafts_visible()
    searcher = Searcher(db.session, lang=lang, kind=kind, tag=request.args.get("tag"), include_drafts=drafts)
    try:
        hits = searcher.search(q, limit)
    except QueryError as exc:
        fail(400, "Bad request", str(exc), [{"path": "q", "message": str(exc)}])
    items = [h.to_dict(lang) for h in hits]
    return cached_json(
        {
            "items": items,
            "total": len(items),
            "page": 1,
            "per_page": limit,
            "links": {"next": None, "prev": None},
            "query": q,
        },
        max_age=30,
        drafts=drafts,
    )


@bp.route("/v1/annotate", methods=["POST"])
@limiter.limit(lambda: _limit("RATELIMIT_ANNOTATE"))
def annotate() -> Response:
    body = json_body(check_strings=False)
    if not isinstance(body, dict):
        fail(400, "Bad request", "the body must be a JSON object with a text field")
    unknown = sorted(set(body) - {"text", "lang", "nested", "format", "ruby"})
    if unknown:
        fail(
            400,
            "Bad request",
            f"unknown field(s): {', '.join(unknown)}",
            [{"path": k, "message": "unknown field"} for k in unknown],
        )
    text = body.get("text")
    if not isinstance(text, str):
        fail(
            400,
            "Bad request",
            "text is required and must be a string",
            [{"path": "text", "message": "required string" if text is None else "must be a string"}],
        )
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) > limit:
        fail(
            413,
            "Payload too large",
            f"text has {len(text)} characters; the limit is {limit}",
            [{"path": "text", "message": f"longer than {limit} characters"}],
        )
    lang = body.get("lang", "en")
    fmt = body.get("format", "json")
    nested = body.get("nested", False)
    ruby = body.get("ruby", False)
    errors = []
    if not isinstance(lang, str) or not 1 <= len(lang) <= 35:
        errors.append({"path": "lang", "message": "must be a language tag such as en or fr"})
    if fmt not in ("json", "html"):
        errors.append({"path": "format", "message": "must be json or html"})
    if not isinstance(nested, bool):
        errors.append({"path": "nested", "message": "must be true or false"})
    if not isinstance(ruby, bool):
        errors.append({"path": "ruby", "message": "must be true or false"})
    if errors:
        fail(400, "Bad request", f"{errors[0]['path']}: {errors[0]['message']}", errors)
    if any("\ud800" <= c <= "\udfff" for c in text):
        fail(
            400,
            "Bad request",
            "text contains a lone surrogate (invalid Unicode)",
            [{"path": "text", "message": "lone surrogate"}],
        )
    annotator = current_app.extensions["glossary.annotator"].get(db.session)
    result = annotator.annotate(text, nested=nested)
    payload = result.to_dict(lang)
    if fmt == "html":
        href = url_for("web.term", slug="SLUG").replace("SLUG", "{slug}")
        payload["html"] = render_html(result, href, lang=lang, ruby=ruby)
    response = current_app.response_class(json_text(payload), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/v1/sources")
def list_sources() -> Response:
    page = int_arg("page", 1, 1, 1_000_000)
    per_page = int_arg("per_page", 50, 1, 100)
    session = db.session
    total = session.scalar(sa.select(sa.func.count(Source.id)))
    rows = session.scalars(sa.select(Source).order_by(Source.id).offset((page - 1) * per_page).limit(per_page))
    items = [source_to_dict(s) | {"links": {"self": url_for("api.get_source", source_id=s.id)}} for s in rows]
    return cached_json(collection(items, total, page, per_page, "api.list_sources"))


@bp.get("/v1/sources/<source_id>")
def get_source(source_id: str) -> Response:
    session = db.session
    source = session.get(Source, source_id)
    if source is None:
        fail(404, "Not found", f"no source {source_id!r}")
    rows = session.execute(
        sa.select(Excerpt, Term.slug)
        .join(Term)
        .where(Excerpt.source_id == source_id, Term.status == "published")
        .order_by(Term.slug, Excerpt.id)
    ).all()
    excerpts = [{"term": slug, "text": e.text, "locator": e.locator, "lang": e.lang} for e, slug in rows]
    return cached_json(source_to_dict(source) | {"excerpts": excerpts, "terms": sorted({s for _, s in rows})})


@bp.get("/v1/changes")
def changes() -> Response:
    since = time_arg("since")
    drafts = _drafts_visible()
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
def export() -> Response:
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        fail(
            400,
            "Bad request",
            f"format must be one of {', '.join(FORMATS)}",
            [{"path": "format", "message": "unknown format"}],
        )
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


@bp.get("/v1/openapi.json")
def openapi() -> Response:
    return cached_json(spec(), max_age=3600)


@bp.get("/docs")
def docs() -> Response:
    from flask import render_template

    return Response(render_template("api_docs.html", spec=spec()), mimetype="text/html")


READS = ("GET", "HEAD", "OPTIONS")


@bp.after_app_request
def cors(response: Response) -> Response:
    """Reads under /api (their errors and unknown paths included) and POST /annotate are open to
    any origin. Writes are not cross-origin, by design: a preflight for any other method (POST
    /terms, PUT, PATCH, DELETE) or for an Authorization header gets no permission, so browsers
    refuse it; same-origin pages and clients other than browsers are not affected."""
    if not is_api_request():
        return response
    allowed = READS + ("POST",) if request.endpoint == "api.annotate" else READS
    preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
    asked = request.headers["Access-Control-Request-Method"].upper() if preflight else request.method
    if asked not in allowed:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Location, Retry-After"
    if preflight:
        response.headers["Access-Control-Allow-Methods"] = ", ".join(allowed)
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
