"""TBX import: TBX v3 (``<tbx>``, DCA or DCT style) and TBX v2 / IATE-style (``<martif>``) files
become *new draft* entries, with a summary of what was mapped and what was skipped.  The mapping
is documented in docs/interchange.md.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from .. import FormatError, Reading, drop_dangling_relations, locate
from ..glossary1 import FORMAT, default_form_type, schema, validate_document
from .common import (
    FORM_TYPE_NOTE,
    POLICY_NOTE,
    POLICY_REASON_NOTE,
    PROOF_NOTE,
    category,
    first_use_from_notes,
    labelled,
    lang_of,
    local,
    source_ref,
    stream,
    text_of,
    zh_kind,
)
from .outline import ENTRY_TAGS, SLUG_OK, Outline

_LANG_OK = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_IN_USE = re.compile(r"^in use from (?P<from>[0-9-]+|\?) until (?P<until>[0-9-]+|\?)$")
# IATE and other TBX v2 termbases name the source of each kind of information apart
SOURCE_CATEGORIES = ("source", "sourceOfDefinition", "sourceOfContext", "sourceOfTerm")


def _status(value: str) -> str:
    v = value.lower()
    if v.startswith(("preferred", "standardized", "normative", "legal", "regulated")):
        return "preferred"
    if v.startswith(("deprecated", "superseded", "obsolete")):
        return "deprecated"
    return "alternative"


def _tag(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


@cache
def _to_simplified(kind: str) -> Any:  # opencc.OpenCC, imported lazily and untyped
    """OpenCC with regional phrases: zh-TW 網路主權 becomes 网络主权, not 网路主权."""
    import opencc

    return opencc.OpenCC({"tw": "tw2sp", "hk": "hk2s"}.get(kind, "t2s"))


@dataclass
class _Context:
    """State for one file: sources found, entry ids, what was skipped."""

    ours: bool
    refobjects: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    mapped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def text(self, el: etree._Element) -> str:
        """Our own export is read verbatim (excerpts are quotations, notes keep their lines);
        other files' whitespace is layout and is collapsed."""
        return "".join(el.itertext()) if self.ours else text_of(el)

    def source_language(self, source_id: str) -> str:
        return self.sources.get(source_id, {}).get("language") or "en"

    def source_for(self, admin: etree._Element | None) -> str | None:
        """A source id: the refObject an admin points to, else a source made from its text."""
        if admin is None:
            return None
        target = admin.get("target") or ""
        if target in self.refobjects:
            obj = self.refobjects[target]
            self.sources.setdefault(obj["id"], obj)
            source_id: str = obj["id"]
            return source_id
        text = text_of(admin)
        if not text:
            return None
        sid = f"tbx-{_tag(text)[:40].strip('-')}-{hashlib.sha1(text.encode()).hexdigest()[:6]}".replace("--", "-")
        self.sources.setdefault(sid, {"id": sid, "title": text, "note": "Source named in an imported TBX file."})
        return sid


@dataclass
class _Bits:
    definitions: list[dict[str, Any]] = field(default_factory=list)
    contexts: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    source: str | None = None


def _aux(el: etree._Element, lang: str | None, ctx: _Context, bits: _Bits) -> None:
    """Concept-, language- or term-level information other than the terms themselves."""
    name = local(el)
    cat = category(el)
    if name == "descripGrp":
        main = next((c for c in el if local(c) in ("descrip",) or category(c) in ("definition", "context")), None)
        if main is None:
            ctx.skipped["descripGrp without descrip"] += 1
            return
        admin = next((c for c in el if category(c) in SOURCE_CATEGORIES), None)
        notes = [ctx.text(c) for c in el if local(c) == "note"]
        _descrip(main, lang, ctx, bits, ctx.source_for(admin), notes)
        for c in el:
            if c is not main and c is not admin and local(c) not in ("note",):
                ctx.skipped[category(c)] += 1
        return
    if name == "descrip" or cat in ("definition", "context", "subjectField"):
        _descrip(el, lang, ctx, bits, None, [])
    elif cat in SOURCE_CATEGORIES:
        bits.source = ctx.source_for(el)
    elif name == "note":
        bits.notes.append(ctx.text(el))
    elif cat == "crossReference":
        target = el.get("target")
        if target:
            bits.refs.append(target)
        else:
            ctx.skipped["crossReference without target"] += 1
    else:
        ctx.skipped[cat] += 1


def _descrip(
    el: etree._Element, lang: str | None, ctx: _Context, bits: _Bits, source: str | None, notes: list[str]
) -> None:
    cat = category(el)
    text = ctx.text(el) if cat != "subjectField" else text_of(el)
    lang = lang_of(el, lang)
    if not text:
        return
    if cat == "definition":
        d = {"lang": lang or "en", "text": text}
        if source:
            d["source"] = source
        bits.definitions.append(d)
        ctx.mapped["definition"] += 1
    elif cat == "context":
        extra = dict(n.split(": ", 1) for n in notes if n.startswith(("locator: ", "translation: ")))
        c = {"text": text, "source": source, "lang": lang, **extra}
        bits.contexts.append(c)
    elif cat == "subjectField":  # IATE lists several: "international affairs; information technology"
        for subject in re.split(r"[;；]", text):
            if _tag(subject):
                bits.tags.append(_tag(subject))
                ctx.mapped["subjectField"] += 1
    else:
        ctx.skipped[cat] += 1


@dataclass
class _Term:
    text: str
    lang: str
    status: str | None
    bits: _Bits
    term_type: str | None = None


TERM_NOTES = (
    "administrativeStatus",
    "termType",
    "partOfSpeech",
    "grammaticalGender",
    "geographicalUsage",
    "termLocation",
)


def _term_unit(unit: etree._Element, lang: str, ctx: _Context) -> _Term | None:
    """A termSec (v3), tig or ntig (v2): the term, its status and its own information."""
    bits = _Bits()
    term_el = None
    status = term_type = None
    pending = list(unit)
    while pending:
        c = pending.pop(0)
        if not isinstance(c.tag, str):
            continue
        name, cat = local(c), category(c)
        if name == "term" and term_el is None:
            term_el = c
        elif name in ("termGrp", "termNoteGrp"):
            pending[:0] = list(c)
        elif cat == "administrativeStatus":
            status = _status(text_of(c))
        elif cat == "termType":
            term_type = text_of(c)
        elif name == "termNote" or cat in TERM_NOTES:
            ctx.skipped[cat] += 1
        else:
            _aux(c, lang, ctx, bits)
    if term_el is None or not text_of(term_el):
        ctx.skipped[f"{local(unit)} without term"] += 1
        return None
    return _Term(ctx.text(term_el), lang, status, bits, term_type)


def _terms(sec: etree._Element, lang: str, ctx: _Context, bits: _Bits) -> list[_Term]:
    out = []
    for child in sec:
        if not isinstance(child.tag, str):
            continue
        if local(child) in ("termSec", "tig", "ntig"):
            term = _term_unit(child, lang, ctx)
            if term is not None:
                out.append(term)
        else:
            _aux(child, lang, ctx, bits)
    return out


def _type_note(t: _Term, ctx: _Context, main: bool = False) -> str | None:
    """What a termType says, as a note for a form or translation; counted either way."""
    if not t.term_type:
        return None
    if t.term_type == "fullForm":
        ctx.skipped["termType fullForm (the default)"] += 1
        return None
    if main:
        ctx.skipped["termType of the main Chinese term"] += 1
        return None
    ctx.mapped["termType"] += 1
    if ctx.ours and t.term_type == "variant":  # our export marks curated forms so; the form says it
        return None
    return f"TBX termType: {t.term_type}"


def _entry(entry: etree._Element, ctx: _Context, default_lang: str) -> tuple[dict[str, Any], list[str]] | str:
    """A glossary/1 term and the ids its crossReferences target, or the reason the entry was skipped."""
    bits = _Bits()
    terms: list[_Term] = []
    for child in entry:
        name = local(child)
        if name in ("langSec", "langSet"):
            lang = lang_of(child)
            if not lang:
                ctx.skipped[f"{name} without xml:lang"] += 1
                continue
            terms += _terms(child, lang, ctx, bits)
        elif isinstance(child.tag, str):
            _aux(child, default_lang, ctx, bits)
    by_kind: dict[str, list[_Term]] = {}
    for t in terms:
        by_kind.setdefault(zh_kind(t.lang) or "other", []).append(t)
    hans = sorted(by_kind.get("hans", []), key=lambda t: t.status != "preferred")
    hant = by_kind.get("hant", []) + by_kind.get("tw", []) + by_kind.get("hk", [])
    if not hans and not hant:
        return "no Chinese term"
    term: dict[str, Any] = {"status": "draft"}
    main = hans[0] if hans else hant[0]
    if hans:
        term["simplified"] = main.text
    else:
        term["simplified"] = _to_simplified(zh_kind(main.lang) or "hant").convert(main.text)
        ctx.notes.append(f"{term['simplified']}: simplified form derived with OpenCC from {main.text}")
    forms = []
    for t in hans[1:]:
        forms.append((t, {"text": t.text, "tag": "zh-Hans"}))
    for kind, tag in (("hant", "zh-Hant"), ("tw", "zh-TW"), ("hk", "zh-HK")):
        for t in by_kind.get(kind, []):
            if kind == "hant" and "traditional" not in term and t.status in (None, "preferred"):
                term["traditional"] = t.text
                if t is not main:
                    _type_note(t, ctx, main=True)
            else:
                forms.append((t, {"text": t.text, "tag": tag}))
    _type_note(main, ctx, main=True)
    seen = {term["simplified"], term.get("traditional")}
    term["forms"] = []
    for t, form in forms:
        if t is main:
            pass  # its termType is counted above
        elif form["text"] in seen:
            _type_note(t, ctx, main=True)  # the same text as the main term
        elif note := _type_note(t, ctx):
            form["note"] = note
        if ctx.ours:  # a curated form's type (the tag's default unless noted) and own note
            noted, notes = labelled(t.bits.notes, FORM_TYPE_NOTE)
            valid = noted in schema()["$defs"]["form"]["properties"]["type"]["enum"]
            form["type"] = noted if noted is not None and valid else default_form_type(form["tag"])
            if notes:
                form["note"] = "\n".join(notes)
        if form["text"] not in seen:
            seen.add(form["text"])
            term["forms"].append(form)
    for t in by_kind.get("hans", []) + hant:
        if t.bits.source:
            ctx.skipped["source of a Chinese term"] += 1
    if bits.source:
        ctx.skipped["source of a whole entry or language section"] += 1
    if by_kind.get("pinyin"):
        term["pinyin"] = by_kind["pinyin"][0].text
    translations = []
    preferred: set[str] = set()
    for t in by_kind.get("other", []):
        if not _LANG_OK.match(t.lang):
            ctx.skipped[f"term in unsupported language {t.lang!r}"] += 1
            continue
        status = t.status or "alternative"
        if ctx.ours and "official rendering" in t.bits.notes:
            status = "official"
        if status == "preferred":
            if t.lang in preferred:
                status = "alternative"
            preferred.add(t.lang)
        tr = {"lang": t.lang, "text": t.text, "status": status}
        if t.bits.source:
            tr["source"] = t.bits.source
        notes = []
        for n in t.bits.notes:
            if ctx.ours and n.startswith(PROOF_NOTE):
                tr["excerpt"] = n[len(PROOF_NOTE) :]
            elif ctx.ours and (m := _IN_USE.match(n)):
                tr.update({k: v for k, v in m.groupdict().items() if v != "?"})
            elif not (ctx.ours and n == "official rendering"):
                notes.append(n)
        if type_note := _type_note(t, ctx):
            notes.append(type_note)
        if notes:
            tr["note"] = "\n".join(notes)
        translations.append(tr)
        ctx.mapped["translation"] += 1
    term["translations"] = translations
    everything = [bits, *(t.bits for t in terms)]
    term["definitions"] = [d for b in everything for d in b.definitions if _LANG_OK.match(d["lang"])]
    excerpts = []
    for b in everything:
        for c in b.contexts:
            if not c["source"]:
                ctx.skipped["context without a source"] += 1
                continue
            e = {"source": c["source"], "text": c["text"]}
            for k in ("locator", "translation"):
                if c.get(k):
                    e[k] = c[k]
            # our export files an excerpt under its language; the source's language is the default
            lang = c.get("lang")
            if lang and _LANG_OK.match(lang) and (not ctx.ours or lang != ctx.source_language(c["source"])):
                e["lang"] = lang
            excerpts.append(e)
            ctx.mapped["context"] += 1
    term["excerpts"] = excerpts
    term["tags"] = sorted(set(bits.tags))
    notes = bits.notes
    if ctx.ours:
        policy, notes = labelled(notes, POLICY_NOTE)
        reason, notes = labelled(notes, POLICY_REASON_NOTE)
        # our export writes the policy when it is not auto: a term without the note is auto
        term["annotation_policy"] = policy if policy in ("confirm", "never") else "auto"
        if reason and policy in ("confirm", "never"):
            term["policy_note"] = reason
        first_use, notes = first_use_from_notes(notes)
        if first_use.get("source"):
            if (obj := ctx.refobjects.get(source_ref(first_use["source"]))) is not None:
                ctx.sources.setdefault(obj["id"], obj)
            else:
                del first_use["source"]
                ctx.skipped["first use source not in the file"] += 1
        if first_use:
            term["first_use"] = first_use
    if notes:
        term["note"] = "\n".join(notes)
    return {k: v for k, v in term.items() if v not in ([], None, "")}, bits.refs


def _derived_slug(term: dict[str, Any], taken: set[str]) -> str:
    """The slug import would give the term (its pinyin's words), unique within the file."""
    from ...text.pinyin import slugify, to_pinyin
    from ...text.segment import shared_segmenter

    base = slugify(term.get("pinyin") or to_pinyin(term["simplified"], shared_segmenter())) or "term"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _relate(
    terms: list[dict[str, Any]], refs: list[list[str]], entry_ids: list[str | None], ctx: _Context, every: set[str]
) -> None:
    """crossReferences between entries of the file become relations; the targets need slugs.

    Our own exports give each entry its slug; other files' targets get the slug their pinyin
    gives.  A reference to an entry that was skipped, or that is not in the file, is counted."""
    index = {eid: i for i, eid in enumerate(entry_ids) if eid}
    wanted = {index[r] for rs in refs for r in rs if r in index}
    taken = {t["slug"] for t in terms if t.get("slug")}
    for i in sorted(wanted):
        if not terms[i].get("slug"):
            terms[i]["slug"] = _derived_slug(terms[i], taken)
            taken.add(terms[i]["slug"])
    for term, targets in zip(terms, refs, strict=True):
        related = []
        for r in targets:
            if r in index and terms[index[r]] is not term:
                related.append({"slug": terms[index[r]]["slug"], "type": "related"})
                ctx.mapped["crossReference"] += 1
            elif r in index:
                ctx.skipped["crossReference to its own entry"] += 1
            elif r in every:
                ctx.skipped["crossReference to a skipped entry"] += 1
            else:
                ctx.skipped["crossReference to an entry not in the file"] += 1
        if related:
            term["related"] = related


def read(data: bytes) -> Reading:
    """Two streamed passes (common.stream): the outline, then the entries one by one, so the
    file is never held as one tree."""
    outline = Outline()
    root = stream(data, (*ENTRY_TAGS, "p", "refObject"), outline.visit)
    name = local(root)
    if name not in ("tbx", "martif"):
        raise FormatError(
            [{"path": f"line {root.sourceline}", "message": f"root element <{name}> is not TBX (<tbx> or <martif>)"}]
        )
    if not outline.entries:
        raise FormatError([{"path": f"line {root.sourceline}", "message": "no conceptEntry or termEntry found"}])
    ours = outline.ours
    ctx = _Context(ours=ours, refobjects=outline.refobjects if ours else {})
    terms: list[dict[str, Any]] = []
    where: list[str] = []
    refs: list[Any] = []
    entry_ids: list[str | None] = []
    default_lang = lang_of(root) or "en"

    def entry(e: etree._Element) -> None:
        label = (
            f"{local(e)} {e.get('id')!r} (line {e.sourceline})" if e.get("id") else f"{local(e)} (line {e.sourceline})"
        )
        tallies = (Counter(ctx.mapped), Counter(ctx.skipped))
        result = _entry(e, ctx, default_lang)
        if isinstance(result, str):
            ctx.mapped, ctx.skipped = tallies  # the entry is reported as a whole, not piece by piece
            ctx.notes.append(f"{label}: {result}; skipped")
            return
        term, targets = result
        slug = (e.get("id") or "").removeprefix("_")
        if ours and SLUG_OK.match(slug):
            term["slug"] = slug
        terms.append(term)
        where.append(label)
        refs.append(targets)
        entry_ids.append(e.get("id"))

    stream(data, ENTRY_TAGS, entry)
    _relate(terms, refs, entry_ids, ctx, outline.entry_ids)
    drop_dangling_relations(terms)
    cited = {
        x["source"]
        for t in terms
        for name in ("translations", "definitions", "excerpts")
        for x in t.get(name, [])
        if x.get("source")
    } | {t["first_use"]["source"] for t in terms if t.get("first_use", {}).get("source")}
    sources = sorted((s for s in ctx.sources.values() if s["id"] in cited), key=lambda s: s["id"])
    doc = {"format": FORMAT, "sources": sources, "terms": terms}
    try:
        validate_document(doc)
    except FormatError as exc:
        raise FormatError([{**e, "path": locate(e["path"], where)} for e in exc.errors]) from None
    summary = [f"{len(terms)} of {outline.entries} entries mapped to new draft terms"]
    if ctx.mapped:
        summary.append("mapped: " + ", ".join(f"{n} {k}" for k, n in sorted(ctx.mapped.items())))
    if sources:
        summary.append(f"sources: {len(sources)}")
    if ctx.skipped:
        summary.append("skipped: " + ", ".join(f"{n} {k}" for k, n in sorted(ctx.skipped.items())))
    return Reading(doc, where, summary + ctx.notes, new_only=True)
