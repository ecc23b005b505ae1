"""The OpenAPI document is valid, and the served API keeps to it under generated requests."""

from __future__ import annotations

import re

import pytest
import schemathesis
from helpers import make_term
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from glossary.api.openapi import build
from glossary.services.corpus import Metadata, import_upload


def test_every_api_route_and_method_is_in_the_document(client) -> None:
    """Generated from the routes, the document names every /api/v1 rule with each method it
    answers (HEAD and OPTIONS are Flask's), and validates as OpenAPI 3.1."""
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    routes = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method.lower())
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert routes == documented, routes ^ documented
    assert len(routes) >= 15


def test_an_undocumented_route_fails_the_generator(make_app) -> None:
    app = make_app()
    app.add_url_rule("/api/v1/secret", "secret", lambda: "x")
    with pytest.raises(LookupError, match="/api/v1/secret"):
        build(app)


def _resolved(doc: dict, schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": doc["components"]})


def test_every_operation_has_examples_that_fit_its_schemas(client) -> None:
    """An example request (body and parameters) and response for every operation, each valid
    against the schema it illustrates, so an interactive reference can show and send them."""
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            for param in op.get("parameters", []):
                if param["in"] == "path" or param.get("required"):
                    assert "example" in param, (where, param["name"])
                if "example" in param:
                    _resolved(doc, param["schema"]).validate(param["example"])
            if op.get("parameters") and op["parameters"][0]["in"] == "query":
                assert any("example" in p for p in op["parameters"]), where
            for media in op.get("requestBody", {}).get("content", {}).values():
                assert "example" in media, where
                _resolved(doc, media["schema"]).validate(media["example"])
            success = [r for code, r in op["responses"].items() if code.startswith("2")]
            assert success, where
            for reply in op["responses"].values():
                for media_type, media in reply.get("content", {}).items():
                    if media_type.endswith("json") and media.get("schema"):
                        assert "example" in media or "/export" in path, (where, media_type)
                        if "example" in media:
                            _resolved(doc, media["schema"]).validate(media["example"])


def test_the_term_body_is_described_by_the_glossary1_schema(client) -> None:
    """One definition of a term: the document's term is glossary/1's, so a field added there
    (and only there) is in the API document too."""
    from glossary.formats.glossary1 import schema

    doc = client.get("/api/v1/openapi.json").get_json()
    components = doc["components"]["schemas"]
    g1 = schema()["$defs"]["term"]
    assert set(g1["properties"]) <= set(components["g1_term"]["properties"])
    assert set(g1["properties"]) | {"updated", "links", "surface_forms"} == set(components["Term"]["properties"])
    body = doc["paths"]["/api/v1/terms"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/g1_term"}


def test_api_docs_page_lists_every_endpoint(client) -> None:
    html = client.get("/api/docs").get_data(as_text=True)
    for path in client.get("/api/v1/openapi.json").get_json()["paths"]:
        assert path in html


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def api_schema(app, session):
    make_term(session, "网络主权", "cyber sovereignty", tags=["cyber"])
    make_term(session, "共同富裕", "common prosperity")
    for n, (date, kind) in enumerate([("2017-10-18", "congress-report"), ("2021", "law")], start=1):
        meta = Metadata(file=f"d{n}.txt", date=date, kind=kind, title=f"文件{n}")
        import_upload(session, meta, f"扎实推进共同富裕，维护网络主权。第{n}号".encode())
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _writes(api_schema) -> list:
    """The operations that change the glossary (POST /annotate only reads)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    return [op for op in operations if op.method.upper() in WRITE_METHODS and not op.path.endswith("/annotate")]


def test_api_conforms_to_its_document(api_schema) -> None:
    """No 5xx, every status and body documented, for generated valid and invalid requests.

    Driven per operation with Hypothesis directly (schemathesis' pytest plugin does not yet
    run under pytest 9)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:
        # GET /trends answers 422 naming a slug that is no published term (as the issue has it):
        # a string the schema allows, so the "schema-valid request rejected" check cannot apply
        excluded = [positive_data_acceptance] if operation.path == "/api/v1/trends" else []

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            # a file the schema allows (any bytes, any name) is seldom a readable .txt/.html/.docx/.pdf:
            # annotate's upload answers a documented 400 naming the file, so the check cannot apply
            upload = case.media_type == "multipart/form-data" and operation.path == "/api/v1/annotate"  # noqa: B023
            skip = [positive_data_acceptance] if upload else []
            case.call_and_validate(excluded_checks=excluded + skip)  # noqa: B023  (check runs in this iteration)

        check()


def _statuses(operation, headers: dict, max_examples: int, prepare=None, excluded: tuple = ()) -> set[int]:
    """Generated cases of one operation, sent with headers and validated; the statuses seen.
    prepare(case, data) may point a case at data drawn from the test (an existing term)."""
    seen: set[int] = set()

    @given(case=operation.as_strategy(), data=st.data())
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case, data) -> None:
        if prepare:
            prepare(case, data)
        seen.add(case.call_and_validate(headers=headers, excluded_checks=list(excluded)).status_code)

    check()
    return seen


EXISTING = {"wangluo-zhuquan": "网络主权", "gongtong-fuyu": "共同富裕"}


def test_write_operations_with_a_write_token_conform_to_the_document(app, api_schema, write_token) -> None:
    """The run above sends no token, so every write only ever met its 401. With a write token the
    generated bodies reach validation and the database, and writes to {slug} are pointed at an
    existing term, half of them with its current ETag as If-Match, so they pass the
    preconditions too: still no 5xx, and every status and body as documented. Few examples per
    operation, to stay short in CI."""
    writes = _writes(api_schema)
    assert {op.method.upper() for op in writes} >= {"POST", "PUT", "PATCH", "DELETE"}
    auth = {"Authorization": f"Bearer {write_token}"}
    client = app.test_client()

    def existing_term(case, data) -> None:
        if "slug" not in (case.path_parameters or {}):
            return
        slug = data.draw(st.sampled_from(sorted(EXISTING)), label="slug")
        current = client.get(f"/api/v1/terms/{slug}", headers=auth)
        if current.status_code == 404:  # an earlier case deleted or renamed it: make it again
            client.post("/api/v1/terms", json={"simplified": EXISTING[slug], "slug": slug}, headers=auth)
            current = client.get(f"/api/v1/terms/{slug}", headers=auth)
        case.path_parameters["slug"] = slug
        if current.status_code == 200 and data.draw(st.booleans(), label="current ETag"):
            case.headers = {**(case.headers or {}), "If-Match": current.headers["ETag"]}

    # a body the schema accepts may still be refused for what JSON Schema cannot say (a source id
    # that does not exist, a form another term owns, a stale If-Match): documented 4xx, so the
    # "schema-valid request rejected" check does not apply; status and body conformance do
    statuses = {
        op.label: _statuses(op, auth, 15, prepare=existing_term, excluded=(positive_data_acceptance,)) for op in writes
    }
    # the token was taken (nothing answered 401, as everything did without one); each write got
    # past authentication and If-Match to the body and the database (a 2xx, 400, 409 or 422), and
    # writes succeeded
    assert not any(401 in codes for codes in statuses.values()), statuses
    for label, codes in statuses.items():
        assert codes - {403, 404, 412, 428}, (label, codes)
    assert any(200 <= code < 300 for codes in statuses.values() for code in codes), statuses
