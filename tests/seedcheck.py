"""Provenance and consistency checks for the seed glossary.

Used by the test suite and runnable by hand while curating seed data:
``python tests/seedcheck.py`` prints every problem found in seed/*.json.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seed"
SHARED = ROOT.parent / "shared"
SCHEMA = ROOT / "glossary" / "formats" / "glossary-1.schema.json"
SOURCE_FILES = ROOT / "tests" / "data" / "source_files.json"
TONE_MARKS = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]", re.I)


def normalise_ws(text: str) -> str:
    """Collapse whitespace runs to one space: the only change allowed before comparing."""
    return " ".join(text.split())


def load_seed(seed_dir: Path = SEED_DIR) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(seed_dir.glob("*.json"))}


# Documents of the dated corpus (../shared/corpus/dated, and the official English translations in
# ../shared/corpus/en) are sources named after their file: doc-1990-03-20-government-work-report-1990-li-peng
# is corpus/dated/1990-03-20_government-work-report_1990-li-peng.txt; docen-… is the same in corpus/en.
CORPUS_PREFIXES = {"doc-": "corpus/dated", "docen-": "corpus/en"}


def corpus_source_id(filename: str, english: bool = False) -> str:
    """The source id of a corpus file: 'doc-' + its name without .txt, '_' → '-', lower case."""
    return ("docen-" if english else "doc-") + filename.removesuffix(".txt").replace("_", "-").lower()


def document_for(source_id: str) -> Path | None:
    for prefix, folder in CORPUS_PREFIXES.items():
        if source_id.startswith(prefix):
            directory = SHARED / folder
            if directory.is_dir():
                for path in directory.glob("*.txt"):
                    if corpus_source_id(path.name, prefix == "docen-") == source_id:
                        return path
            return None
    mapping = json.loads(SOURCE_FILES.read_text("utf-8"))
    for prefix, rel in mapping.items():
        if not prefix.startswith("_") and source_id.startswith(prefix):
            return SHARED / rel
    return None


def schema_problems(docs: dict[str, dict]) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    out = []
    for name, doc in docs.items():
        for err in validator.iter_errors(doc):
            out.append(f"{name}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    return out


def consistency_problems(docs: dict[str, dict]) -> list[str]:
    out: list[str] = []
    sources: dict[str, str] = {}
    for name, doc in docs.items():
        for src in doc.get("sources", []):
            if src["id"] in sources:
                out.append(f"{name}: source {src['id']} already defined in {sources[src['id']]}")
            sources[src["id"]] = name
    slugs: dict[str, str] = {}
    forms: dict[str, str] = {}
    for name, doc in docs.items():
        for i, term in enumerate(doc.get("terms", [])):
            where = f"{name}: terms[{i}] {term.get('simplified')}"
            slug = term.get("slug")
            if slug:
                if slug in slugs:
                    out.append(f"{where}: slug {slug} also in {slugs[slug]}")
                slugs[slug] = where
            for text in [term.get("simplified"), term.get("traditional")] + [f["text"] for f in term.get("forms", [])]:
                if text and text in forms and forms[text] != where:
                    out.append(f"{where}: surface form {text} also in {forms[text]}")
                if text:
                    forms.setdefault(text, where)
            pinyin = term.get("pinyin")
            if pinyin and not TONE_MARKS.search(pinyin):
                out.append(f"{where}: pinyin {pinyin!r} has no tone marks")
            refs = [t.get("source") for t in term.get("translations", [])]
            refs += [d.get("source") for d in term.get("definitions", [])]
            refs += [e.get("source") for e in term.get("excerpts", [])]
            refs.append((term.get("first_use") or {}).get("source"))
            for ref in refs:
                if ref and ref not in sources:
                    out.append(f"{where}: unknown source {ref}")
    for name, doc in docs.items():
        for i, term in enumerate(doc.get("terms", [])):
            for rel in term.get("related", []):
                if rel["slug"] not in slugs:
                    out.append(f"{name}: terms[{i}] relation to unknown slug {rel['slug']}")
    return out


def web_sources(docs: dict[str, dict]) -> set[str]:
    """Official pages quoted from a stored copy seen through the search tool (`web-…` with an
    address): an excerpt of one cannot be checked here, only its record (seed-curation.md)."""
    return {
        src["id"]
        for doc in docs.values()
        for src in doc.get("sources", [])
        if src["id"].startswith("web-") and src.get("url") and src.get("note")
    }


def verbatim_problems(docs: dict[str, dict]) -> list[str]:
    out = []
    cache: dict[Path, str] = {}
    unheld = web_sources(docs)
    for name, doc in docs.items():
        for i, term in enumerate(doc.get("terms", [])):
            for j, ex in enumerate(term.get("excerpts", [])):
                if ex["source"] in unheld:
                    continue
                path = document_for(ex["source"])
                where = f"{name}: terms[{i}] {term.get('simplified')} excerpts[{j}]"
                if path is None:
                    out.append(f"{where}: source {ex['source']} maps to no document")
                    continue
                if path not in cache:
                    cache[path] = normalise_ws(unicodedata.normalize("NFC", path.read_text("utf-8")))
                if normalise_ws(ex["text"]) not in cache[path]:
                    out.append(f"{where}: not verbatim in {path.name}: {ex['text'][:60]!r}")
            fu = term.get("first_use") or {}
            if fu.get("excerpt"):  # an attested first use quotes its document, which must hold it
                path = document_for(fu["source"]) if fu.get("source", "").startswith(("doc-", "docen-")) else None
                where = f"{name}: terms[{i}] {term.get('simplified')} first_use"
                if path is None:
                    if fu.get("basis") == "attested":
                        out.append(
                            f"{where}: an attested first use must cite a corpus document, not {fu.get('source')}"
                        )
                    continue
                text = cache.setdefault(path, normalise_ws(unicodedata.normalize("NFC", path.read_text("utf-8"))))
                if normalise_ws(fu["excerpt"]) not in text:
                    out.append(f"{where}: excerpt not verbatim in {path.name}: {fu['excerpt'][:60]!r}")
                elif term["simplified"] not in fu["excerpt"]:
                    out.append(f"{where}: the excerpt does not show {term['simplified']}")
    return out


def _comparable(text: str) -> str:
    """Case, spacing, curly quotes and dash variants do not make a rendering differ from its proof."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(
        str.maketrans(
            {
                "\u2018": "'",
                "\u2019": "'",
                "\u201c": '"',
                "\u201d": '"',
                "\u2010": "-",
                "\u2011": "-",
                "\u2013": "-",
                "\u2014": "-",
            }
        )
    )
    return normalise_ws(text)


def rendering_problems(docs: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(problems, unproven): a translation's excerpt must be verbatim in its source's document (where
    held) and contain the rendering; an official rendering without an excerpt is unproven."""
    problems, unproven = [], []
    cache: dict[Path, str] = {}
    for name, doc in docs.items():
        for i, term in enumerate(doc.get("terms", [])):
            for j, tr in enumerate(term.get("translations", [])):
                where = f"{name}: terms[{i}] {term.get('simplified')} translations[{j}] {tr['lang']} {tr['text']!r}"
                excerpt = tr.get("excerpt")
                if not excerpt:
                    if tr["status"] == "official":
                        unproven.append(where)
                    continue
                if not tr.get("source"):
                    problems.append(f"{where}: has an excerpt but no source")
                    continue
                if _comparable(tr["text"]) not in _comparable(excerpt):
                    problems.append(f"{where}: the excerpt does not contain the rendering")
                path = document_for(tr["source"])
                if path is None or not path.is_file():
                    continue  # a web page we do not hold: checked by hand, with its URL on the source
                if path not in cache:
                    cache[path] = normalise_ws(unicodedata.normalize("NFC", path.read_text("utf-8")))
                if normalise_ws(excerpt) not in cache[path]:
                    problems.append(f"{where}: excerpt not verbatim in {path.name}: {excerpt[:60]!r}")
    return problems, unproven


def main() -> int:
    docs = load_seed()
    problems = schema_problems(docs) + consistency_problems(docs)
    if SHARED.is_dir():
        problems += verbatim_problems(docs)
        rendering, unproven = rendering_problems(docs)
        problems += rendering
        print(f"{len(unproven)} official renderings without an excerpt proving them", file=sys.stderr)
    else:
        print(f"note: {SHARED} absent, excerpts not checked", file=sys.stderr)
    counts = defaultdict(int)
    for doc in docs.values():
        for term in doc.get("terms", []):
            counts[term.get("status", "published")] += 1
    for p in problems:
        print(p)
    print(f"{len(problems)} problems; terms: {dict(counts)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
