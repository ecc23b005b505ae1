"""TBX-Basic export is well-formed and structurally valid; import maps other termbases into drafts
and refuses unsafe or malformed XML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tbxcheck
from conftest import needs_shared
from lxml import etree

from glossary.cli import main
from glossary.formats import FormatError, Unwritable, read, writer
from glossary.formats.glossary1 import document
from glossary.services.seed import load_seed

NS = "{urn:iso:std:iso:30042:ed-2}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# the data categories and values the TBX-Basic dialect (v3, DCA style) allows
TYPES = {
    "descrip": {"context", "definition", "subjectField"},
    "admin": {"customerSubset", "projectSubset", "source"},
    "termNote": {
        "administrativeStatus",
        "grammaticalGender",
        "geographicalUsage",
        "partOfSpeech",
        "termLocation",
        "termType",
    },
    "ref": {"crossReference"},
    "xref": {"externalCrossReference", "xGraphic"},
}
STATUSES = {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}
TERM_TYPES = {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}
AUX = {"descrip", "descripGrp", "admin", "adminGrp", "transacGrp", "note", "ref", "xref"}
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
XPATH_NS = {"t": NS.strip("{}")}


def _at(*levels: str) -> str:
    """XPath: the element's parent, or the parent of its descripGrp/termNoteGrp, is one of levels."""
    direct = [f"parent::t:{level}" for level in levels]
    grouped = [f"parent::t:{grp}/parent::t:{level}" for level in levels for grp in ("descripGrp", "termNoteGrp")]
    return " or ".join(direct + grouped)


# TBX-Basic's Schematron co-constraints: the level at which each data category may appear
LEVELS = {
    "context only in a termSec": f"//t:descrip[@type='context'][not({_at('termSec')})]",
    "definition only in a conceptEntry or langSec": (
        f"//t:descrip[@type='definition'][not({_at('conceptEntry', 'langSec')})]"
    ),
    "subjectField only in a conceptEntry": f"//t:descrip[@type='subjectField'][not({_at('conceptEntry')})]",
    "source only in a conceptEntry, langSec or termSec": (
        f"//t:admin[@type='source'][not({_at('conceptEntry', 'langSec', 'termSec')})]"
    ),
    "crossReference only in a conceptEntry or termSec": (
        f"//t:ref[@type='crossReference'][not({_at('conceptEntry', 'termSec')})]"
    ),
    "termNote only in a termSec": f"//t:termNote[not({_at('termSec')})]",
}


def _name(el: etree._Element) -> str:
    assert el.tag.startswith(NS), f"line {el.sourceline}: {el.tag} is outside the TBX namespace"
    return el.tag[len(NS) :]


def tbx_basic_errors(root: etree._Element) -> list[str]:
    """The TBX-Basic core structure (ISO 30042:2019, DCA): element order, required attributes,
    allowed data categories and values, and ID/IDREF integrity."""
    errors: list[str] = []

    def err(el: etree._Element, message: str) -> None:
        errors.append(f"line {el.sourceline}: {message}")

    if _name(root) != "tbx" or root.get("style") != "dca" or root.get("type") != "TBX-Basic" or not root.get(LANG):
        err(root, "root must be <tbx style='dca' type='TBX-Basic' xml:lang=…>")
    kids = [_name(c) for c in root]
    if kids != ["tbxHeader", "text"]:
        err(root, f"tbx children {kids}")
    file_desc = root.find(f"{NS}tbxHeader/{NS}fileDesc")
    if file_desc is None or file_desc.find(f"{NS}sourceDesc/{NS}p") is None:
        err(root, "tbxHeader needs fileDesc/sourceDesc/p")
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    for value in ids:
        if not NCNAME.match(value):
            errors.append(f"id {value!r} is not an NCName")
    all_ids = [el.get("id") for el in root.iter() if el.get("id")]
    if len(all_ids) != len(set(all_ids)):
        errors.append("duplicate ids")
    body = root.find(f"{NS}text/{NS}body")
    if body is None or len(body) == 0:
        err(root, "text/body needs at least one conceptEntry")
        return errors
    for rule, xpath in LEVELS.items():
        for el in root.xpath(xpath, namespaces=XPATH_NS):
            err(el, f"<{_name(el)} type={el.get('type')!r}>: {rule}")
    for el in root.iter(f"{NS}*"):
        name = _name(el)
        if name in TYPES and el.get("type") not in TYPES[name]:
            err(el, f"<{name} type={el.get('type')!r}> is not a TBX-Basic data category")
        if el.get("target") and name in ("ref", "admin") and el.get("target") not in ids:
            err(el, f"target {el.get('target')!r} names no id")
    for entry in body:
        if _name(entry) != "conceptEntry" or not entry.get("id"):
            err(entry, "body holds conceptEntry elements with an id")
        names = [_name(c) for c in entry]
        first_lang = names.index("langSec") if "langSec" in names else len(names)
        if first_lang == len(names) or any(n != "langSec" for n in names[first_lang:]):
            err(entry, "conceptEntry: auxiliary information, then one or more langSec")
        if any(n not in AUX for n in names[:first_lang]):
            err(entry, f"conceptEntry holds {names[:first_lang]}")
        for sec in entry.iter(f"{NS}langSec"):
            if not sec.get(LANG):
                err(sec, "langSec needs xml:lang")
            sub = [_name(c) for c in sec]
            if "termSec" not in sub or any(n != "termSec" for n in sub[sub.index("termSec") :]):
                err(sec, "langSec: auxiliary information, then one or more termSec")
            for ts in sec.iter(f"{NS}termSec"):
                parts = [_name(c) for c in ts]
                if parts[:1] != ["term"] or not (ts[0].text or "").strip():
                    err(ts, "termSec starts with a non-empty term")
                rest = parts[1:]
                notes_end = next((i for i, n in enumerate(rest) if n not in ("termNote", "termNoteGrp")), len(rest))
                if any(n not in AUX for n in rest[notes_end:]):
                    err(ts, f"termSec order {parts}")
        for grp in entry.iter(f"{NS}descripGrp"):
            if _name(grp[0]) != "descrip":
                err(grp, "descripGrp starts with descrip")
        for note in entry.iter(f"{NS}termNote"):
            if note.get("type") == "administrativeStatus" and note.text not in STATUSES:
                err(note, f"administrativeStatus {note.text!r}")
            if note.get("type") == "termType" and note.text not in TERM_TYPES:
                err(note, f"termType {note.text!r}")
    return errors


@pytest.fixture(scope="module")
def seed_doc() -> dict:
    seed = load_seed()
    return document(seed["sources"], seed["terms"])


@pytest.fixture(scope="module")
def seed_tbx(seed_doc: dict) -> etree._Element:
    data = writer("tbx")[0](seed_doc)
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def test_export_is_structurally_valid_tbx_basic(seed_tbx: etree._Element) -> None:
    assert tbx_basic_errors(seed_tbx) == []


def test_checker_catches_broken_structure(seed_tbx: etree._Element) -> None:
    broken = etree.fromstring(etree.tostring(seed_tbx))
    entry = broken.find(f"{NS}text/{NS}body/{NS}conceptEntry")
    entry.append(etree.Element(f"{NS}descrip", type="colour"))
    assert any("colour" in e for e in tbx_basic_errors(broken))
    assert any("then one or more langSec" in e for e in tbx_basic_errors(broken))


def test_checker_catches_data_categories_at_the_wrong_level(seed_tbx: etree._Element) -> None:
    broken = etree.fromstring(etree.tostring(seed_tbx))
    entry = broken.find(f"{NS}text/{NS}body/{NS}conceptEntry")
    grp = etree.Element(f"{NS}descripGrp")
    etree.SubElement(grp, f"{NS}descrip", type="context").text = "a sentence"
    entry.insert(0, grp)
    sec = entry.find(f"{NS}langSec")
    etree.SubElement(sec.find(f"{NS}termSec"), f"{NS}descrip", type="subjectField").text = "cyber"
    errors = tbx_basic_errors(broken)
    assert any("context only in a termSec" in e for e in errors)
    assert any("subjectField only in a conceptEntry" in e for e in errors)


def _tbx(doc: dict) -> etree._Element:
    data = writer("tbx")[0](doc)
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def test_excerpt_in_a_language_without_a_term_goes_to_the_chinese_term() -> None:
    doc = document(
        [{"id": "s1", "title": "A Japanese article", "language": "ja"}],
        [
            {
                "slug": "wangluo-zhuquan",
                "simplified": "网络主权",
                "translations": [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}],
                "excerpts": [{"source": "s1", "text": "中国はサイバー主権を唱える。", "locator": "p. 2"}],
                "definitions": [{"lang": "fr", "text": "Souveraineté d'un État sur son cyberespace."}],
            }
        ],
    )
    root = _tbx(doc)
    assert tbx_basic_errors(root) == []
    [context] = root.findall(f".//{NS}descrip[@type='context']")
    term_sec = context.getparent().getparent()
    assert _name(term_sec) == "termSec" and term_sec.findtext(f"{NS}term") == "网络主权"
    assert context.get(LANG) == "ja"
    [back] = read("tbx", etree.tostring(root)).document["terms"]
    assert back["excerpts"] == [{"source": "s1", "text": "中国はサイバー主権を唱える。", "locator": "p. 2"}]


def test_empty_glossary_is_refused_not_written_as_invalid_tbx(
    app, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(Unwritable, match="at least one conceptEntry"):
        writer("tbx")[0](document([], []))
    assert main(["export", "--format", "tbx"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "glossary export: error: there are no terms to export, and a TBX file needs at least one conceptEntry\n"
    )
    response = app.test_client().get("/api/v1/export?format=tbx")
    assert response.status_code == 409
    assert "at least one conceptEntry" in response.get_json()["detail"]


def test_one_concept_entry_per_term_with_languages(seed_doc: dict, seed_tbx: etree._Element) -> None:
    entries = seed_tbx.findall(f"{NS}text/{NS}body/{NS}conceptEntry")
    assert len(entries) == len(seed_doc["terms"])
    for term, entry in zip(seed_doc["terms"], entries, strict=True):
        langs = [sec.get(LANG) for sec in entry.findall(f"{NS}langSec")]
        assert {"zh-Hans", "zh-Hant"} <= set(langs)
        assert {t["lang"] for t in term.get("translations", [])} <= set(langs)
        assert len(langs) == len(set(langs))


def test_term_mapping_in_detail(seed_doc: dict, seed_tbx: etree._Element) -> None:
    entry = seed_tbx.find(f"{NS}text/{NS}body/{NS}conceptEntry[@id='wangluo-zhuquan']")
    term = next(t for t in seed_doc["terms"] if t["slug"] == "wangluo-zhuquan")
    zh = entry.find(f"{NS}langSec[@{LANG}='zh-Hans']/{NS}termSec")
    assert zh.findtext(f"{NS}term") == "网络主权"
    assert zh.findtext(f"{NS}termNote[@type='administrativeStatus']") == "preferredTerm-admn-sts"
    en = entry.findall(f"{NS}langSec[@{LANG}='en']/{NS}termSec")
    status = {ts.findtext(f"{NS}term"): ts.findtext(f"{NS}termNote") for ts in en}
    assert status["cyber sovereignty"] == "preferredTerm-admn-sts"
    assert status["internet sovereignty"] == "admittedTerm-admn-sts"
    contexts = entry.findall(f".//{NS}descrip[@type='context']")
    assert len(contexts) == len(term["excerpts"])
    grp = contexts[0].getparent()
    admin = grp.find(f"{NS}admin[@type='source']")
    assert admin is not None and admin.get("target", "").startswith("source.")
    assert entry.find(f"{NS}langSec/{NS}descripGrp/{NS}descrip[@type='definition']") is not None
    refs = entry.findall(f"{NS}ref[@type='crossReference']")
    assert {r.text for r in refs} == {r["slug"] for r in term.get("related", [])}


def test_own_export_reads_back_as_drafts(seed_doc: dict) -> None:
    reading = read("tbx", writer("tbx")[0](seed_doc))
    assert reading.new_only
    terms = reading.document["terms"]
    assert len(terms) == len(seed_doc["terms"])
    assert all(t["status"] == "draft" for t in terms)
    back = next(t for t in terms if t["slug"] == "wangluo-zhuquan")
    before = next(t for t in seed_doc["terms"] if t["slug"] == "wangluo-zhuquan")
    assert [(t["text"], t["status"], t.get("source")) for t in back["translations"]] == [
        (t["text"], t["status"], t.get("source")) for t in before["translations"]
    ]
    assert {e["text"] for e in back["excerpts"]} == {e["text"] for e in before["excerpts"]}
    assert reading.notes[0] == f"{len(terms)} of {len(terms)} entries mapped to new draft terms"


IATE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>IATE export</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="IATE-1">
      <descripGrp><descrip type="subjectField">INTERNATIONAL RELATIONS</descrip></descripGrp>
      <langSet xml:lang="zh">
        <tig><term>数字丝绸之路</term><termNote type="termType">fullForm</termNote></tig>
      </langSet>
      <langSet xml:lang="en">
        <descripGrp>
          <descrip type="definition">Digital component of the Belt and Road Initiative.</descrip>
          <admin type="source">Belt and Road white paper, 2023</admin>
        </descripGrp>
        <tig>
          <term>Digital Silk Road</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <descrip type="reliabilityCode">3</descrip>
        </tig>
        <tig><term>DSR</term><termNote type="termType">abbreviation</termNote></tig>
      </langSet>
      <langSet xml:lang="fr">
        <ntig><termGrp><term>Route de la soie numérique</term>
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termGrp></ntig>
      </langSet>
    </termEntry>
    <termEntry id="IATE-2">
      <langSet xml:lang="en"><tig><term>acquis</term></tig></langSet>
    </termEntry>
    <termEntry id="IATE-3">
      <langSet xml:lang="zh-TW"><tig><term>網路主權</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>cyber sovereignty</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_iate_style_tbx_maps_what_it_can_and_says_what_it_skipped() -> None:
    reading = read("tbx", IATE.encode())
    terms = reading.document["terms"]
    assert [t["simplified"] for t in terms] == ["数字丝绸之路", "网络主权"]
    gsi = terms[0]
    assert gsi["status"] == "draft" and "slug" not in gsi
    assert gsi["tags"] == ["international-relations"]
    assert gsi["translations"] == [
        {"lang": "en", "text": "Digital Silk Road", "status": "preferred"},
        {"lang": "en", "text": "DSR", "status": "alternative", "note": "TBX termType: abbreviation"},
        {"lang": "fr", "text": "Route de la soie numérique", "status": "alternative"},
    ]
    source = gsi["definitions"][0]["source"]
    assert {"id": source, "title": "Belt and Road white paper, 2023"}.items() <= reading.document["sources"][0].items()
    assert terms[1]["forms"] == [{"text": "網路主權", "tag": "zh-TW"}]
    notes = "\n".join(reading.notes)
    assert "2 of 3 entries mapped" in notes
    assert "termEntry 'IATE-2' (line 28): no Chinese term; skipped" in notes
    assert "skipped: 1 reliabilityCode" in notes


LINKED = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>IATE export</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="IATE-1">
      <descripGrp>
        <descrip type="subjectField">international affairs; information technology and data processing</descrip>
      </descripGrp>
      <langSet xml:lang="en">
        <descripGrp>
          <descrip type="definition">Digital component of the Belt and Road Initiative.</descrip>
          <admin type="sourceOfDefinition">Council of the EU, 2021</admin>
        </descripGrp>
        <ntig>
          <termGrp>
            <term>Digital Silk Road</term>
            <termNote type="termType">fullForm</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termGrp>
          <admin type="sourceOfTerm">EEAS working document</admin>
          <descripGrp>
            <descrip type="context">China promotes the Digital Silk Road in Africa.</descrip>
            <admin type="sourceOfContext">EEAS, China strategic outlook</admin>
          </descripGrp>
        </ntig>
      </langSet>
      <langSet xml:lang="zh">
        <tig><term>数字丝绸之路</term><admin type="sourceOfTerm">Xinhua</admin></tig>
      </langSet>
      <ref type="crossReference" target="IATE-2">digital economy</ref>
      <ref type="crossReference" target="IATE-3">acquis</ref>
      <ref type="crossReference" target="IATE-4">cyber sovereignty</ref>
      <ref type="crossReference" target="IATE-99">elsewhere</ref>
    </termEntry>
    <termEntry id="IATE-2">
      <langSet xml:lang="zh"><tig><term>数字经济</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>digital economy</term></tig></langSet>
      <ref type="crossReference" target="IATE-1">Digital Silk Road</ref>
    </termEntry>
    <termEntry id="IATE-3">
      <langSet xml:lang="en">
        <descripGrp>
          <descrip type="definition">The body of EU law.</descrip>
          <admin type="sourceOfDefinition">Cited only by a skipped entry</admin>
        </descripGrp>
        <tig><term>acquis</term></tig>
      </langSet>
    </termEntry>
    <termEntry id="IATE-4">
      <langSet xml:lang="zh"><tig><term>网络主权</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_foreign_tbx_links_sources_term_types_and_subjects() -> None:
    reading = read("tbx", LINKED.encode())
    terms = {t["simplified"]: t for t in reading.document["terms"]}
    assert set(terms) == {"数字丝绸之路", "数字经济", "网络主权"}
    dsr, economy = terms["数字丝绸之路"], terms["数字经济"]
    assert economy["slug"] == "shuzi-jingji" and terms["网络主权"]["slug"] == "wangluo-zhuquan"
    assert dsr["related"] == [
        {"slug": "shuzi-jingji", "type": "related"},
        {"slug": "wangluo-zhuquan", "type": "related"},
    ]
    assert "slug" in dsr and economy["related"] == [{"slug": dsr["slug"], "type": "related"}]
    assert dsr["tags"] == ["information-technology-and-data-processing", "international-affairs"]
    titles = {s["id"]: s["title"] for s in reading.document["sources"]}
    assert set(titles.values()) == {"Council of the EU, 2021", "EEAS working document", "EEAS, China strategic outlook"}
    assert titles[dsr["definitions"][0]["source"]] == "Council of the EU, 2021"
    assert titles[dsr["translations"][0]["source"]] == "EEAS working document"
    assert titles[dsr["excerpts"][0]["source"]] == "EEAS, China strategic outlook"
    notes = "\n".join(reading.notes)
    assert "3 crossReference" in notes and "2 subjectField" in notes
    skipped = next(n for n in reading.notes if n.startswith("skipped: "))
    assert "1 crossReference to a skipped entry" in skipped
    assert "1 crossReference to an entry not in the file" in skipped
    assert "1 termType fullForm (the default)" in skipped
    assert "1 source of a Chinese term" in skipped
    assert "definition" not in skipped  # IATE-3's definition went with its entry


def test_cli_links_new_entries_to_terms_already_in_the_glossary(
    seeded, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "linked.tbx"
    path.write_text(LINKED, "utf-8")
    assert main(["import", str(path)]) == 0
    captured = capsys.readouterr()
    assert "2 created" in captured.out
    assert "网络主权 is already the term 'wangluo-zhuquan'; skipped" in captured.err
    assert main(["export"]) == 0
    terms = {t["simplified"]: t for t in json.loads(capsys.readouterr().out)["terms"]}
    assert {r["slug"] for r in terms["数字丝绸之路"]["related"]} == {"shuzi-jingji", "wangluo-zhuquan"}


def test_cli_imports_only_new_entries(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "iate.tbx"
    path.write_text(IATE, "utf-8")
    assert main(["import", str(path)]) == 0
    captured = capsys.readouterr()
    assert "1 created" in captured.out
    assert "网络主权 is already the term 'wangluo-zhuquan'; skipped" in captured.err.replace("網路主權", "网络主权")
    assert "no Chinese term" in captured.err


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<martif><text><body><termEntry><langSet xml:lang="zh"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""


def test_billion_laughs_is_rejected() -> None:
    with pytest.raises(FormatError, match="(?i)entit"):
        read("tbx", BILLION_LAUGHS)


def test_external_entity_is_rejected_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>
<martif><text><body><termEntry><langSet xml:lang="zh"><tig><term>网络&xxe;</term></tig></langSet>
</termEntry></body></text></martif>""".encode()
    with pytest.raises(FormatError) as exc:
        read("tbx", data)
    assert "TOP-SECRET" not in str(exc.value)


def test_external_dtd_is_not_loaded() -> None:
    data = IATE.replace('SYSTEM "TBXcoreStructV02.dtd"', 'SYSTEM "http://127.0.0.1:9/none.dtd"').encode()
    assert len(read("tbx", data).document["terms"]) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<martif><text><body><termEntry></body></text></martif>", "line 1: malformed XML"),
        (b"<html><body/></html>", "line 1: root element <html> is not TBX"),
        (b"<tbx>\n<text><body/></text></tbx>", "line 1: no conceptEntry or termEntry found"),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<martif>\n<p>caf\xe9</p></martif>'.encode("latin-1"), "line 3"),
        (b"", "line 1: malformed XML"),
    ],
)
def test_bad_xml_names_the_line(data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as exc:
        read("tbx", data)
    assert str(exc.value).startswith(message)


def test_deep_nesting_is_refused() -> None:
    data = b"<martif>" + b"<a>" * 300_000 + b"</a>" * 300_000 + b"</martif>"
    with pytest.raises(FormatError, match="malformed XML"):
        read("tbx", data)


STREAMED = """
import resource, sys
from glossary import formats
n = int(sys.argv[1])
entry = ('<termEntry id="e{i}"><langSet xml:lang="zh"><tig><term>政策{i}</term></tig></langSet>'
         + '<descrip type="padding">{i}</descrip>' * 40 + '</termEntry>')
data = ('<martif type="TBX"><text><body>' + "".join(entry.format(i=i) for i in range(n))
        + '</body></text></martif>').encode()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
reading = formats.read("tbx", data)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(len(data), len(reading.document["terms"]), grown * 1024)
"""


def test_a_large_file_is_read_entry_by_entry_not_held_as_one_tree() -> None:
    """A 61 MB TBX file of 35,000 entries took 580 MB as one lxml tree (its import peaked at
    856 MiB). Read as a stream, each entry freed once mapped, the peak grows by less than the
    file's own size (held as one tree, this 16 MB file grew it by 131 MiB)."""
    run = subprocess.run([sys.executable, "-c", STREAMED, "10000"], capture_output=True, text=True, check=True)
    size, terms, grown = map(int, run.stdout.split())
    assert terms == 10_000
    assert grown < size, f"reading {size:,} bytes grew the peak RSS by {grown:,} bytes"


# ---------------------------------------------------------------- the official TBX-Basic validation files


def _broken_example() -> bytes:
    """The official valid example with three TBX-Basic violations the core structure allows
    and one structural error: a context at concept level, an admin type the dialect has not,
    an element of another namespace (DCT style), and a descrip after the langSecs."""
    tree = etree.parse(str(tbxcheck.VALID_EXAMPLE))
    entry = tree.getroot().find(f"{NS}text/{NS}body/{NS}conceptEntry")
    etree.SubElement(entry, f"{NS}descrip", type="context").text = "a sentence at concept level"
    etree.SubElement(entry, f"{NS}admin", type="colour").text = "blue"
    etree.SubElement(entry, "{urn:example:dct}subjectField").text = "astronomy"
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


@needs_shared()
def test_validators_accept_the_official_valid_example() -> None:
    data = tbxcheck.VALID_EXAMPLE.read_bytes()
    assert tbxcheck.relaxng_errors(data) == []
    assert tbxcheck.schematron_errors(data) == []
    fired = tbxcheck.schematron_report(data).findall(f"{tbxcheck.SVRL}fired-rule")
    assert len(fired) > 1000  # every element and typed attribute was checked, not just the root


@needs_shared()
def test_validators_catch_a_broken_copy_of_the_example() -> None:
    data = _broken_example()
    assert any("Expecting element langSec, got descrip" in e for e in tbxcheck.relaxng_errors(data))
    errors = tbxcheck.schematron_errors(data)
    assert len(errors) == 3, errors
    assert any(e.startswith("/context/ may only appear at level(s): termSec at ") for e in errors)
    assert any(e.startswith("Permitted type value(s): customerSubset, projectSubset, source") for e in errors)
    assert any(e.startswith("DCT style elements are not permitted in DCA style TBX") for e in errors)


@needs_shared()
def test_schematron_evaluates_xpath_2() -> None:
    """The source rule tests `contains(./local-name(), 'Grp')`, XPath 2 only: a source in a
    descripGrp of a termSec passes, one in a transacGrp (excluded by that test) fails."""
    tree = etree.parse(str(tbxcheck.VALID_EXAMPLE))
    term_sec = tree.getroot().find(f".//{NS}termSec")
    for group in ("descripGrp", "transacGrp"):
        grp = etree.SubElement(term_sec, f"{NS}{group}")
        etree.SubElement(grp, f"{NS}admin", type="source").text = f"a source in a {group}"
    [error] = tbxcheck.schematron_errors(etree.tostring(tree))
    assert error.startswith("/source/ may only appear at level(s): conceptEntry, langSec, termSec at ")
    assert "transacGrp" in error


@needs_shared()
def test_seed_export_is_valid_tbx_basic(seed_doc: dict) -> None:
    data = writer("tbx")[0](seed_doc)
    assert tbxcheck.relaxng_errors(data) == []
    assert tbxcheck.schematron_errors(data) == []


EDGE_CASES = document(
    [
        {"id": "s1", "title": "A Japanese article", "language": "ja"},
        {"id": "s2", "title": "Xinhua", "author": "Xinhua", "date": "2024-05-01", "url": "https://example.org/a"},
    ],
    [
        {
            "slug": "2024-lianghui",  # starts with a digit: the concept id gets a prefix
            "simplified": "两会",
            "traditional": "兩會",
            "pinyin": "liǎnghuì",
            "forms": [
                {"text": "两会制度", "tag": "zh-Hans"},
                {"text": "兩會制度", "tag": "zh-Hant"},
                {"text": "全国两会", "tag": "zh-Hans", "type": "full"},
                {"text": "人大政协两会", "tag": "zh-Hans", "type": "older", "note": "older"},
                {"text": "全國兩會", "tag": "zh-TW", "note": "as Taiwanese media write it"},
                {"text": "兩會期間", "tag": "zh-HK"},
            ],
            "translations": [
                {"lang": "en", "text": "Two Sessions", "status": "official", "source": "s2", "from": "1990"},
                {"lang": "en", "text": "the two meetings", "status": "deprecated", "until": "2000", "note": "old"},
                {"lang": "de", "text": "Zwei Tagungen", "status": "alternative"},
            ],
            "definitions": [
                {"lang": "en", "text": "The annual plenary sessions of the NPC and the CPPCC.", "source": "s2"},
                {"lang": "fr", "text": "Les sessions annuelles de l'APN et de la CCPPC."},
            ],
            "excerpts": [
                {"source": "s1", "text": "両会が開幕した。", "locator": "p. 1", "translation": "The sessions opened."},
                {"source": "s2", "text": "The Two Sessions\u00a0opened in  Beijing.", "lang": "en"},
                {"source": "s2", "text": "两会开幕。", "lang": "zh-Hans"},
            ],
            "tags": ["politics", "npc"],
            "note": "A note\non two lines.",
            "annotation_policy": "confirm",
            "policy_note": "also the two meetings of any body",
            "first_use": {"date": "1990-03", "source": "s2", "locator": "p. 4", "note": "the first\nsession"},
            "related": [{"slug": "wangluo-zhuquan", "type": "related"}],
        },
        {"slug": "wangluo-zhuquan", "simplified": "网络主权", "traditional": "網絡主權", "status": "draft"},
    ],
)


@needs_shared()
def test_every_kind_of_field_exports_as_valid_tbx_basic() -> None:
    data = writer("tbx")[0](EDGE_CASES)
    assert tbxcheck.relaxng_errors(data) == []
    assert tbxcheck.schematron_errors(data) == []


# what TBX-Basic has no data category for (kind, status; drafts on import) and the relation type
# (crossReference has none) are documented as not exported; everything else comes back
NOT_CARRIED = ("kind", "status")


def _carried(term: dict, languages: dict[str, str]) -> dict:
    """A term as TBX carries it: list order aside, relations without their type, and an
    excerpt's language as the one it is in (its own, else its source's)."""

    def same_order(items: list) -> list:
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))

    out = {k: v for k, v in term.items() if k not in NOT_CARRIED}
    out["related"] = sorted(r["slug"] for r in term.get("related", []))
    out["excerpts"] = [
        {**e, "lang": e.get("lang") or languages.get(e["source"]) or "en"} for e in term.get("excerpts", [])
    ]
    for name in ("forms", "translations", "definitions", "excerpts", "tags"):
        out[name] = same_order(out.get(name, []))
    return out


@pytest.mark.parametrize("which", ["seed", "every kind of field"])
def test_round_trip_keeps_every_field_tbx_basic_can_carry(which: str, seed_doc: dict) -> None:
    doc = seed_doc if which == "seed" else EDGE_CASES
    back = read("tbx", writer("tbx")[0](doc)).document
    languages = {s["id"]: s.get("language") for s in doc["sources"]}
    assert sorted(back["sources"], key=lambda s: s["id"]) == sorted(doc["sources"], key=lambda s: s["id"])
    assert [t["slug"] for t in back["terms"]] == [t["slug"] for t in doc["terms"]]
    for before, after in zip(doc["terms"], back["terms"], strict=True):
        assert after["status"] == "draft"
        assert _carried(after, languages) == _carried(before, languages), before["slug"]


def test_a_source_only_the_first_use_cites_comes_back_and_a_missing_one_is_reported() -> None:
    doc = document(
        [{"id": "s9", "title": "Cited only for the first use"}],
        [{"slug": "wangluo-zhuquan", "simplified": "网络主权", "first_use": {"date": "2015", "source": "s9"}}],
    )
    data = writer("tbx")[0](doc)
    reading = read("tbx", data)
    assert reading.document["sources"] == doc["sources"]
    assert reading.document["terms"][0]["first_use"] == {"date": "2015", "source": "s9"}
    root = etree.fromstring(data)
    back = root.find(f"{NS}text/{NS}back")
    back.getparent().remove(back)
    reading = read("tbx", etree.tostring(root))
    assert reading.document["terms"][0]["first_use"] == {"date": "2015"}
    assert "1 first use source not in the file" in reading.notes[-1]


def test_first_use_notes_of_older_exports_are_dropped_as_before() -> None:
    doc = document([], [{"slug": "wangluo-zhuquan", "simplified": "网络主权"}])
    root = etree.fromstring(writer("tbx")[0](doc))
    entry = root.find(f"{NS}text/{NS}body/{NS}conceptEntry")
    note = etree.Element(f"{NS}note")
    note.text = "first use: 2017 (cb-2024, para. 3)"
    entry.insert(0, note)
    [term] = read("tbx", etree.tostring(root)).document["terms"]
    assert "first_use" not in term and "note" not in term


@needs_shared()
def test_exports_of_the_seeded_glossary_are_valid_tbx_basic(seeded, capsys: pytest.CaptureFixture) -> None:
    """What users download: `glossary export --format tbx` and GET /api/v1/export?format=tbx."""
    assert main(["export", "--format", "tbx"]) == 0
    from_cli = capsys.readouterr().out.encode("utf-8")
    response = seeded.test_client().get("/api/v1/export?format=tbx")
    assert response.status_code == 200
    for data in (from_cli, response.data):
        assert len(etree.fromstring(data).findall(f"{NS}text/{NS}body/{NS}conceptEntry")) >= 167
        assert tbxcheck.relaxng_errors(data) == []
        assert tbxcheck.schematron_errors(data) == []


def test_form_types_map_to_tbx_term_types_and_the_policy_to_concept_notes() -> None:
    root = etree.fromstring(writer("tbx")[0](EDGE_CASES))
    types = {
        sec.findtext(f"{NS}term"): sec.findtext(f"{NS}termNote[@type='termType']") for sec in root.iter(f"{NS}termSec")
    }
    assert types["全国两会"] == "fullForm" and types["人大政协两会"] == "variant" and types["两会制度"] == "variant"
    notes = [n.text for n in root.find(f"{NS}text/{NS}body/{NS}conceptEntry").findall(f"{NS}note")]
    assert "annotation policy: confirm" in notes
