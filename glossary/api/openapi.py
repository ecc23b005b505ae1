"""The OpenAPI 3.1 document of API v1, generated from the routes' Operations and their pydantic
schemas (glossary.api.schemas) plus the glossary/1 JSON Schema for terms and sources.

A small generator of our own rather than flask-openapi3 or spectree (both maintained: 4.3.2 and
3.0.0 on PyPI with regular releases): both validate before the view runs and answer with their own
422 error format, while this API answers 400/413/415/422 problem+json in words clients rely on, and
the term body is validated by the glossary/1 JSON Schema; adopting either meant overriding its
validation and error handling for every route. What remains to generate is ~200 lines over
pydantic's `models_json_schema`."""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from ..formats.glossary1 import schema as glossary1_schema
from .operation import Operation, Reply, operation_of
from .schemas.base import COMPONENT, NO_NUL, G1Extension
from .schemas.problem import Problem

REF = "#/components/schemas/{model}"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too Many Requests",
    500: "Internal server error",
    503: "Service unavailable",
}
COMMON_ERRORS = {429: "Too many requests (see Retry-After)", 500: "Internal error", 503: "Database unavailable"}
WRITE_ERRORS = {
    400: "Malformed JSON or body",
    401: "Missing or invalid token",
    403: "Read-only token",
    404: "No such term",
    409: "Duplicate",
    412: "ETag is stale",
    413: "Body too large",
    415: "Wrong content type",
    422: "Validation failed",
    428: "If-Match missing",
}
HEADERS = {
    "If-Match": {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "pattern": NO_NUL},
        "description": "the ETag from GET (or a list holding it); required (428 without it)",
        "example": '"wangluo-zhuquan-v3"',
    },
    "If-None-Match": {
        "name": "If-None-Match",
        "in": "header",
        "schema": {"type": "string", "pattern": NO_NUL},
        "description": "an ETag from an earlier reply: 304 when it still matches",
        "example": '"wangluo-zhuquan-v3"',
    },
}
ETAG = {"ETag": {"schema": {"type": "string"}, "description": "entity tag for If-None-Match / If-Match"}}
INFO = {
    "title": "CCP political language glossary API",
    "version": "1.0.0",
    "description": "Terms with pinyin, forms, sourced translations, first uses and excerpts; "
    "search; annotation of Chinese text. Errors are RFC 9457 problem+json.\n\n"
    "Drafts are visible only to a bearer token of write scope. Responses that depend on the "
    "token carry `Vary: Authorization`; with a write token they are `Cache-Control: private, "
    "no-store`, and anonymous ones stay publicly cacheable.",
}


def spec(app: Flask) -> dict[str, Any]:
    """The document for app's routes, built once per app."""
    cached = app.extensions.get("glossary.openapi")
    if cached is None:
        cached = app.extensions["glossary.openapi"] = build(app)
    return cached


def build(app: Flask) -> dict[str, Any]:
    operations: list[tuple[str, str, Operation, Any]] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        operation = operation_of(app.view_functions[rule.endpoint])
        if operation is None:
            raise LookupError(f"{rule.rule} ({rule.endpoint}) has no Operation: describe it for the API document")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operations.append((rule.rule, method.lower(), operation, rule))
    schemas = _glossary1_components()
    models = _models(op for _, _, op, _ in operations)
    refs, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    schemas.update(defs.get("$defs", {}))
    for model in models:
        if issubclass(model, G1Extension):
            schemas[model.__name__] = _extend(schemas[f"g1_{model.G1}"], schemas[model.__name__])
    paths: dict[str, dict[str, Any]] = {}
    for rule_path, method, operation, rule in operations:
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule_path)
        paths.setdefault(path, {})[method] = _operation(operation, rule)
    document = {
        "openapi": "3.1.0",
        "info": INFO,
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
    _resolve_components(document)
    return document


def _resolve_components(node: object) -> None:
    """{COMPONENT: name} placeholders (schemas.base.component) become $refs."""
    if isinstance(node, dict):
        if COMPONENT in node:
            node["$ref"] = REF.format(model=node.pop(COMPONENT))
        for value in node.values():
            _resolve_components(value)
    elif isinstance(node, list):
        for value in node:
            _resolve_components(value)


def _models(operations: Any) -> list[type[BaseModel]]:
    """Every model a request or response names, Problem first (each once, in a stable order)."""
    found: dict[type[BaseModel], None] = {Problem: None}
    for op in operations:
        others = [schema for schema, _ in op.body.others.values()] if op.body else []
        for candidate in [op.body and op.body.schema, *others, *(r.schema for r in op.replies.values())]:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found[candidate] = None
    return list(found)


def _schema_of(value: Any) -> dict[str, Any]:
    """A $ref for a model, the inline schema of an annotated type, {} for anything."""
    if value is None:
        return {}
    if isinstance(value, type) and issubclass(value, BaseModel):
        return {"$ref": REF.format(model=value.__name__)}
    return TypeAdapter(value).json_schema(ref_template=REF)


def _operation(op: Operation, rule: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": op.summary, "operationId": op.operation_id}
    if op.description:
        out["description"] = op.description
    if op.write:
        out["security"] = [{"bearer": []}]
    parameters = _path_parameters(op, rule) + _query_parameters(op) + [HEADERS[h] for h in op.headers]
    if parameters:
        out["parameters"] = parameters
    if op.body:
        schema = _schema_of(op.body.schema)
        content = {t: {"schema": schema, "example": op.body.example} for t in op.body.media_types}
        content |= {t: {"schema": _schema_of(s), "example": e} for t, (s, e) in op.body.others.items()}
        out["requestBody"] = {"required": True, "content": content}
    responses: dict[str, Any] = {}
    for status, reply in op.replies.items():
        responses[str(status)] = _reply(reply)
        if reply.etag and rule.methods and "GET" in rule.methods:
            responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    errors = (WRITE_ERRORS if op.write else {}) | op.errors | COMMON_ERRORS
    for status, description in sorted(errors.items()):
        problem = _problem(status, description)
        if str(status) in responses:  # a reply of the operation's own (health's 503) or a problem
            responses[str(status)]["content"] |= problem["content"]
            responses[str(status)]["description"] += f"; or {description[0].lower()}{description[1:]}"
        else:
            responses[str(status)] = problem
    out["responses"] = responses
    return out


def _reply(reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"description": reply.description}
    headers = dict(ETAG) if reply.etag else {}
    if reply.location:
        headers["Location"] = {"schema": {"type": "string"}, "description": "the URL of what was created"}
    if headers:
        out["headers"] = headers
    if reply.content is not None:
        out["content"] = {t: {"schema": _schema_of(s)} for t, s in reply.content.items()}
        for media_type, media in out["content"].items():
            if reply.example is not None and media_type.endswith("json"):
                media["example"] = reply.example
    elif reply.schema is not None:
        out["content"] = {"application/json": {"schema": _schema_of(reply.schema), "example": reply.example}}
    return out


def _problem(status: int, description: str) -> dict[str, Any]:
    example = {
        "type": f"https://glossary.invalid/problems/{status}",
        "title": TITLES.get(status, description),
        "status": status,
        "detail": description[0].lower() + description[1:],
    }
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _schema_of(Problem), "example": example}},
    }


def _path_parameters(op: Operation, rule: Any) -> list[dict[str, Any]]:
    out = []
    for converter, name in re.findall(r"<(?:([^:<>]+):)?([^<>]+)>", rule.rule):
        schema = {"type": "integer", "minimum": 1} if converter == "int" else _string()
        param = {"name": name, "in": "path", "required": True, "schema": schema}
        if name in op.path:
            param["description"] = op.path[name]
        if name in op.path_example:
            param["example"] = op.path_example[name]
        out.append(param)
    return out


def _query_parameters(op: Operation) -> list[dict[str, Any]]:
    if op.query is None:
        return []
    model_schema = op.query.model_json_schema(ref_template=REF)
    required = set(model_schema.get("required", ()))
    out = []
    for name, prop in model_schema["properties"].items():
        prop = dict(prop)
        prop.pop("title", None)
        description = prop.pop("description", None)
        if prop.get("default", 0) is None:
            del prop["default"]
        options = [p for p in prop.pop("anyOf", ()) if p != {"type": "null"}]
        if len(options) == 1:
            prop.update(options[0])
        elif options:
            prop["anyOf"] = options
        if prop.get("type") == "string" and "enum" not in prop:
            prop.setdefault("pattern", NO_NUL)
        param: dict[str, Any] = {"name": name, "in": "query", "schema": prop}
        if name in required:
            param["required"] = True
        if description:
            param["description"] = description
        if name in op.query_example:
            param["example"] = op.query_example[name]
        out.append(param)
    return out


def _string() -> dict[str, Any]:
    return {"type": "string", "pattern": NO_NUL}


def _glossary1_components() -> dict[str, Any]:
    """The glossary/1 definitions as g1_* components, and the whole document as g1_document."""
    root = copy.deepcopy(glossary1_schema())
    schemas = {f"g1_{name}": definition for name, definition in root.pop("$defs").items()}
    root.pop("$schema", None)
    root.pop("$id", None)
    schemas["g1_document"] = root
    _rewrite_refs(schemas)
    return schemas


def _extend(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A glossary/1 object schema with the extension's properties and requirements added."""
    out = copy.deepcopy(base)
    out["properties"].update(extra.get("properties", {}))
    required = out.get("required", []) + [r for r in extra.get("required", []) if r not in out.get("required", [])]
    if required:
        out["required"] = required
    if extra.get("description"):
        out["description"] = extra["description"]
    return out


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
