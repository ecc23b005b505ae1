"""What the TBX reader and writer share: the namespace, the marker of our own exports, the ids
they give concepts and sources, how a first use is written as notes, and XML parsing that never
expands entities nor touches the network."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from .. import FormatError

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = "glossary/1"
# our export writes a term's annotation policy (and why) as concept-level notes, and a curated
# form's type as a note on its termSec; TBX-Basic's termType says what it can (abbreviation,
# fullForm, else variant)
POLICY_NOTE = "annotation policy: "
POLICY_REASON_NOTE = "annotation policy note: "
FORM_TYPE_NOTE = "form type: "
PROOF_NOTE = "proof: "  # a translation's excerpt: the passage of its source that shows it
TBX_TERM_TYPE = {"abbreviation": "abbreviation", "full": "fullForm"}


def labelled(notes: list[str], label: str) -> tuple[str | None, list[str]]:
    """The value of the first note that starts with label, and the other notes."""
    value, rest = None, []
    for note in notes:
        if value is None and note.startswith(label):
            value = note[len(label) :]
        else:
            rest.append(note)
    return value, rest


# our export writes a term's first use as concept-level notes with these labels, and reads them back
FIRST_USE_NOTES = {
    "date": "first use: ",
    "source": "first use source: ",
    "locator": "first use locator: ",
    "note": "first use note: ",
    "basis": "first use basis: ",
    "scope": "first use scope: ",
    "excerpt": "first use excerpt: ",
}
# glossary/1's date: YYYY, YYYY-MM or YYYY-MM-DD
_DATE_OK = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
PINYIN_LANG = "zh-Latn-pinyin"


def concept_id(slug: str) -> str:
    """xml:id values must not start with a digit; slugs may."""
    return slug if slug[0].isalpha() else f"_{slug}"


def source_ref(source_id: str) -> str:
    """Sources live in the same ID space as concepts; the dot keeps them apart (slugs have none)."""
    return f"source.{source_id}"


# No entity expansion, no DTD loading, no network, default size limits.
PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "dtd_validation": False,
}


def stream(data: bytes, tags: tuple[str, ...], visit: Callable[[etree._Element], None]) -> etree._Element:
    """Parse well-formed XML without entity declarations, or raise FormatError naming the line;
    call ``visit`` with each element of these local names (any namespace or none) once it is
    whole, then free it (and the siblings before it), and return the root with what is left.
    Streamed with lxml's iterparse, so a large file is never held as one tree (a 61 MB TBX file
    took 580 MB as one). Malformed XML and entity declarations are found only once the whole
    file is read, so ``visit`` must only collect: a caller acts once stream has returned."""
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=[f"{{*}}{t}" for t in tags], **PARSER_OPTIONS)
    try:
        for _, el in events:
            visit(el)
            _let_go(el)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise FormatError([{"path": f"line {line}", "message": f"malformed XML: {exc.msg}"}]) from None
    root: etree._Element = events.root
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise FormatError(
            [{"path": "line 1", "message": "the document declares XML entities; they are not allowed in an import"}]
        )
    return root


def _let_go(el: etree._Element) -> None:
    el.clear(keep_tail=False)
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def text_of(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def category(el: etree._Element) -> str:
    """DCA style names a data category in @type; DCT style in the element name."""
    name = local(el)
    if name in ("descrip", "termNote", "admin", "ref", "xref", "transac", "adminNote", "descripNote"):
        return el.get("type") or name
    return name


def lang_of(el: etree._Element, default: str | None = None) -> str | None:
    return el.get(XML_LANG) or el.get("lang") or default


def first_use_from_notes(notes: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The first use our export wrote as labelled concept notes, and the other notes.  A first-use
    note without a date the glossary accepts (exports before the labelled notes wrote
    "first use: 2017 (source, locator)") is dropped, as it always was."""
    found: dict[str, str] = {}
    rest = []
    for note in notes:
        key = next((k for k, label in FIRST_USE_NOTES.items() if note.startswith(label)), None)
        if key is None:
            rest.append(note)
        else:
            found[key] = note[len(FIRST_USE_NOTES[key]) :]
    if not _DATE_OK.match(found.get("date", "")):
        return {}, rest
    return found, rest


def zh_kind(lang: str) -> str | None:
    """'hans', 'hant', 'tw', 'hk', 'pinyin' or None for a language tag."""
    low = lang.lower()
    if not (low == "zh" or low.startswith(("zh-", "zho", "chi", "cmn"))):
        return None
    if "latn" in low or "pinyin" in low:
        return "pinyin"
    if low.endswith(("-tw",)) or "-tw-" in low:
        return "tw"
    if low.endswith(("-hk", "-mo")):
        return "hk"
    if "hant" in low:
        return "hant"
    return "hans"
