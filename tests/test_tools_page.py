"""The /tools page (extension notes, bookmarklet, feeds), the script the bookmarklet loads, and the
CORS that lets the extension and the bookmarklet call annotate from any origin, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent / "extension"


def test_the_tools_page_offers_the_bookmarklet_and_the_feeds(client) -> None:
    page = client.get("/tools").get_data(as_text=True)
    href = re.search(r'id="bookmarklet-link" href="([^"]+)"', page).group(1).replace("&#39;", "'")
    assert href == (
        "javascript:(function(){var s=document.createElement('script');"
        "s.src='http://localhost/tools/page-annotator.js';document.body.appendChild(s);})();"
    )
    assert 'href="/feeds/changes.atom"' in page and 'href="/feeds/formulations.atom"' in page
    assert "Load unpacked" in page
    assert 'href="/tools">extension, bookmarklet and feeds</a>' in client.get("/").get_data(as_text=True)


def test_the_bookmarklet_loads_the_extension_s_own_content_script(client) -> None:
    r = client.get("/tools/page-annotator.js")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert r.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert r.get_data() == (EXTENSION / "content.js").read_bytes()


def test_cors_lets_any_origin_annotate_without_credentials_and_nothing_else(client) -> None:
    preflight = client.options(
        "/api/v1/annotate",
        headers={"Origin": "chrome-extension://abc", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    share = client.options(
        "/api/v1/annotations", headers={"Origin": "chrome-extension://abc", "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in share.headers
