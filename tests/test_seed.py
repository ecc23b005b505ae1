"""The seed glossary: schema, uniqueness, relations, provenance and hand-checked pinyin."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import seedcheck
import sqlalchemy as sa
from conftest import needs_shared
from helpers import term_doc

from glossary.extensions import db
from glossary.models import Term
from glossary.services.seed import load_seed
from glossary.text.forms import derive_forms

TRICKY = {
    k: v
    for k, v in json.loads((Path(__file__).parent / "data" / "tricky_pinyin.json").read_text("utf-8")).items()
    if not k.startswith("_")
}
TONE = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.I)


@pytest.fixture(scope="module")
def seed() -> dict:
    return load_seed()


def test_every_seed_file_validates_against_the_schema() -> None:
    assert seedcheck.schema_problems(seedcheck.load_seed()) == []


def test_no_shared_surface_forms_unknown_sources_or_dangling_relations() -> None:
    assert seedcheck.consistency_problems(seedcheck.load_seed()) == []


def test_derived_forms_are_unique_across_entries(seed: dict) -> None:
    owner: dict[str, str] = {}
    for term in seed["terms"]:
        forms = {term["simplified"], term.get("traditional", "")} | {f["text"] for f in term.get("forms", [])}
        forms |= {text for text, _ in derive_forms(term["simplified"], term.get("kind"), term.get("traditional"))}
        for form in forms - {""}:
            assert owner.setdefault(form, term["slug"]) == term["slug"], f"{form} in {owner[form]} and {term['slug']}"


@needs_shared()
def test_every_excerpt_is_verbatim_in_its_source() -> None:
    assert seedcheck.verbatim_problems(seedcheck.load_seed()) == []


def test_the_verbatim_check_catches_an_altered_excerpt(seed: dict) -> None:
    if not seedcheck.SHARED.is_dir():
        pytest.skip("../shared is absent")
    term = next(t for t in seed["terms"] if t.get("excerpts"))
    altered = dict(term, excerpts=[dict(term["excerpts"][0], text=term["excerpts"][0]["text"] + " (invented)")])
    problems = seedcheck.verbatim_problems({"x.json": {"terms": [altered]}})
    assert len(problems) == 1 and "not verbatim" in problems[0]


def test_a_page_excerpt_needs_a_recorded_address_to_be_accepted_unchecked() -> None:
    if not seedcheck.SHARED.is_dir():
        pytest.skip("../shared is absent")
    source = {"id": "web-example", "url": "http://example.gov.cn/a.html", "note": "Seen in a stored copy."}
    term = {"simplified": "党管媒体", "excerpts": [{"source": "web-example", "text": "坚持党管媒体"}]}
    assert seedcheck.verbatim_problems({"x.json": {"sources": [source], "terms": [term]}}) == []
    no_address = dict(source, url=None)
    problems = seedcheck.verbatim_problems({"x.json": {"sources": [no_address], "terms": [term]}})
    assert len(problems) == 1 and "maps to no document" in problems[0]


# Official renderings not yet proven by a verbatim excerpt of their source. It may only fall: a
# rendering is proven (translations[].excerpt) or, if no official text shows it, not called official.
UNPROVEN_OFFICIAL_AT_MOST = 81


@needs_shared()
def test_translation_excerpts_are_verbatim_and_show_the_rendering() -> None:
    problems, unproven = seedcheck.rendering_problems(seedcheck.load_seed())
    assert problems == []
    assert len(unproven) <= UNPROVEN_OFFICIAL_AT_MOST, "\n".join(unproven)


@needs_shared()
def test_the_rendering_check_catches_a_wrong_or_altered_proof() -> None:
    name = "2016-03-05_government-work-report_2016-li-keqiang.txt"
    source = seedcheck.corpus_source_id(name, english=True)
    assert seedcheck.document_for(source) == seedcheck.SHARED / "corpus" / "en" / name
    proof = "We must continue to deepen reform."
    text = (seedcheck.SHARED / "corpus" / "en" / name).read_text("utf-8")
    sentence = next(s.strip() + "." for s in text.split(".") if "Belt and Road" in s and len(s) < 300)
    ok = {"lang": "en", "text": "belt and road", "status": "official", "source": source, "excerpt": sentence}
    wrong = dict(ok, excerpt=proof)  # not the passage that shows the rendering, nor in the document
    terms = [{"simplified": "一带一路", "translations": [ok, wrong]}]
    problems, unproven = seedcheck.rendering_problems({"x.json": {"terms": terms}})
    assert unproven == []
    assert len(problems) == 2 and "does not contain" in problems[0] and "not verbatim" in problems[1]


def test_coverage_and_shape(seed: dict) -> None:
    published = [t for t in seed["terms"] if t.get("status", "published") == "published"]
    assert len(published) >= 120
    pc20 = [t for t in published if any(e["source"] == "pc20-report" for e in t.get("excerpts", []))]
    assert len(pc20) >= 40
    for term in published:
        assert term.get("slug") and term.get("pinyin") and term.get("kind") and term.get("tags"), term["simplified"]
        assert term.get("excerpts"), f"{term['simplified']} has no excerpt"
        assert term.get("definitions"), f"{term['simplified']} has no definition"
        preferred_en = [t for t in term.get("translations", []) if t["lang"] == "en" and t["status"] == "preferred"]
        assert len(preferred_en) == 1, f"{term['simplified']} needs exactly one English preferred rendering"
        assert term.get("kind") != "person"


def test_pinyin_has_tone_marks_and_matches_the_hand_checked_list(seed: dict) -> None:
    by_simplified = {t["simplified"]: t for t in seed["terms"]}
    for term in seed["terms"]:
        syllables = [w for w in re.split(r"[\s'-]+", term["pinyin"]) if w and not w.isupper() and w.isalpha()]
        assert syllables and TONE.search(term["pinyin"]), term["simplified"]
    checked = 0
    for simplified, pinyin in TRICKY.items():
        if simplified in by_simplified:
            assert unicodedata.normalize("NFC", by_simplified[simplified]["pinyin"]) == pinyin, simplified
            checked += 1
    assert checked >= 10


def test_first_uses_and_dated_renderings_cite_a_source(seed: dict) -> None:
    firsts = [t for t in seed["terms"] if t.get("first_use")]
    assert len(firsts) >= 5
    for term in firsts:
        assert term["first_use"].get("source"), term["simplified"]
    shared_future = next(t for t in seed["terms"] if t["simplified"] == "人类命运共同体")
    assert shared_future["first_use"]["date"] == "2012-11-08"
    statuses = {t["text"]: t["status"] for t in shared_future["translations"] if t["lang"] == "en"}
    assert statuses["community of common destiny"] == "deprecated"
    for term in seed["terms"]:
        for tr in term.get("translations", []):
            if tr["status"] == "official" or tr.get("from") or tr.get("until"):
                assert tr.get("source"), f"{term['simplified']}: {tr['text']} needs a source"


def test_init_loads_every_published_entry(seeded) -> None:
    with seeded.app_context():
        count = db.session.scalar(sa.select(sa.func.count(Term.id)).where(Term.status == "published"))
    assert count == len([t for t in load_seed()["terms"] if t.get("status", "published") == "published"])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.json": b"{not json"}, "a.json: "),
        (
            {
                "a.json": json.dumps(term_doc(sources=[{"id": "s", "title": "One"}])).encode(),
                "b.json": json.dumps(term_doc(sources=[{"id": "s", "title": "Two"}])).encode(),
            },
            "b.json: source s differs from its earlier definition",
        ),
        (
            {
                "a.json": json.dumps(term_doc({"simplified": "共同富裕", "slug": "gongtong-fuyu"})).encode(),
                "b.json": json.dumps(term_doc({"simplified": "共同富裕", "slug": "gongtong-fuyu"})).encode(),
            },
            "seed: terms[1]",
        ),
    ],
    ids=["bad JSON", "source defined twice", "same slug in two files"],
)
def test_a_broken_seed_names_the_file_or_entry_at_fault(tmp_path: Path, files: dict[str, bytes], message: str) -> None:
    from glossary.services.errors import Invalid

    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    with pytest.raises(Invalid) as caught:
        load_seed(tmp_path)
    assert str(caught.value).startswith(message), caught.value


def test_no_derived_form_brings_back_a_variant_the_curated_traditional_avoids(seed: dict) -> None:
    # 一箇中國原則, 黨喫政, 偉大斗爭 came from converting the simplified form again (issue 16)
    for term in seed["terms"]:
        curated = term["traditional"]
        for text, tag in derive_forms(term["simplified"], term.get("kind"), curated):
            assert not set("箇喫爲") & (set(text) - set(curated)), f"{term['simplified']}: {tag} {text}"
        if "斗争" in term["simplified"]:
            assert "鬥爭" in curated, term["simplified"]
