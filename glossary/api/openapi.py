"""The OpenAPI 3.1 description of API v1, built from the glossary/1 JSON Schema."""

from __future__ import annotations

import copy
from functools import cache

from ..formats import FORMATS, WRITERS
from ..formats.glossary1 import schema
from ..models import FORM_TAGS, FORM_TYPES, TERM_KINDS

# a query needs one character Python does not count as whitespace (and no NUL)
_BLANK = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace() or c == "\x00")
QUERY_PATTERN = f"^[^\\u0000]*[^{_BLANK}][^\\u0000]*$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _json(schema_: dict, description: str = "OK", headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema_}}}
    if headers:
        out["headers"] = headers
    return out


ETAG = {"ETag": {"schema": {"type": "string"}, "description": "entity tag for If-None-Match / If-Match"}}
COMMON_ERRORS = {
    "429": _problem("Too many requests (see Retry-After)"),
    "500": _problem("Internal error"),
    "503": _problem("Database unavailable"),
}


def _params(*names: str) -> list[dict]:
    defs = {
        "page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}},
        "per_page": {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        "kind": {"name": "kind", "in": "query", "schema": {"enum": list(TERM_KINDS)}},
        "tag": {"name": "tag", "in": "query", "schema": {"type": "string"}},
        "lang": {"name": "lang", "in": "query", "schema": {"type": "string"}},
        "slug": {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        "if-match": {
            "name": "If-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "the ETag from GET; required (428 without it)",
        },
        "if-none-match": {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
    }
    return [defs[n] for n in names]


@cache
def spec() -> dict:
    g1 = copy.deepcopy(schema()["$defs"])
    schemas: dict = {f"g1_{name}": definition for name, definition in g1.items()}
    _rewrite_refs(schemas)
    collection = lambda item: {  # noqa: E731
        "type": "object",
        "required": ["items", "total", "page", "per_page", "links"],
        "properties": {
            "items": {"type": "array", "items": item},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "links": {
                "type": "object",
                "properties": {"next": {"type": ["string", "null"]}, "prev": {"type": ["string", "null"]}},
            },
        },
    }
    term_schema = copy.deepcopy(schemas["g1_term"])
    term_schema["properties"].update(
        {
            "updated": {"type": "string", "format": "date-time"},
            "links": {"type": "object"},
            "surface_forms": {
                "type": "array",
                "description": "Every string the annotator and lookup match for the term.",
                "items": {
                    "type": "object",
                    "required": ["text", "tag", "origin", "type"],
                    "properties": {
                        "text": {"type": "string"},
                        "tag": {"enum": list(FORM_TAGS)},
                        "origin": {"enum": ["primary", "derived", "curated"]},
                        "type": {"enum": list(FORM_TYPES)},
                    },
                },
            },
        }
    )
    schemas["Term"] = term_schema
    schemas.update(
        {
            "Problem": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                        },
                    },
                },
            },
            "SearchHit": {
                "type": "object",
                "required": ["slug", "simplified", "traditional", "pinyin", "gloss", "kind", "matched", "score"],
                "properties": {
                    "slug": {"type": "string"},
                    "simplified": {"type": "string"},
                    "traditional": {"type": "string"},
                    "pinyin": {"type": "string"},
                    "gloss": {"type": ["string", "null"]},
                    "gloss_lang": {"type": ["string", "null"]},
                    "kind": {"type": "string"},
                    "matched": {
                        "type": "object",
                        "description": "What matched: `value[start:end]` (code points) is exactly the matched "
                        "text, for highlighting (the whole value for a `fuzzy` match). For a Chinese query, "
                        "`value` is the form as typed when the term has that form.",
                        "required": ["field", "value", "start", "end"],
                        "properties": {
                            "field": {"enum": ["form", "pinyin", "translation"]},
                            "value": {"type": "string"},
                            "start": {"type": "integer"},
                            "end": {"type": "integer"},
                            "how": {"type": "string"},
                        },
                    },
                    "score": {"type": "integer"},
                },
            },
            "AnnotateRequest": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": False,
                "properties": {
                    "text": {"type": "string"},
                    "lang": {"type": "string", "minLength": 1, "maxLength": 35},
                    "nested": {"type": "boolean"},
                    "format": {"enum": ["json", "html"]},
                    "ruby": {"type": "boolean"},
                },
            },
            "Annotation": {
                "type": "object",
                "required": ["matches", "terms", "chars"],
                "properties": {
                    "matches": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": [
                                "start",
                                "end",
                                "surface",
                                "slug",
                                "simplified",
                                "traditional",
                                "pinyin",
                                "gloss",
                                "lang",
                                "confidence",
                                "form_type",
                            ],
                            "properties": {
                                "start": {"type": "integer"},
                                "end": {"type": "integer"},
                                "surface": {"type": "string"},
                                "slug": {"type": "string"},
                                "simplified": {"type": "string"},
                                "traditional": {"type": "string"},
                                "pinyin": {"type": "string"},
                                "gloss": {"type": ["string", "null"]},
                                "lang": {"type": ["string", "null"]},
                                "confidence": {
                                    "enum": ["high", "low"],
                                    "description": "Always `low` for a term whose annotation_policy is `confirm` "
                                    "(terms whose policy is `never` are not matched).",
                                },
                                "form_type": {
                                    "enum": list(FORM_TYPES),
                                    "description": "The type of the form that matched: `primary` for the term's "
                                    "simplified or traditional form, `script` for another script's or region's "
                                    "spelling, else the curated form's type (docs/format.md).",
                                },
                                "nested": {"type": "boolean"},
                            },
                        },
                    },
                    "terms": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["slug", "count"],
                            "properties": {"slug": {"type": "string"}, "count": {"type": "integer"}},
                        },
                    },
                    "chars": {"type": "integer"},
                    "html": {"type": "string"},
                },
            },
            "Revision": {
                "type": "object",
                "required": ["number", "action", "actor", "created"],
                "properties": {
                    "number": {"type": "integer"},
                    "action": {"type": "string"},
                    "actor": {"type": "string"},
                    "created": {"type": "string"},
                    "comment": {"type": ["string", "null"]},
                    "links": {"type": "object"},
                    "term": {"oneOf": [_ref("g1_term"), {"type": "null"}]},
                },
            },
            "Source": {"allOf": [_ref("g1_source")]},
            "Change": {
                "type": "object",
                "required": ["slug", "change", "at"],
                "properties": {
                    "slug": {"type": "string"},
                    "change": {"enum": ["added", "changed", "deleted"]},
                    "at": {"type": "string"},
                    "revision": {"type": "integer"},
                    "links": {"type": "object"},
                },
            },
        }
    )
    write_errors = {
        "400": _problem("Malformed JSON or body"),
        "401": _problem("Missing or invalid token"),
        "403": _problem("Read-only token"),
        "404": _problem("No such term"),
        "409": _problem("Duplicate"),
        "412": _problem("ETag is stale"),
        "413": _problem("Body too large"),
        "415": _problem("Wrong content type"),
        "422": _problem("Validation failed"),
        "428": _problem("If-Match missing"),
    }
    security = [{"bearer": []}]
    paths = {
        "/api/v1/health": {
            "get": {
                "summary": "Liveness and database check",
                "operationId": "health",
                "responses": {"200": _json({"type": "object"}), **COMMON_ERRORS},
            }
        },
        "/api/v1/terms": {
            "get": {
                "summary": "List terms",
                "operationId": "listTerms",
                "parameters": _params("page", "per_page", "kind", "tag")
                + [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"enum": ["published", "draft"]},
                        "description": "draft needs a write token",
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {
                            "enum": ["slug", "-slug", "updated", "-updated", "created", "-created", "simplified"]
                        },
                    },
                ],
                "responses": {
                    "200": _json(collection(_ref("Term")), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "400": _problem("Bad parameter"),
                    "401": _problem("Drafts need a token"),
                    **COMMON_ERRORS,
                },
            },
            "post": {
                "summary": "Create a term",
                "operationId": "createTerm",
                "security": security,
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("g1_term")}}},
                "responses": {
                    "201": _json(_ref("Term"), "Created", headers=ETAG | {"Location": {"schema": {"type": "string"}}}),
                    **write_errors,
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/terms/{key}": {
            "get": {
                "summary": "A term by slug or any surface form",
                "operationId": "getTerm",
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}]
                + _params("if-none-match"),
                "responses": {
                    "200": _json(_ref("Term"), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "404": _problem("No such term"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/terms/{slug}": {
            "put": {
                "summary": "Replace a term",
                "description": "Full replacement: `traditional` and `pinyin` left out are derived from "
                "`simplified`. A replacement that changes nothing answers 200 with the ETag unchanged and "
                "records no revision.",
                "operationId": "replaceTerm",
                "security": security,
                "parameters": _params("slug", "if-match"),
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("g1_term")}}},
                "responses": {"200": _json(_ref("Term"), headers=ETAG), **write_errors, **COMMON_ERRORS},
            },
            "patch": {
                "summary": "JSON Merge Patch (RFC 7396) a term",
                "description": "The patch applies to the term's glossary/1 form. A patch that changes "
                "`simplified` derives `traditional`, `pinyin` and the derived surface forms again, unless "
                "it sets them itself; curated `forms` are kept. Read-only fields (`updated`, `links`, "
                "`surface_forms`) are ignored, and a patch that changes nothing answers 200 with the ETag "
                "unchanged and records no revision.",
                "operationId": "patchTerm",
                "security": security,
                "parameters": _params("slug", "if-match"),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/merge-patch+json": {"schema": {"type": "object"}},
                        "application/json": {"schema": {"type": "object"}},
                    },
                },
                "responses": {"200": _json(_ref("Term"), headers=ETAG), **write_errors, **COMMON_ERRORS},
            },
            "delete": {
                "summary": "Delete a term",
                "operationId": "deleteTerm",
                "security": security,
                "parameters": _params("slug", "if-match"),
                "responses": {"204": {"description": "Deleted"}, **write_errors, **COMMON_ERRORS},
            },
        },
        "/api/v1/terms/{slug}/revisions": {
            "get": {
                "summary": "Revision history",
                "operationId": "listRevisions",
                "parameters": _params("slug", "page", "per_page"),
                "responses": {
                    "200": _json(collection(_ref("Revision")), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "400": _problem("Bad parameter"),
                    "404": _problem("No such term"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/terms/{slug}/revisions/{number}": {
            "get": {
                "summary": "One revision with its full snapshot",
                "operationId": "getRevision",
                "parameters": _params("slug")
                + [{"name": "number", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
                "responses": {
                    "200": _json(_ref("Revision"), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "404": _problem("No such revision"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/search": {
            "get": {
                "summary": "Search forms, pinyin and translations",
                "description": "The best `limit` hits, best first. Search stops looking once it has "
                "`limit` hits from its better tiers, so `total` is the number of items returned, not a "
                "count of every match; there is one page (`links` are null): ask a larger `limit` for more.",
                "operationId": "search",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": QUERY_PATTERN},
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {
                        "name": "lang",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "the language of each hit's `gloss` (English when the term has none in "
                        "it; default en); translations in it rank a little higher. It does not filter: "
                        "a query matching a rendering in any language finds the term.",
                    },
                ]
                + _params("kind", "tag"),
                "responses": {
                    "200": _json(collection(_ref("SearchHit")), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "400": _problem("Bad query"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/annotate": {
            "post": {
                "summary": "Find every glossary term in a text",
                "operationId": "annotate",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("AnnotateRequest")}}},
                "responses": {
                    "200": _json(_ref("Annotation")),
                    "400": _problem("Bad body"),
                    "413": _problem("Text too long"),
                    "415": _problem("Wrong content type"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/sources": {
            "get": {
                "summary": "List sources",
                "operationId": "listSources",
                "parameters": _params("page", "per_page"),
                "responses": {
                    "200": _json(collection(_ref("Source")), headers=ETAG),
                    "304": {"description": "Not modified"},
                    "400": _problem("Bad parameter"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/sources/{source_id}": {
            "get": {
                "summary": "A source with the excerpts citing it",
                "operationId": "getSource",
                "parameters": [{"name": "source_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": _json({"type": "object", "required": ["id", "title", "excerpts", "terms"]}, headers=ETAG),
                    "304": {"description": "Not modified"},
                    "404": _problem("No such source"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/changes": {
            "get": {
                "summary": "Terms added, changed or deleted since a time",
                "description": "One item per term whose state, as the caller may read it, changed at or after "
                "`since` (inclusive), with the latest revision. To keep a mirror in step, pass the reply's "
                "`until` as the next `since`: it is the time of the latest revision the reply read (or "
                "`since` itself when there was none), not the clock, and writes are stamped in the order "
                "they commit, so no write is skipped. Revisions at exactly that time are listed again: "
                "de-duplicate by `slug` and `revision`. Without a write token only published terms count: "
                "a term made a draft is `deleted`, a draft that is published is `added`, and a draft never "
                "published is not listed. Deleting a term also changes every term that had a relation to it.",
                "operationId": "changes",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "date-time"},
                    }
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["items", "total", "since", "until"],
                            "properties": {
                                "items": {"type": "array", "items": _ref("Change")},
                                "total": {"type": "integer"},
                                "since": {"type": "string", "format": "date-time"},
                                "until": {
                                    "type": "string",
                                    "format": "date-time",
                                    "description": "the next since: the time of the latest revision read",
                                },
                            },
                        },
                        headers=ETAG,
                    ),
                    "304": {"description": "Not modified"},
                    "400": _problem("Bad since"),
                    **COMMON_ERRORS,
                },
            },
        },
        "/api/v1/export": {
            "get": {
                "summary": "The whole glossary in an interchange format",
                "operationId": "export",
                "parameters": [{"name": "format", "in": "query", "schema": {"enum": list(FORMATS)}}],
                "responses": {
                    "200": {
                        "description": "The glossary as a download in the requested format",
                        "headers": ETAG,
                        "content": {
                            mimetype: {"schema": {"$ref": "#/components/schemas/g1_document"}}
                            if name == "json"
                            else {"schema": {}}
                            for name, (_, mimetype, _) in WRITERS.items()
                        },
                    },
                    "304": {"description": "Not modified"},
                    "400": _problem("Unknown or unsupported format"),
                    **COMMON_ERRORS,
                },
            },
        },
    }
    for ops in paths.values():  # URLs may not carry NUL (refused with 400 before routing)
        for op in ops.values():
            for param in op.get("parameters", []):
                if param["schema"].get("type") == "string":
                    param["schema"].setdefault("pattern", "^[^\\x00]*$")
    root = copy.deepcopy(schema())
    root.pop("$defs")
    root.pop("$schema", None)
    root.pop("$id", None)
    _rewrite_refs(root)
    schemas["g1_document"] = root
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CCP political language glossary API",
            "version": "1.0.0",
            "description": "Terms with pinyin, forms, sourced translations, first uses and excerpts; "
            "search; annotation of Chinese text. Errors are RFC 9457 problem+json.\n\n"
            "Drafts are visible only to a bearer token of write scope. Responses that depend on the "
            "token carry `Vary: Authorization`; with a write token they are `Cache-Control: private, "
            "no-store`, and anonymous ones stay publicly cacheable.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "glossary token create NAME --scope write",
                }
            },
        },
    }


def _rewrite_refs(node: object) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node["$ref"] = "#/components/schemas/g1_" + ref.removeprefix("#/$defs/")
        for value in node.values():
            _rewrite_refs(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value)
