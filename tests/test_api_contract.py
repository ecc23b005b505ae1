"""The OpenAPI document is valid, and the served API keeps to it under generated requests."""

from __future__ import annotations

import pytest
import schemathesis
from helpers import make_term
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from glossary.api.openapi import spec


def test_openapi_document_is_valid_and_complete(client) -> None:  # noqa: ANN001
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    routes = {
        rule.rule.replace("<path:key>", "{key}")
        .replace("<path:slug>", "{slug}")
        .replace("<slug>", "{slug}")
        .replace("<int:number>", "{number}")
        .replace("<source_id>", "{source_id}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    routes.discard("/api/v1/openapi.json")
    assert routes <= set(doc["paths"]), routes - set(doc["paths"])


def test_api_docs_page_lists_every_endpoint(client) -> None:  # noqa: ANN001
    html = client.get("/api/docs").get_data(as_text=True)
    for path in spec()["paths"]:
        assert path in html


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def api_schema(app, session):  # noqa: ANN001, ANN201
    make_term(session, "网络主权", "cyber sovereignty", tags=["cyber"])
    make_term(session, "共同富裕", "common prosperity")
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _writes(api_schema) -> list:  # noqa: ANN001
    """The operations that change the glossary (POST /annotate only reads)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    return [op for op in operations if op.method.upper() in WRITE_METHODS and not op.path.endswith("/annotate")]


def test_api_conforms_to_its_document(api_schema) -> None:  # noqa: ANN001
    """No 5xx, every status and body documented, for generated valid and invalid requests.

    Driven per operation with Hypothesis directly (schemathesis' pytest plugin does not yet
    run under pytest 9)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:  # noqa: ANN001
            case.call_and_validate()

        check()


def _statuses(operation, headers: dict, max_examples: int, prepare=None, excluded: tuple = ()) -> set[int]:  # noqa: ANN001
    """Generated cases of one operation, sent with headers and validated; the statuses seen.
    prepare(case, data) may point a case at data drawn from the test (an existing term)."""
    seen: set[int] = set()

    @given(case=operation.as_strategy(), data=st.data())
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case, data) -> None:  # noqa: ANN001
        if prepare:
            prepare(case, data)
        seen.add(case.call_and_validate(headers=headers, excluded_checks=list(excluded)).status_code)

    check()
    return seen


EXISTING = {"wangluo-zhuquan": "网络主权", "gongtong-fuyu": "共同富裕"}


def test_write_operations_with_a_write_token_conform_to_the_document(app, api_schema, write_token) -> None:  # noqa: ANN001
    """The run above sends no token, so every write only ever met its 401. With a write token the
    generated bodies reach validation and the database, and writes to {slug} are pointed at an
    existing term, half of them with its current ETag as If-Match, so they pass the
    preconditions too: still no 5xx, and every status and body as documented. Few examples per
    operation, to stay short in CI."""
    writes = _writes(api_schema)
    assert {op.method.upper() for op in writes} >= {"POST", "PUT", "PATCH", "DELETE"}
    auth = {"Authorization": f"Bearer {write_token}"}
    client = app.test_client()

    def existing_term(case, data) -> None:  # noqa: ANN001
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
