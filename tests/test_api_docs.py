"""/api/docs: Swagger UI over the OpenAPI document, its files served by the app (no CDN)."""

from __future__ import annotations

import re


def test_the_reference_page_loads_swagger_ui_from_this_server_only(client) -> None:
    html = client.get("/api/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert "/api/docs/assets/swagger-ui-bundle.js" in assets and "/api/docs/assets/swagger-ui.css" in assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert 'data-spec="/api/v1/openapi.json"' in html


def test_swagger_ui_files_are_served_with_their_types(client) -> None:
    with client.get("/api/docs/assets/swagger-ui-bundle.js") as r:
        assert r.status_code == 200 and r.mimetype in ("text/javascript", "application/javascript")
        assert len(r.data) > 100_000 and r.headers["Cache-Control"].startswith("public, max-age=86400")
    with client.get("/api/docs/assets/swagger-ui.css") as r:
        assert r.status_code == 200 and r.mimetype == "text/css"
    with client.get("/api/docs/assets/LICENSE") as r:  # Apache-2.0, shipped beside the files
        assert b"Apache License" in r.data


def test_an_asset_that_is_not_there_is_a_404_and_nothing_outside_is_reachable(client) -> None:
    for path in (
        "/api/docs/assets/no-such-file.js",
        "/api/docs/assets/../__init__.py",
        "/api/docs/assets/%2e%2e/__init__.py",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert b"import" not in r.data, path
    detail = client.get("/api/docs/assets/no-such-file.js").get_json()["detail"]
    assert detail == "The API reference has no file named “no-such-file.js”."
