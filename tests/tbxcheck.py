"""Validate TBX against the official TBX files in ../shared/standards/tbx: the core structure's
RELAX NG schema (lxml) and the TBX-Basic dialect's Schematron rules (XPath 2).

The Schematron rules are compiled to XSLT with the ISO Schematron skeleton stylesheets that lxml
ships (lxml/isoschematron, XSLT 1.0 stylesheets, so nothing is fetched from the web) and run by
Saxon (saxonche), an XSLT 3 processor.  The skeleton accepts only XSLT 1 query bindings, so the
schema is compiled as ``xslt`` and the generated stylesheet is then declared version 2.0: Saxon
evaluates its XPath as XPath 2, as the schema's ``queryBinding="xslt2"`` asks.  The generated
stylesheet uses nothing beyond templates, ``xsl:if`` and ``xsl:choose``, which mean the same in
both versions.  tests/test_formats_tbx.py proves the pair on the dialect's official valid example
and on deliberately broken copies of it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.isoschematron
from conftest import SHARED
from lxml import etree

if TYPE_CHECKING:
    from saxonche import PySaxonProcessor, PyXsltExecutable

STANDARDS = SHARED / "standards" / "tbx"
CORE_RNG = STANDARDS / "TBXcoreStructV03.rng"
BASIC_SCH = STANDARDS / "TBX-Basic_DCA.sch"
VALID_EXAMPLE = STANDARDS / "Example_Astronomy_DCA_VALID.tbx"
SKELETON = Path(lxml.isoschematron.__file__).parent / "resources" / "xsl" / "iso-schematron-xslt1"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
# the root of the generated stylesheet, as the skeleton writes it
_GENERATED_VERSION = ' version="1.0"><!--Implementers'


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


@cache
def _core_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(CORE_RNG)))


def relaxng_errors(data: bytes) -> list[str]:
    """The core RELAX NG schema's complaints about a TBX file ([] when it is valid)."""
    schema = _core_schema()
    if schema.validate(_parse(data)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def _schematron() -> tuple[PySaxonProcessor, PyXsltExecutable]:
    """Saxon and the TBX-Basic rules compiled to a stylesheet that writes an SVRL report."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor()
    text = BASIC_SCH.read_text(encoding="utf-8-sig")
    if text.count('queryBinding="xslt2"') != 1:
        raise RuntimeError(f"{BASIC_SCH} no longer declares queryBinding xslt2: check this compiler still fits")
    node = processor.parse_xml(xml_text=text.replace('queryBinding="xslt2"', 'queryBinding="xslt"'))
    for step in ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl"):
        compiled = xslt.compile_stylesheet(stylesheet_file=str(SKELETON / step)).transform_to_string(xdm_node=node)
        node = processor.parse_xml(xml_text=compiled)
    if compiled.count(_GENERATED_VERSION) != 1:
        raise RuntimeError("the skeleton's generated stylesheet changed shape: cannot declare it XSLT 2")
    stylesheet = compiled.replace(_GENERATED_VERSION, _GENERATED_VERSION.replace("1.0", "2.0"))
    return processor, xslt.compile_stylesheet(stylesheet_text=stylesheet)


def schematron_report(data: bytes) -> etree._Element:
    """The SVRL report of the TBX-Basic Schematron rules on a TBX file."""
    processor, validator = _schematron()
    node = processor.parse_xml(xml_text=data.decode("utf-8"))
    return _parse(validator.transform_to_string(xdm_node=node).encode("utf-8"))


def schematron_errors(data: bytes) -> list[str]:
    """Each failed assertion of the TBX-Basic rules, with where it failed ([] when valid)."""
    report = schematron_report(data)
    if not report.findall(f"{SVRL}fired-rule"):
        raise AssertionError("no Schematron rule fired: the validator checked nothing")
    return [
        f"{' '.join(f.findtext(f'{SVRL}text', '').split())} at {f.get('location')}"
        for f in report.iter(f"{SVRL}failed-assert")
    ]
