"""GET /api/v1/export serves every registered format with its media type and file name."""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
from pathlib import Path

import pytest
from conftest import PG_URL
from lxml import etree
from rdflib import RDF, Graph
from rdflib.namespace import SKOS

from glossary.formats import FORMATS, WRITERS


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == set(WRITERS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_each_format(seeded, fmt: str) -> None:
    client = seeded.test_client()
    response = client.get(f"/api/v1/export?format={fmt}")
    assert response.status_code == 200
    _, mimetype, extension = WRITERS[fmt]
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f'attachment; filename="glossary.{extension}"'
    body = response.data
    if fmt == "json":
        assert json.loads(body)["terms"]
    elif fmt == "csv":
        assert list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    elif fmt == "tbx":
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        assert root.findall(".//{*}conceptEntry")
    else:
        g = Graph()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            g.parse(data=body, format="turtle" if fmt == "skos" else "json-ld")
        concepts = set(g.subjects(RDF.type, SKOS.Concept))
        assert concepts and all(str(c).startswith("http://localhost/terms/") for c in concepts)
    again = client.get(f"/api/v1/export?format={fmt}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_unknown_format_is_a_400(client) -> None:
    response = client.get("/api/v1/export?format=xlsx")
    assert response.status_code == 400
    assert "csv" in response.get_json()["detail"]


def test_public_export_leaves_out_relations_to_drafts_and_imports_back(
    seeded, template_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from helpers import make_term

    from glossary.cli import main
    from glossary.extensions import db

    with seeded.app_context():
        make_term(db.session, "草稿术语", "draft term", status="draft")
        make_term(db.session, "公开术语", "public term", related=[{"slug": "caogao-shuyu", "type": "related"}])
    client = seeded.test_client()
    for fmt in ("json", "csv", "tbx", "skos"):
        body = client.get(f"/api/v1/export?format={fmt}").get_data(as_text=True)
        assert "caogao-shuyu" not in body, fmt
    doc = client.get("/api/v1/export?format=json").get_json()
    public = next(t for t in doc["terms"] if t["simplified"] == "公开术语")
    assert "related" not in public
    path = tmp_path / "public.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    if PG_URL:  # one PostgreSQL database: empty it by replacing
        replace = ["--replace"]
    else:
        replace = []
        empty = tmp_path / "empty.db"
        shutil.copy(template_db, empty)
        monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{empty}")
    assert main(["import", str(path), *replace]) == 0
    assert f"{len(doc['terms'])} created" in capsys.readouterr().out
