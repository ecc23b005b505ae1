"""Terms: list, read by any form, create, replace, merge-patch and delete."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, url_for

from ...errors import json_text
from ...extensions import db
from ...models import Term
from ...services import listing, patching, visibility
from ...services import terms as term_service
from ...services.representation import surface_forms, term_to_dict
from .. import bp
from ..http import bearer_scope, cached_json, collection, fail, json_body, require_write
from ..operation import Body, Operation, Reply, describe
from ..schemas import terms as schemas
from ..term_cache import Entry, TermCache

SLUG = {"slug": "the term's slug (writes address terms by slug)"}
SLUG_EXAMPLE = {"slug": "wangluo-zhuquan"}


def drafts_visible() -> bool:
    return bearer_scope() == "write"


def _term_links(term: Term) -> dict[str, Any]:
    return {
        "self": url_for("api.get_term", key=term.slug),
        "html": url_for("web.term", slug=term.slug),
        "revisions": url_for("api.revisions", slug=term.slug),
    }


def term_representation(term: Term, include_drafts: bool) -> dict[str, Any]:
    """The term as the API shows it; related drafts are left out unless the caller may see drafts."""
    body = visibility.redact_one(db.session, term_to_dict(term), include_drafts)
    assert body is not None
    return _decorate(body, term)


def _decorate(body: dict[str, Any], term: Term) -> dict[str, Any]:
    body.setdefault("status", term.status)
    body["updated"] = term.updated.isoformat()
    body["surface_forms"] = surface_forms(term)
    body["links"] = _term_links(term)
    return body


def _representations(terms: list[Term], include_drafts: bool) -> list[dict[str, Any]]:
    """term_representation for a page of terms, with one visibility query for all of them."""
    bodies = visibility.redact(db.session, [term_to_dict(t) for t in terms], include_drafts)
    return [_decorate(body, t) for body, t in zip(bodies, terms, strict=True) if body is not None]


def _term_response(term: Term, status: int = 200, headers: dict[str, Any] | None = None) -> Response:
    """The term as a writer (holding a write token) gets it back."""
    return cached_json(
        term_representation(term, True),
        etag=term_service.etag(term),
        max_age=60,
        status=status,
        headers=headers,
        drafts=True,
    )


@bp.get("/v1/terms")
@describe(
    Operation(
        "listTerms",
        "List terms",
        {200: Reply("A page of terms", schemas.TermPage, schemas.PAGE_EXAMPLE, etag=True)},
        query=schemas.TermListQuery,
        query_example={"kind": "concept", "tag": "cyber", "per_page": 20},
        errors={400: "Bad parameter", 401: "Drafts need a token"},
    )
)
def list_terms() -> Response:
    args = schemas.TermListQuery.from_args(request.args)
    drafts = drafts_visible()
    if args.status == "draft" and not drafts:
        fail(
            401,
            "Unauthorized",
            "listing drafts needs a bearer token of write scope",
            headers={"WWW-Authenticate": 'Bearer realm="glossary"'},
        )
    rows, total = listing.term_page(
        db.session,
        status=args.status or "published",
        kind=args.kind,
        tag=args.tag,
        sort=args.sort or "slug",
        page=args.page,
        per_page=args.per_page,
    )
    return cached_json(
        collection(
            _representations(rows, drafts),
            total,
            args.page,
            args.per_page,
            "api.list_terms",
            kind=args.kind,
            tag=args.tag,
            status=args.status,
            sort=request.args.get("sort"),
        ),
        drafts=drafts,
    )


@bp.get("/v1/terms/<path:key>")
@describe(
    Operation(
        "getTerm",
        "A term by slug or any surface form",
        {200: Reply("The term", schemas.Term, schemas.TERM_EXAMPLE, etag=True)},
        path={"key": "the slug, or any form in any script (網絡主權 finds 网络主权)"},
        path_example={"key": "网络主权"},
        headers=("If-None-Match",),
        errors={404: "No such term"},
    )
)
def get_term(key: str) -> Response:
    """Served from a per-process cache (term_cache) while the glossary version is unchanged: the
    key's indexed lookup instead of the eight statements that load a term (lookup was 32% of
    the health floor's throughput without it)."""
    drafts = drafts_visible()
    session = db.session
    version = term_service.glossary_version(session)
    cache: TermCache = current_app.extensions["glossary.term_cache"]
    term_id, slug = term_service.resolve(session, key, include_drafts=drafts)
    hit = cache.get(slug, drafts, version)
    if hit is None:
        term = session.get_one(Term, term_id, options=term_service.TERM_LOAD)
        hit = Entry(version, json_text(term_representation(term, drafts)), term_service.etag(term))
        cache.put(slug, drafts, hit)
    return cached_json(hit.body, etag=hit.etag, max_age=60, drafts=drafts)


def _term_body() -> dict[str, Any]:
    """The body as a glossary/1 term without the read-only fields a client may send back;
    save_term validates it against the glossary/1 JSON Schema (entry- and field-level errors)."""
    body = json_body()
    if not isinstance(body, dict):
        fail(400, "Bad request", "the body must be a JSON object (a glossary/1 term)")
    return {k: v for k, v in body.items() if k not in schemas.READ_ONLY_FIELDS}


@bp.post("/v1/terms")
@describe(
    Operation(
        "createTerm",
        "Create a term",
        {201: Reply("Created", schemas.Term, schemas.TERM_EXAMPLE, etag=True, location=True)},
        description="`traditional`, `pinyin` and the slug left out are derived from `simplified`.",
        body=Body(schemas.TermBody, schemas.BODY_EXAMPLE),
        write=True,
    )
)
def create_term() -> Response:
    actor = require_write()
    data = _term_body()
    session = db.session
    term_service.begin_write(session)
    if data.get("slug") and listing.slug_taken(session, data["slug"]):
        fail(409, "Conflict", f"a term with slug {data['slug']!r} exists; use PUT to replace it")
    term = term_service.save_term(session, term_service.TermInput(data, actor))
    session.commit()
    return _term_response(term, 201, {"Location": url_for("api.get_term", key=term.slug)})


def _locked_term(slug: str) -> Term:
    """Take the write lock before reading the version, so two writers with one ETag cannot both win."""
    session = db.session
    term_service.begin_write(session)
    term_service.lock_term(session, slug)
    term = term_service.get_term(session, slug)
    if term.slug != slug:
        fail(404, "Not found", f"no term with slug {slug!r} (writes address terms by slug)")
    if_match = request.headers.get("If-Match")
    if if_match is None:
        fail(428, "Precondition required", "send If-Match with the ETag from GET to avoid lost updates")
    term_service.check_version(term, if_match)
    return term


@bp.put("/v1/terms/<path:slug>")
@describe(
    Operation(
        "replaceTerm",
        "Replace a term",
        {200: Reply("The term as stored", schemas.Term, schemas.TERM_EXAMPLE, etag=True)},
        description="Full replacement: `traditional` and `pinyin` left out are derived from "
        "`simplified`. A replacement that changes nothing answers 200 with the ETag unchanged and "
        "records no revision.",
        path=SLUG,
        path_example=SLUG_EXAMPLE,
        headers=("If-Match",),
        body=Body(schemas.TermBody, schemas.BODY_EXAMPLE),
        write=True,
    )
)
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
@describe(
    Operation(
        "patchTerm",
        "JSON Merge Patch (RFC 7396) a term",
        {200: Reply("The term as stored", schemas.Term, schemas.TERM_EXAMPLE, etag=True)},
        description="The patch applies to the term's glossary/1 form. A patch that changes "
        "`simplified` derives `traditional`, `pinyin` and the derived surface forms again, unless "
        "it sets them itself; curated `forms` are kept. Read-only fields (`updated`, `links`, "
        "`surface_forms`) are ignored, and a patch that changes nothing answers 200 with the ETag "
        "unchanged and records no revision.",
        path=SLUG,
        path_example=SLUG_EXAMPLE,
        headers=("If-Match",),
        body=Body(dict, schemas.PATCH_EXAMPLE, ("application/merge-patch+json", "application/json")),
        write=True,
    )
)
def patch_term(slug: str) -> Response:
    actor = require_write()
    patch = json_body({"application/merge-patch+json", "application/json"})
    if not isinstance(patch, dict):
        fail(400, "Bad request", "a merge patch must be a JSON object")
    term = _locked_term(slug)
    patch = {k: v for k, v in patch.items() if k not in schemas.READ_ONLY_FIELDS}
    term = patching.patch_term(db.session, term, patch, actor)
    db.session.commit()
    return _term_response(term)


@bp.delete("/v1/terms/<path:slug>")
@describe(
    Operation(
        "deleteTerm",
        "Delete a term",
        {204: Reply("Deleted (the history keeps every revision)")},
        path=SLUG,
        path_example=SLUG_EXAMPLE,
        headers=("If-Match",),
        write=True,
    )
)
def delete_term(slug: str) -> Response:
    actor = require_write()
    term = _locked_term(slug)
    term_service.delete_term(db.session, term, actor)
    db.session.commit()
    return Response(status=204)
