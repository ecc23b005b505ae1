"""TBX export: TBX-Basic in DCA style, valid against the TBX core RELAX NG schema and the
TBX-Basic Schematron rules (tests/test_formats_tbx.py checks both).

One conceptEntry per term with a langSec for zh-Hans, zh-Hant (plus zh-TW and zh-HK where the term
has regional forms), pinyin as zh-Latn-pinyin, and every translation language; the mapping is
documented in docs/interchange.md.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .. import Unwritable
from ..glossary1 import default_form_type
from .common import (
    FIRST_USE_NOTES,
    FORM_TYPE_NOTE,
    GENERATOR,
    NS,
    PINYIN_LANG,
    POLICY_NOTE,
    POLICY_REASON_NOTE,
    PROOF_NOTE,
    TBX_TERM_TYPE,
    XML_LANG,
    concept_id,
    source_ref,
)

# what a TBX-Basic file must satisfy since the dialect's release 1.2.1, named as its own example
# names them: the core structure (RELAX NG) and the dialect's rules (Schematron).  The older
# integrated RELAX NG schema predates the core's titleStmt and no longer describes the dialect.
SCHEMA_PIS = (
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng" '
    'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" '
    'type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"',
)
STATUS_TO_TBX = {
    "official": "preferredTerm-admn-sts",
    "preferred": "preferredTerm-admn-sts",
    "alternative": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
REGIONAL = {"zh-TW": "zh-TW", "zh-HK": "zh-HK"}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for k, v in attrs.items():
        el.set(XML_LANG if k == "lang" else k, v)
    if text is not None:
        el.text = text
    return el


def _source_admin(parent: etree._Element, source: str | None, titles: dict[str, str]) -> None:
    if source:
        _el(parent, "admin", titles.get(source, source), type="source", target=source_ref(source))


def _term_sec(parent: etree._Element, text: str, status: str | None = None, **notes: str) -> etree._Element:
    sec = _el(parent, "termSec")
    _el(sec, "term", text)
    if status:
        _el(sec, "termNote", status, type="administrativeStatus")
    for kind, value in notes.items():
        _el(sec, "termNote", value, type=kind)
    return sec


def _form_sec(parent: etree._Element, form: dict[str, Any], status: str, **notes: str) -> etree._Element:
    """A curated form's termSec, with its type and note (termNotes come first, then the notes)."""
    kind = form.get("type") or default_form_type(form["tag"])
    if "termType" in notes:
        notes["termType"] = TBX_TERM_TYPE.get(kind, "variant")
    sec = _term_sec(parent, form["text"], status, **notes)
    if kind != default_form_type(form["tag"]):
        _el(sec, "note", FORM_TYPE_NOTE + kind)
    if form.get("note"):
        _el(sec, "note", form["note"])
    return sec


def _context(parent: etree._Element, excerpt: dict[str, Any], titles: dict[str, str], lang: str | None = None) -> None:
    grp = _el(parent, "descripGrp")
    if lang:
        _el(grp, "descrip", excerpt["text"], type="context", lang=lang)
    else:
        _el(grp, "descrip", excerpt["text"], type="context")
    _source_admin(grp, excerpt["source"], titles)
    if excerpt.get("locator"):
        _el(grp, "note", f"locator: {excerpt['locator']}")
    if excerpt.get("translation"):
        _el(grp, "note", f"translation: {excerpt['translation']}")


def _definition(parent: etree._Element, definition: dict[str, Any], titles: dict[str, str]) -> None:
    if definition.get("source"):
        grp = _el(parent, "descripGrp")
        _el(grp, "descrip", definition["text"], type="definition")
        _source_admin(grp, definition["source"], titles)
    else:
        _el(parent, "descrip", definition["text"], type="definition")


def _excerpt_lang(excerpt: dict[str, Any], source_langs: dict[str, str]) -> str:
    lang = excerpt.get("lang") or source_langs.get(excerpt["source"]) or "en"
    return "zh-Hans" if lang in ("zh", "zh-CN", "zh-Hans") else lang


def _concept(
    body: etree._Element, term: dict[str, Any], ids: set[str], titles: dict[str, Any], source_langs: dict[str, Any]
) -> None:
    entry = _el(body, "conceptEntry", id=concept_id(term["slug"]))
    for tag in term.get("tags", []):
        _el(entry, "descrip", tag, type="subjectField")
    if term.get("note"):
        _el(entry, "note", term["note"])
    if term.get("annotation_policy", "auto") != "auto":
        _el(entry, "note", POLICY_NOTE + term["annotation_policy"])
        if term.get("policy_note"):
            _el(entry, "note", POLICY_REASON_NOTE + term["policy_note"])
    if term.get("first_use"):
        fu = term["first_use"]
        for key, label in FIRST_USE_NOTES.items():
            if fu.get(key):
                _el(entry, "note", label + fu[key])
    for rel in term.get("related", []):
        target = concept_id(rel["slug"])
        if target in ids:
            _el(entry, "ref", rel["slug"], type="crossReference", target=target)
    by_lang: dict[str, list[etree._Element]] = {}
    excerpts = [(e, _excerpt_lang(e, source_langs)) for e in term.get("excerpts", [])]
    definitions: dict[str, list[dict[str, Any]]] = {}
    for d in term.get("definitions", []):
        definitions.setdefault(d["lang"], []).append(d)

    def lang_sec(lang: str) -> etree._Element:
        sec = _el(entry, "langSec", lang=lang)
        for d in definitions.pop(lang, []):
            _definition(sec, d, titles)
        return sec

    zh = lang_sec("zh-Hans")
    by_lang["zh-Hans"] = [_term_sec(zh, term["simplified"], "preferredTerm-admn-sts")]
    for f in term.get("forms", []):
        if f["tag"] == "zh-Hans":
            by_lang["zh-Hans"].append(_form_sec(zh, f, "admittedTerm-admn-sts", termType="variant"))
    hant = lang_sec("zh-Hant")
    by_lang["zh-Hant"] = [_term_sec(hant, term.get("traditional") or term["simplified"], "preferredTerm-admn-sts")]
    for f in term.get("forms", []):
        if f["tag"] == "zh-Hant":
            by_lang["zh-Hant"].append(_form_sec(hant, f, "admittedTerm-admn-sts", termType="variant"))
    for tag in REGIONAL:
        forms = [f for f in term.get("forms", []) if f["tag"] == tag]
        if forms:
            sec = lang_sec(tag)
            by_lang[tag] = [_form_sec(sec, f, "preferredTerm-admn-sts") for f in forms]
    if term.get("pinyin"):
        _term_sec(lang_sec(PINYIN_LANG), term["pinyin"])
    translations: dict[str, list[dict[str, Any]]] = {}
    for t in term.get("translations", []):
        translations.setdefault(t["lang"], []).append(t)
    for lang, items in translations.items():
        sec = lang_sec(lang)
        by_lang[lang] = []
        for t in items:
            ts = _term_sec(sec, t["text"], STATUS_TO_TBX[t["status"]])
            _source_admin(ts, t.get("source"), titles)
            if t["status"] == "official":
                _el(ts, "note", "official rendering")
            if t.get("from") or t.get("until"):
                _el(ts, "note", f"in use from {t.get('from') or '?'} until {t.get('until') or '?'}")
            if t.get("note"):
                _el(ts, "note", t["note"])
            if t.get("excerpt"):
                _el(ts, "note", PROOF_NOTE + t["excerpt"])
            by_lang[lang].append(ts)
    for lang, defs in definitions.items():  # definitions in a language with no term of its own
        for d in defs:
            grp = _el(entry, "descripGrp")
            _el(grp, "descrip", d["text"], type="definition", lang=lang)
            _source_admin(grp, d.get("source"), titles)
    for excerpt, lang in excerpts:
        home = by_lang.get(lang)
        if home:
            _context(home[0], excerpt, titles)
        else:  # TBX-Basic allows context only in a termSec: the Chinese term's, in the excerpt's language
            _context(by_lang["zh-Hans"][0], excerpt, titles, lang)
    # TBX wants concept-level information before the langSecs
    langsecs = [c for c in entry if etree.QName(c).localname == "langSec"]
    for c in langsecs:
        entry.remove(c)
        entry.append(c)


def _back(text: etree._Element, sources: list[dict[str, Any]]) -> None:
    if not sources:
        return
    back = _el(text, "back")
    sec = _el(back, "refObjectSec", type="sources")
    for s in sources:
        obj = _el(sec, "refObject", id=source_ref(s["id"]))
        for key in ("title", "author", "publisher", "container", "date", "url", "language", "note"):
            if s.get(key):
                _el(obj, "item", s[key], type=key)


def write(doc: dict[str, Any]) -> bytes:
    if not doc["terms"]:
        raise Unwritable("there are no terms to export, and a TBX file needs at least one conceptEntry")
    root = etree.Element(f"{{{NS}}}tbx", nsmap={None: NS})
    root.set("style", "dca")
    root.set("type", "TBX-Basic")
    root.set(XML_LANG, "en")
    header = _el(root, "tbxHeader")
    desc = _el(header, "fileDesc")
    # the core schema's order: publicationStmt, titleStmt, sourceDesc
    pub = _el(desc, "publicationStmt")
    _el(pub, "p", f"{len(doc['terms'])} concepts exported from the glossary", type="extent")
    title = _el(desc, "titleStmt")
    _el(title, "title", "Glossary of Chinese Communist Party political language")
    src = _el(desc, "sourceDesc")
    _el(src, "p", GENERATOR, type="generator")
    _el(src, "p", "Each concept is one glossary term; its id is the term's slug.")
    text = _el(root, "text")
    body = _el(text, "body")
    ids = {concept_id(t["slug"]) for t in doc["terms"] if t.get("slug")}
    titles = {s["id"]: s["title"] for s in doc.get("sources", [])}
    source_langs = {s["id"]: s.get("language") or "en" for s in doc.get("sources", [])}
    for term in doc["terms"]:
        _concept(body, term, ids, titles, source_langs)
    _back(text, doc.get("sources", []))
    for pi in SCHEMA_PIS:
        root.addprevious(etree.ProcessingInstruction("xml-model", pi))
    written: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return written
