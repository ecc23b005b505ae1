"""SKOS (Turtle or JSON-LD) for linked-data and library tools, written and read with rdflib.

Each term is a skos:Concept in one skos:ConceptScheme; labels carry BCP 47 language tags
(zh-Hans, zh-Hant, zh-TW, zh-HK, zh-Latn-pinyin, en …); sources are dct:BibliographicResource
nodes the concepts cite with dct:source.  The mapping is documented in docs/interchange.md.
Reading never fetches anything: JSON-LD with a remote @context is refused.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from typing import Any

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from . import FormatError, Reading, decode_text, drop_dangling_relations, locate
from .glossary1 import FIRST_USE_SCOPES, FORMAT, default_form_type, validate_document

# how a source's fields are written as (and read back from) Dublin Core
SOURCE_PROPERTIES = (
    ("author", DCTERMS.creator),
    ("publisher", DCTERMS.publisher),
    ("container", DCTERMS.bibliographicCitation),
    ("date", DCTERMS.date),
    ("language", DCTERMS.language),
    ("note", SKOS.note),
)

# What SKOS has no word for: a term's annotation policy (and its reason), and the type of a form.
# A typed form is an skos:altLabel as any other, and also the object of GL["form-TYPE"]
# (gl:form-abbreviation …), declared rdfs:subPropertyOf skos:altLabel.
GL = Namespace("https://example.invalid/glossary-1#")
FORM_TYPE_PROPERTIES = {
    GL[f"form-{kind}"]: kind
    for kind in ("script", "abbreviation", "full", "older", "punctuation", "formula-spelling", "variant")
}

DEFAULT_BASE = "http://127.0.0.1:8000/terms/"
PINYIN = "zh-Latn-pinyin"
RELATION = {"broader": SKOS.broader, "narrower": SKOS.narrower}
_SLUG_OK = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANG_OK = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# what read() maps (or, for skos:example, counts as skipped); every other predicate is counted
READ_PREDICATES = {
    RDF.type,
    SKOS.inScheme,
    SKOS.notation,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SKOS.definition,
    SKOS.example,
    SKOS.broader,
    SKOS.narrower,
    SKOS.related,
    SKOS.editorialNote,
    DCTERMS.subject,
    DCTERMS.source,
    GL.annotationPolicy,
    GL.policyNote,
    *FORM_TYPE_PROPERTIES,
}
_CONTEXT = {
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "rdfs": str(RDFS),
    "gl": str(GL),
}


def _iris(base: str) -> tuple[Namespace, Namespace, URIRef]:
    base = base if base.endswith("/") else base + "/"
    root = base.rsplit("/terms/", 1)[0] + "/" if "/terms/" in base else base
    return Namespace(base), Namespace(root + "sources/"), URIRef(root + "glossary")


def _cited(term: dict[str, Any]) -> set[str]:
    refs = {t.get("source") for t in term.get("translations", [])}
    refs |= {d.get("source") for d in term.get("definitions", [])}
    refs |= {e["source"] for e in term.get("excerpts", [])}
    refs.add((term.get("first_use") or {}).get("source"))
    return {r for r in refs if r}


def graph(doc: dict[str, Any], base: str | None = None) -> Graph:
    concept, source, scheme = _iris(base or DEFAULT_BASE)
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("term", concept)
    g.bind("src", source)
    g.bind("gl", GL)
    used_types: set[URIRef] = set()
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("Glossary of Chinese Communist Party political language", lang="en")))
    slugs = {t["slug"] for t in doc["terms"] if t.get("slug")}
    source_langs = {s["id"]: s.get("language") or "en" for s in doc.get("sources", [])}
    for s in doc.get("sources", []):
        node = source[s["id"]]
        g.add((node, RDF.type, DCTERMS.BibliographicResource))
        g.add((node, DCTERMS.identifier, Literal(s["id"])))
        g.add((node, DCTERMS.title, Literal(s["title"])))
        for key, prop in SOURCE_PROPERTIES:
            if s.get(key):
                g.add((node, prop, Literal(s[key])))
        if s.get("url"):
            g.add((node, RDFS.seeAlso, URIRef(s["url"])))
    for t in doc["terms"]:
        node = concept[t["slug"]]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, Literal(t["slug"])))
        g.add((node, SKOS.prefLabel, Literal(t["simplified"], lang="zh-Hans")))
        g.add((node, SKOS.prefLabel, Literal(t.get("traditional") or t["simplified"], lang="zh-Hant")))
        for f in t.get("forms", []):
            label = Literal(f["text"], lang=f["tag"])
            g.add((node, SKOS.altLabel, label))
            if (kind := f.get("type") or default_form_type(f["tag"])) != default_form_type(f["tag"]):
                used_types.add(GL[f"form-{kind}"])
                g.add((node, GL[f"form-{kind}"], label))
        if (policy := t.get("annotation_policy") or "auto") != "auto":
            g.add((node, GL.annotationPolicy, Literal(policy)))
        if t.get("policy_note"):
            g.add((node, GL.policyNote, Literal(t["policy_note"])))
        if t.get("pinyin"):
            g.add((node, SKOS.altLabel, Literal(t["pinyin"], lang=PINYIN)))
        pref_langs = {x["lang"] for x in t.get("translations", []) if x["status"] == "preferred"}
        for x in t.get("translations", []):
            label = Literal(x["text"], lang=x["lang"])
            if x["status"] == "preferred" or (x["status"] == "official" and x["lang"] not in pref_langs):
                pref_langs.add(x["lang"])
                g.add((node, SKOS.prefLabel, label))
            elif x["status"] == "deprecated":
                g.add((node, SKOS.hiddenLabel, label))
            else:
                g.add((node, SKOS.altLabel, label))
        for d in t.get("definitions", []):
            g.add((node, SKOS.definition, Literal(d["text"], lang=d["lang"])))
        for e in t.get("excerpts", []):
            g.add((node, SKOS.example, Literal(e["text"], lang=e.get("lang") or source_langs.get(e["source"]))))
        for sid in sorted(_cited(t)):
            g.add((node, DCTERMS.source, source[sid]))
        for r in t.get("related", []):
            if r["slug"] in slugs:
                g.add((node, RELATION.get(r["type"], SKOS.related), concept[r["slug"]]))
        for tag in t.get("tags", []):
            g.add((node, DCTERMS.subject, Literal(tag)))
        if t.get("note"):
            g.add((node, SKOS.editorialNote, Literal(t["note"])))
        if t.get("first_use"):
            fu = t["first_use"]
            where = ", ".join(x for x in (fu.get("source"), fu.get("locator")) if x)
            claim = f"First use{' ' + FIRST_USE_SCOPES[fu['scope']] if fu.get('scope') else ''}: {fu['date']}"
            basis = f"; {fu['basis']}" if fu.get("basis") else ""
            g.add((node, SKOS.historyNote, Literal(claim + (f" ({where}{basis})" if where else ""))))
    for prop in used_types:
        g.add((prop, RDFS.subPropertyOf, SKOS.altLabel))
    return g


def write(doc: dict[str, Any], syntax: str, base: str | None = None) -> bytes:
    g = graph(doc, base)
    if syntax == "json-ld":
        value = json.loads(g.serialize(format="json-ld", context=_CONTEXT))
        return (json.dumps(_stable(value), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return g.serialize(format="turtle", encoding="utf-8")


def _stable(value: object) -> object:
    """RDF has no order, so JSON-LD arrays may be sorted: the same glossary gives the same bytes."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


# ---------------------------------------------------------------- import


def _remote_context(value: object, path: str = "") -> str | None:
    """The path of the first @context or @import that names a URL (which rdflib would fetch)."""
    if isinstance(value, dict):
        for k, v in value.items():
            here = f"{path}.{k}" if path else k
            if k in ("@context", "@import"):
                items = v if isinstance(v, list) else [v]
                if any(isinstance(i, str) for i in items):
                    return here
            if (found := _remote_context(v, here)) is not None:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if (found := _remote_context(v, f"{path}[{i}]")) is not None:
                return found
    return None


def _parse(data: bytes, syntax: str) -> Graph:
    text = decode_text(data)
    g = Graph()
    if syntax == "json-ld":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(
                [{"path": f"line {exc.lineno} column {exc.colno}", "message": f"invalid JSON: {exc.msg}"}]
            ) from None
        except RecursionError:
            raise FormatError([{"path": "", "message": "JSON nested too deeply"}]) from None
        if (where := _remote_context(value)) is not None:
            raise FormatError(
                [{"path": where, "message": "a remote JSON-LD context is not fetched; inline the context"}]
            )
        try:
            with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
                warnings.simplefilter("ignore", DeprecationWarning)
                g.parse(data=value, format="json-ld")
        except Exception as exc:  # rdflib raises many kinds; all mean the same to the user
            raise FormatError([{"path": "", "message": f"invalid JSON-LD: {exc}"}]) from None
        return g
    try:
        g.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib's BadSyntax and friends
        raise FormatError([_turtle_error(exc)]) from None
    return g


def _turtle_error(exc: Exception) -> dict[str, str]:
    """Where and why, in the file's own characters: rdflib's message quotes the input as Python
    bytes literals ("\\xe6\\xb5\\x8b…"), which no reader can use."""
    why, raw, at = getattr(exc, "_why", None), getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(why, str) and isinstance(raw, bytes) and isinstance(at, int):  # BadSyntax
        before = raw[:at].decode("utf-8", "replace")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        near = " ".join((before[-20:] + raw[at : at + 20].decode("utf-8", "ignore")).split())
        return {"path": f"line {line} column {column}", "message": f"invalid Turtle: {why} (near {near!r})"}
    message = str(exc)
    m = re.search(r"at line (\d+)", message)
    reason = " ".join(message.split())
    reason = re.split(r"\bb['\"]|\\x[0-9a-f]{2}", reason)[0].rstrip(" :,(") or type(exc).__name__
    return {"path": f"line {m.group(1)}" if m else "", "message": f"invalid Turtle: {reason[:200]}"}


def _zh(tag: str | None) -> str | None:
    if not tag:
        return None
    low = tag.lower()
    if not (low == "zh" or low.startswith("zh-")):
        return None
    if "latn" in low or "pinyin" in low:
        return "pinyin"
    for marker, kind in (("-tw", "zh-TW"), ("-hk", "zh-HK"), ("-mo", "zh-HK"), ("hant", "zh-Hant")):
        if marker in low:
            return kind
    return "zh-Hans"


def _qname(g: Graph, predicate: Node) -> str:
    """ex:colour when the file (or rdflib) binds a prefix for the namespace, else the full IRI."""
    try:
        prefix, _, name = g.namespace_manager.compute_qname(str(predicate), generate=False)
    except (KeyError, ValueError):
        return f"<{predicate}>"
    return f"{prefix}:{name}"


def _slug_of(node: Node) -> str | None:
    tail = str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail if _SLUG_OK.match(tail) else None


def read(data: bytes, syntax: str) -> Reading:
    g = _parse(data, syntax)
    concepts = sorted(set(g.subjects(RDF.type, SKOS.Concept)), key=str)
    if not concepts:
        raise FormatError([{"path": "", "message": "no skos:Concept found"}])
    skipped: Counter[str] = Counter()
    notes: list[str] = []
    sources: dict[str, dict[str, Any]] = {}
    for node in g.subjects(RDF.type, DCTERMS.BibliographicResource):
        sid = str(g.value(node, DCTERMS.identifier) or _slug_of(node) or "")
        title = g.value(node, DCTERMS.title)
        if _SLUG_OK.match(sid) and title:
            src = {"id": sid, "title": str(title)}
            for key, prop in SOURCE_PROPERTIES:
                if (value := g.value(node, prop)) is not None:
                    src[key] = str(value)
            if (url := g.value(node, RDFS.seeAlso)) is not None:
                src["url"] = str(url)
            sources[str(node)] = src
    # our own export names each concept BASE/SLUG with skos:notation SLUG; other IRIs give no slug
    slugs = {c: _slug_of(c) if _slug_of(c) == str(g.value(c, SKOS.notation)) else None for c in concepts}
    terms, where = [], []
    for c in concepts:
        label = f"concept <{c}>"
        prefs = list(g.objects(c, SKOS.prefLabel))
        alts = list(g.objects(c, SKOS.altLabel))
        hidden = list(g.objects(c, SKOS.hiddenLabel))
        simplified = next((str(x) for x in prefs if _zh(getattr(x, "language", None)) == "zh-Hans"), None)
        if simplified is None:
            notes.append(f"{label}: no zh-Hans prefLabel; skipped")
            continue
        term: dict[str, Any] = {"simplified": simplified, "status": "draft"}
        if slugs[c]:
            term["slug"] = slugs[c]
        forms, translations = [], []
        typed = {
            (str(x), _zh(getattr(x, "language", None))): kind
            for p, kind in FORM_TYPE_PROPERTIES.items()
            for x in g.objects(c, p)
        }
        for x in dict.fromkeys(prefs + alts + hidden):  # an official and a preferred item may share a label
            lang = getattr(x, "language", None)
            kind = _zh(lang)
            text = str(x)
            if kind == "pinyin":
                term.setdefault("pinyin", text)
            elif kind == "zh-Hant" and x in prefs and "traditional" not in term:
                term["traditional"] = text
            elif kind and text != simplified:
                form = {"text": text, "tag": kind}
                if (text, kind) in typed:
                    form["type"] = typed[(text, kind)]
                forms.append(form)
            elif kind is None and lang and _LANG_OK.match(lang):
                status = "preferred" if x in prefs else "deprecated" if x in hidden else "alternative"
                translations.append({"lang": lang, "text": text, "status": status})
            elif kind is None:
                skipped["label without a language tag"] += 1
        term["forms"] = sorted({(f["text"], f["tag"]): f for f in forms}.values(), key=lambda f: (f["tag"], f["text"]))
        term["translations"] = translations
        definitions = []
        for d in g.objects(c, SKOS.definition):
            lang = getattr(d, "language", None) or "en"
            definitions.append({"lang": lang, "text": str(d)})
        term["definitions"] = definitions
        skipped["skos:example (no source per example)"] += len(list(g.objects(c, SKOS.example)))
        related = []
        for prop, kind in ((SKOS.broader, "broader"), (SKOS.narrower, "narrower"), (SKOS.related, "related")):
            for other in g.objects(c, prop):
                if slugs.get(other) and term.get("slug"):
                    related.append({"slug": slugs[other], "type": kind})
                else:
                    skipped[f"{kind} link outside the file"] += 1
        term["related"] = related
        subjects = [str(s).lower() for s in g.objects(c, DCTERMS.subject)]
        term["tags"] = sorted({t for t in subjects if _SLUG_OK.match(t)})
        skipped["dct:subject that is not a tag (lower-case words joined by -)"] += sum(
            1 for t in subjects if not _SLUG_OK.match(t)
        )
        for p in g.predicates(c):
            if p not in READ_PREDICATES:
                skipped[_qname(g, p)] += 1
        if (policy := g.value(c, GL.annotationPolicy)) is not None:
            term["annotation_policy"] = str(policy)
        if (policy_note := g.value(c, GL.policyNote)) is not None:
            term["policy_note"] = str(policy_note)
        editorial = [str(n) for n in g.objects(c, SKOS.editorialNote)]
        if editorial:
            term["note"] = "\n".join(sorted(editorial))
        terms.append({k: v for k, v in term.items() if v not in ([], None, "")})
        where.append(label)
    drop_dangling_relations(terms)
    doc = {"format": FORMAT, "sources": sorted(sources.values(), key=lambda s: s["id"]), "terms": terms}
    try:
        validate_document(doc)
    except FormatError as exc:
        raise FormatError([{**e, "path": locate(e["path"], where)} for e in exc.errors]) from None
    summary = [f"{len(terms)} of {len(concepts)} concepts mapped to new draft terms; {len(sources)} sources"]
    if counted := [f"{n} {k}" for k, n in sorted(skipped.items()) if n]:
        summary.append("skipped: " + ", ".join(counted))
    return Reading(doc, where, summary + notes, new_only=True)
