"""The phrase concordance (any string, both scripts, printed offsets) and the issuer filter of a
term's concordance."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import Document
from glossary.services import corpus
from glossary.services.corpus_phrase import phrase_concordance
from glossary.services.corpus_queries import attestations
from glossary.services.errors import Invalid

DOCS = [
    {"file": "a.txt", "date": "2017-10-18", "kind": "congress-report", "issuer": "Xi Jinping",
     "text": "成立国家安全部。" + filler(1, 500) + "坚持国家\n安全。"},
    {"file": "b.txt", "date": "2022", "kind": "law", "issuer": "NPC", "text": "維護國家安全。" + filler(2, 500)},
    {"file": "c.txt", "date": "2022-10-16", "kind": "speech", "issuer": "Xi Jinping", "text": filler(3, 500)},
]  # fmt: skip


@pytest.fixture
def library(session, tmp_path):
    make_term(session, "国家安全", "national security")
    directory = write_corpus(tmp_path / "c", DOCS, extra_columns=("issuer",))
    assert corpus.import_directory(session, directory).errors == []
    return session


def test_any_phrase_in_either_script_with_printed_offsets(library) -> None:
    found = phrase_concordance(library, "國家安全")
    assert (found["documents"], found["occurrences"]) == (2, 3)  # 国家安全部 counts: no boundary rule
    lines = found["concordance"]["items"]
    assert [line["match"] for line in lines] == ["国家安全", "国家\n安全", "國家安全"]
    first = lines[0]
    text = library.scalar(sa.select(Document.text).where(Document.id == first["document"]["id"]))
    assert text[first["start"] : first["end"]] == "国家安全" and first["right"].startswith("部。")
    assert [(y["year"], y["occurrences"], y["documents"]) for y in found["by_year"]] == [(2017, 2, 1), (2022, 1, 1)]
    paged = phrase_concordance(library, "国家安全", page=2, per_page=2)["concordance"]
    assert [line["match"] for line in paged["items"]] == ["國家安全"] and paged["total"] == 3


def test_kind_and_issuer_narrow_lines_and_figures(library) -> None:
    law = phrase_concordance(library, "国家安全", kind="law")
    assert law["occurrences"] == 1 and [y["year"] for y in law["by_year"]] == [2022]
    xi = phrase_concordance(library, "国家安全", issuer="Xi Jinping")
    assert xi["concordance"]["total"] == 2
    assert [(y["year"], y["corpus_documents"]) for y in xi["by_year"]] == [(2017, 1), (2022, 1)]


def test_bad_phrases_are_named(library) -> None:
    with pytest.raises(Invalid, match="q must be at least 2 characters"):
        phrase_concordance(library, "国")
    with pytest.raises(Invalid, match="q holds nothing to search for"):
        phrase_concordance(library, " \u200b ")


def test_a_terms_concordance_by_issuer(library) -> None:
    slug = "guojia-anquan"
    everyone = attestations(library, slug)["concordance"]["total"]
    by_xi = attestations(library, slug, issuer="Xi Jinping")["concordance"]
    by_npc = attestations(library, slug, issuer="NPC")["concordance"]
    assert by_npc["total"] == 1 and by_npc["items"][0]["match"] == "國家安全"
    assert by_xi["total"] >= 1 and everyone == by_xi["total"] + by_npc["total"]
    assert attestations(library, slug, issuer="Nobody")["concordance"]["total"] == 0


def test_api_phrase_concordance_and_its_errors(client, library) -> None:
    response = client.get("/api/v1/corpus/concordance?q=国家安全&issuer=NPC")
    assert response.status_code == 200 and response.get_json()["concordance"]["total"] == 1
    for q, detail in (("国", "q must be at least 2 characters to find"), ("", "q")):
        bad = client.get(f"/api/v1/corpus/concordance?q={q}")
        assert bad.status_code == 400 and detail in bad.get_json()["detail"]
    lines = client.get("/api/v1/terms/guojia-anquan/attestations?issuer=NPC").get_json()["concordance"]
    assert lines["total"] == 1


def test_the_documented_pattern_admits_exactly_what_the_service_takes(client, library) -> None:
    """Schemathesis found ", " valid by the document (two characters, one not blank) but refused
    (one character once folded): the pattern now asks for two findable characters."""
    import re
    from urllib.parse import quote

    doc = client.get("/api/v1/openapi.json").get_json()
    (param,) = [p for p in doc["paths"]["/api/v1/corpus/concordance"]["get"]["parameters"] if p["name"] == "q"]
    pattern = re.compile(param["schema"]["pattern"])
    for q in (", ", " ,", "国", "\u200b国\u00ad", "国 家", " 国家 ", "a b", ",,", "国\u3000\u200b家"):
        documented = bool(pattern.search(q)) and len(q) >= param["schema"]["minLength"]
        status = client.get(f"/api/v1/corpus/concordance?q={quote(q)}").status_code
        assert (status == 200) == documented, (q, status)
