"""SKOS in Turtle and JSON-LD: parsed back with rdflib, concepts and labels are all there."""

from __future__ import annotations

import warnings
from collections import Counter

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from glossary.formats import FormatError, read, writer
from glossary.formats.glossary1 import document
from glossary.services.seed import load_seed

BASE = "https://glossary.example/terms/"
SYNTAX = {"skos": "turtle", "skos-jsonld": "json-ld"}


@pytest.fixture(scope="module")
def seed_doc() -> dict:
    seed = load_seed()
    return document(seed["sources"], seed["terms"])


@pytest.fixture(scope="module", params=["skos", "skos-jsonld"])
def parsed(request: pytest.FixtureRequest, seed_doc: dict) -> tuple[str, bytes, Graph]:
    data = writer(request.param)[0](seed_doc, base=BASE)
    g = Graph()
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        g.parse(data=data, format=SYNTAX[request.param])
    return request.param, data, g


def _expected_labels(terms: list[dict]) -> Counter:
    want: Counter = Counter()
    for t in terms:
        want["pref"] += 2  # zh-Hans and zh-Hant
        want["alt"] += len(t.get("forms", [])) + bool(t.get("pinyin"))
        langs = {x["lang"] for x in t.get("translations", []) if x["status"] == "preferred"}
        for x in t.get("translations", []):
            if x["status"] == "preferred" or (x["status"] == "official" and x["lang"] not in langs):
                langs.add(x["lang"])
                want["pref"] += 1
            elif x["status"] == "deprecated":
                want["hidden"] += 1
            else:
                want["alt"] += 1
    return want


def test_concept_and_label_counts(parsed: tuple[str, bytes, Graph], seed_doc: dict) -> None:
    _, _, g = parsed
    terms = seed_doc["terms"]
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == len(terms)
    assert len(set(g.subjects(RDF.type, SKOS.ConceptScheme))) == 1
    want = _expected_labels(terms)
    assert len(list(g.triples((None, SKOS.prefLabel, None)))) == want["pref"]
    assert len(list(g.triples((None, SKOS.altLabel, None)))) == want["alt"]
    assert len(list(g.triples((None, SKOS.hiddenLabel, None)))) == want["hidden"]
    assert len(list(g.triples((None, SKOS.definition, None)))) == sum(len(t.get("definitions", [])) for t in terms)
    assert len(set(g.subjects(RDF.type, DCTERMS.BibliographicResource))) == len(seed_doc["sources"])


def test_one_pref_label_per_language(parsed: tuple[str, bytes, Graph]) -> None:
    _, _, g = parsed
    for concept in g.subjects(RDF.type, SKOS.Concept):
        langs = [label.language for label in g.objects(concept, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), concept


def test_labels_relations_and_sources_of_one_term(parsed: tuple[str, bytes, Graph], seed_doc: dict) -> None:
    _, _, g = parsed
    term = next(t for t in seed_doc["terms"] if t["slug"] == "wangluo-zhuquan")
    node = URIRef(BASE + "wangluo-zhuquan")
    prefs = {(str(x), x.language) for x in g.objects(node, SKOS.prefLabel)}
    assert {("网络主权", "zh-Hans"), ("網絡主權", "zh-Hant"), ("cyber sovereignty", "en")} <= prefs
    alts = {(str(x), x.language) for x in g.objects(node, SKOS.altLabel)}
    assert ("internet sovereignty", "en") in alts
    assert (term["pinyin"], "zh-Latn-pinyin") in alts
    links = {
        (p, str(o).removeprefix(BASE)) for p in (SKOS.broader, SKOS.narrower, SKOS.related) for o in g.objects(node, p)
    }
    assert {slug for _, slug in links} == {r["slug"] for r in term.get("related", [])}
    cited = {str(o).rsplit("/", 1)[-1] for o in g.objects(node, DCTERMS.source)}
    assert {e["source"] for e in term["excerpts"]} <= cited


def test_output_is_stable(seed_doc: dict) -> None:
    for name in SYNTAX:
        assert writer(name)[0](seed_doc, base=BASE) == writer(name)[0](seed_doc, base=BASE)


def test_reads_back_into_draft_terms(parsed: tuple[str, bytes, Graph], seed_doc: dict) -> None:
    name, data, _ = parsed
    reading = read(name, data)
    assert reading.new_only
    back = {t["slug"]: t for t in reading.document["terms"]}
    assert set(back) == {t["slug"] for t in seed_doc["terms"]}
    for t in seed_doc["terms"]:
        b = back[t["slug"]]
        assert (b["simplified"], b.get("traditional"), b.get("pinyin")) == (
            t["simplified"],
            t.get("traditional"),
            t.get("pinyin"),
        )
        assert b["status"] == "draft"
        assert {x["text"] for x in b.get("translations", [])} == {x["text"] for x in t.get("translations", [])}
    assert "skos:example" in reading.notes[1]


def test_foreign_concepts_without_chinese_are_skipped() -> None:
    data = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/c/1> a skos:Concept ; skos:prefLabel "rule of law"@en ; skos:altLabel "法治"@zh .
<http://example.org/c/2> a skos:Concept ; skos:prefLabel "法治"@zh-CN ; skos:prefLabel "rule of law"@en ;
    skos:broader <http://example.org/c/1> .
""".encode()
    reading = read("skos", data)
    assert reading.document["terms"] == [
        {
            "simplified": "法治",
            "status": "draft",
            "translations": [{"lang": "en", "text": "rule of law", "status": "preferred"}],
        }
    ]
    assert any("no zh-Hans prefLabel; skipped" in n for n in reading.notes)
    assert "1 broader link outside the file" in reading.notes[1]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("skos", b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<a> skos:prefLabel .\n", "line 3"),
        ("skos", b"# a comment\n\xff\n", "line 2: not valid UTF-8"),
        ("skos", "# 网络\n".encode("utf-16"), "the file is UTF-16 (little-endian, with a byte-order mark)"),
        ("skos", b"# nothing\n", "no skos:Concept"),
        ("skos-jsonld", b'{"@graph": [}', "line 1 column 13: invalid JSON"),
        (
            "skos-jsonld",
            b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "x"}',
            "@context: a remote JSON-LD context is not fetched",
        ),
        (
            "skos-jsonld",
            b'{"@graph": [{"@context": ["http://127.0.0.1:9/c"], "@id": "x"}]}',
            "@graph[0].@context: a remote",
        ),
    ],
)
def test_bad_rdf_names_the_place(name: str, data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as exc:
        read(name, data)
    assert str(exc.value).startswith(message) or message in str(exc.value)


def test_unknown_predicates_and_non_tag_subjects_are_counted_as_skipped() -> None:
    data = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/ns/> .
<http://example.org/c/1> a skos:Concept ; skos:prefLabel "测试十三"@zh-Hans ;
    ex:colour "red" ; skos:scopeNote "note"@en ; dct:subject "cyber", "Foreign Policy" .
""".encode()
    reading = read("skos", data)
    assert reading.document["terms"][0]["tags"] == ["cyber"]
    assert reading.notes[1] == (
        "skipped: 1 dct:subject that is not a tag (lower-case words joined by -), 1 ex:colour, 1 skos:scopeNote"
    )


def test_nothing_skipped_means_no_skipped_line() -> None:
    data = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/c/1> a skos:Concept ; skos:prefLabel "测试十三"@zh-Hans .
""".encode()
    reading = read("skos", data)
    assert reading.notes == ["1 of 1 concepts mapped to new draft terms; 0 sources"]


def test_turtle_errors_quote_the_file_as_text_not_bytes() -> None:
    data = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://x/a> a skos:Concept ;
  skos:prefLabel "测试"@zh-Hans ;
  skos:altLabel "oops ;
.
""".encode()
    with pytest.raises(FormatError) as exc:
        read("skos", data)
    message = str(exc.value)
    assert message.startswith("line 4 column ")
    assert "newline found in string literal" in message and 'skos:altLabel "oops' in message
    assert "\\x" not in message and "b'" not in message
