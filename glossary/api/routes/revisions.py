"""A term's revision history, and one revision with its snapshot."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request, url_for

from ...extensions import db
from ...models import Revision
from ...services import listing, visibility
from .. import bp
from ..http import cached_json, collection
from ..operation import Operation, Reply, describe
from ..schemas import revisions as schemas
from .terms import SLUG_EXAMPLE, drafts_visible


def _summary(rev: Revision) -> dict[str, Any]:
    return {
        "number": rev.number,
        "action": rev.action,
        "actor": rev.actor,
        "created": rev.created.isoformat(),
        "comment": rev.comment,
        "links": {"self": url_for("api.revision", slug=rev.slug, number=rev.number)},
    }


@bp.get("/v1/terms/<slug>/revisions")
@describe(
    Operation(
        "listRevisions",
        "Revision history",
        {200: Reply("A page of revisions, newest first", schemas.RevisionPage, schemas.PAGE_EXAMPLE, etag=True)},
        query=schemas.RevisionListQuery,
        query_example={"page": 1, "per_page": 20},
        path_example=SLUG_EXAMPLE,
        errors={400: "Bad parameter", 404: "No such term"},
    )
)
def revisions(slug: str) -> Response:
    args = schemas.RevisionListQuery.from_args(request.args)
    drafts = drafts_visible()
    rows, total = listing.revision_page(db.session, slug, include_drafts=drafts, page=args.page, per_page=args.per_page)
    return cached_json(
        collection([_summary(r) for r in rows], total, args.page, args.per_page, "api.revisions", slug=slug),
        max_age=10,
        drafts=drafts,
    )


@bp.get("/v1/terms/<slug>/revisions/<int:number>")
@describe(
    Operation(
        "getRevision",
        "One revision with its full snapshot",
        {200: Reply("The revision", schemas.Revision, schemas.EXAMPLE, etag=True)},
        path={"number": "the revision number (1 is the first)"},
        path_example=SLUG_EXAMPLE | {"number": 2},
        errors={404: "No such revision"},
    )
)
def revision(slug: str, number: int) -> Response:
    drafts = drafts_visible()
    rev = listing.readable_revision(db.session, slug, number, include_drafts=drafts)
    body = _summary(rev) | {
        "term": visibility.redact_one(db.session, json.loads(rev.snapshot) if rev.snapshot else None, drafts)
    }
    return cached_json(body, max_age=3600, drafts=drafts)
