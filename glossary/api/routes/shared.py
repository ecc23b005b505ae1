"""Shared annotated texts: a token holder saves one (POST /annotations) and anyone with its id
reads it back (GET /annotations/<id>) or opens its page (/a/<id>). An anonymous annotate stores
nothing; only a request with a valid bearer token (of any scope) saves."""

from __future__ import annotations

from flask import Response, current_app, url_for
from pydantic import ValidationError

from ...extensions import db, limiter
from ...fairness import charge_characters
from ...models import SharedAnnotation
from ...services import sharing
from ...services.auth import actor
from ...text.render import render_html
from .. import bp
from ..http import bearer_token, cached_json, fail, json_body
from ..operation import Body, Operation, Reply, describe
from ..schemas import shared as schemas


def _to_dict(row: SharedAnnotation) -> dict[str, object]:
    return {
        "id": row.id,
        "url": url_for("web.shared_annotation", shared_id=row.id),
        "title": row.title,
        "text": row.text,
        "chars": row.chars,
        "glossary_version": row.glossary_version,
        "created": row.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "creator": row.creator,
        "terms": [vars(t) for t in sharing.terms_of(row)],
        "html": row.html,
    }


@bp.post("/v1/annotations")
@limiter.limit(lambda: current_app.config["RATELIMIT_ANNOTATE"])
@describe(
    Operation(
        "shareAnnotation",
        "Annotate a text and save it to share by URL",
        {201: Reply("Saved; `url` is its read-only page", schemas.Shared, schemas.EXAMPLE, location=True)},
        description="Needs a bearer token (read or write scope): annotating without one stores nothing. "
        "The annotated text is frozen as saved, with the glossary version it was annotated against.",
        body=Body(schemas.ShareRequest, schemas.REQUEST_EXAMPLE),
        errors={
            400: "Bad body",
            401: "No valid bearer token",
            413: "Text longer than GLOSSARY_SHARE_MAX_CHARS",
            415: "Wrong content type",
            422: "Empty text or over-long title",
        },
    )
)
def share_annotation() -> Response:
    token = bearer_token()
    if token is None:
        fail(
            401,
            "Unauthorized",
            "saving a shared annotation needs a bearer token (glossary token create); annotate stores nothing",
            headers={"WWW-Authenticate": 'Bearer realm="glossary"'},
        )
    body = json_body()
    if not isinstance(body, dict):
        fail(400, "Bad request", "the body must be a JSON object with a text field")
    try:
        args = schemas.ShareRequest.model_validate(body)
    except ValidationError as exc:
        errors = schemas.ShareRequest.field_errors(exc)
        fail(400, "Bad request", f"{errors[0]['path']}: {errors[0]['message']}", errors)
    text = args.text.replace("\r\n", "\n")
    limit = current_app.config["SHARE_MAX_CHARS"]
    sharing.check(text, limit)  # before annotating: a text too long to keep is not worth the work
    charge_characters(len(text))
    annotation = current_app.extensions["glossary.annotator"].get(db.session).annotate(text)
    href = url_for("web.term", slug="SLUG").replace("SLUG", "{slug}")
    html = render_html(annotation, href, ruby=True, paragraphs=True, card_data=False, syllables=True)
    row = sharing.share(db.session, annotation, html, args.title, actor(token), limit)
    db.session.commit()
    payload = _to_dict(row)
    return cached_json(payload, status=201, headers={"Location": str(payload["url"])})


@bp.get("/v1/annotations/<shared_id>")
@describe(
    Operation(
        "getSharedAnnotation",
        "A shared annotated text, as saved",
        {200: Reply("The text, its annotation and the glossary version", schemas.Shared, schemas.EXAMPLE, etag=True)},
        path={"shared_id": "the id given when it was saved"},
        path_example={"shared_id": "q0Yd9T3m1kYJtq0w2vXbZg"},
        errors={404: "No such shared annotation"},
    )
)
def get_shared_annotation(shared_id: str) -> Response:
    return cached_json(_to_dict(sharing.shared(db.session, shared_id)))
