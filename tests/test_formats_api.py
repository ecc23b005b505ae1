"""GET /api/v1/export serves every registered format with its media type and file name."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
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
