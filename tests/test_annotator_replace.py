"""A rendering or form edit of a few terms replaces their entries in every worker's annotator
instead of rebuilding it (Annotator.replaced, services/annotation.py's change log): the result
annotates exactly as an annotator built whole would, the annotator it came from is left as its
readers had it, and whatever the log cannot vouch for (an import, a pruned log, a new, deleted,
unpublished or renamed term) is still rebuilt whole."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import make_term, patch_term
from test_renderings import ENTRIES

from glossary.extensions import db
from glossary.models import AnnotationChange
from glossary.services.annotation import AnnotatorCache
from glossary.services.interchange import load
from glossary.text.annotate import Annotator, Entry
from glossary.text.languages import annotate_text
from glossary.text.renderings import Rendering, RenderingIndex, with_current
from glossary.text.segment import shared_segmenter

TEXTS = [
    "推动构建人类命运共同体，坚持一带一路，全过程人民民主，系统观念",
    "A community with a shared future for mankind, the BRI and whole-process people's democracy; "
    "the Politburo and a common prosperity drive, on a Chinese path to modernization.",
    "La communauté de destin pour l'humanité et la Schicksalsgemeinschaft der Menschheit.",
    "人類運命共同体と一帯一路",
]


def everything(annotator: Annotator) -> list[dict[str, Any]]:
    return [annotate_text(annotator, text).to_dict() for text in TEXTS]


def renderings(*triples: tuple[str, str, str]) -> tuple[Rendering, ...]:
    return tuple(with_current([Rendering(*t) for t in triples]))


CHANGES = {
    "a rendering added": lambda e: replace(
        e, renderings=e.renderings + renderings(("en", "drive", "alternative")), glosses={"en": "drive"}
    ),
    "renderings removed": lambda e: replace(e, renderings=(), glosses={}),
    "a deprecated rendering": lambda e: replace(
        e,
        renderings=renderings(
            ("en", "whole process democracy", "deprecated"), *[(r.lang, r.text, r.status) for r in e.renderings]
        ),
    ),
    "a first use and sense date": lambda e: replace(e, first_use="2021", sense_from="2021-07-01"),
    "a form added": lambda e: replace(e, forms=(*e.forms, "全过程民主"), form_types={"全过程民主": "abbreviation"}),
    "the policy": lambda e: replace(e, policy="confirm"),
    "the pinyin": lambda e: replace(e, pinyin="changed"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_replacing_entries_annotates_as_building_whole_would(change: str) -> None:
    before = Annotator(ENTRIES, shared_segmenter())
    was = everything(before)
    position = next(i for i, e in enumerate(ENTRIES) if e.slug == "qgc")
    other = next(i for i, e in enumerate(ENTRIES) if e.slug == "cs2")
    changes = {position: CHANGES[change](ENTRIES[position]), other: CHANGES[change](ENTRIES[other])}
    after = before.replaced(changes)
    whole = Annotator([changes.get(i, e) for i, e in enumerate(ENTRIES)], shared_segmenter())
    assert everything(after) == everything(whole)
    assert after.entries == whole.entries
    assert everything(before) == was  # its readers still have what they had
    if change in ("a form added", "the policy"):
        assert after._longest is not before._longest  # what is matched changed: built whole
    else:
        assert after._longest is before._longest  # the Chinese automaton is shared


def test_a_rendering_index_from_a_previous_one_finds_what_a_fresh_one_does() -> None:
    triples = [(i, r, e.policy) for i, e in enumerate(ENTRIES) for r in e.renderings]
    previous = RenderingIndex(triples)
    more = [*triples, (1, Rendering("en", "shared futures of all", "alternative"), "auto")]
    text = TEXTS[1] + " Shared futures of all, a shared future."
    fresh, reused = RenderingIndex(more), RenderingIndex(more, previous=previous)
    assert reused.find(text, ["en", "fr"]) == fresh.find(text, ["en", "fr"])
    assert previous.find(text, ["en"]) == RenderingIndex(triples).find(text, ["en"])  # left as it was


def _found(client, text: str) -> list[tuple[str, str]]:
    result = client.post("/api/v1/annotate", json={"text": text}).get_json()
    return [(m["surface"], m["slug"]) for m in result["matches"]]


@pytest.fixture
def reader(app, make_app, session, write_token):
    """Two workers: the test's app writes, ``reader`` (another app on the database) serves."""
    make_term(session, "网络主权", "cyber sovereignty")
    make_term(session, "共同富裕", "common prosperity")
    reader_app = make_app()
    reader = reader_app.test_client()
    assert _found(reader, "网络主权") == [("网络主权", "wangluo-zhuquan")]
    cache: AnnotatorCache = reader_app.extensions["glossary.annotator"]
    assert (cache.builds, cache.replacements) == (1, 0)
    return app.test_client(), {"Authorization": f"Bearer {write_token}"}, reader, cache


def _served(reader, cache: AnnotatorCache, text: str) -> list[tuple[str, str]]:
    """What the reader serves once its background work is done."""
    _found(reader, text)
    cache.wait(timeout=60)
    return _found(reader, text)


def test_another_worker_replaces_the_entries_a_rendering_edit_changed(reader) -> None:
    writer, auth, reader, cache = reader
    writer_cache: AnnotatorCache = writer.application.extensions["glossary.annotator"]
    _found(writer, "网络主权")  # the writer's first annotator, built whole
    translations = [
        {"lang": "en", "text": "common prosperity", "status": "preferred"},
        {"lang": "en", "text": "shared wealth", "status": "alternative"},
    ]
    patch_term(writer, auth, "gongtong-fuyu", {"translations": translations})
    patch_term(writer, auth, "wangluo-zhuquan", {"forms": [{"text": "网络空间主权", "tag": "zh-Hans", "type": "full"}]})
    text = "Shared wealth and 网络空间主权"
    assert _served(reader, cache, text) == [("Shared wealth", "gongtong-fuyu"), ("网络空间主权", "wangluo-zhuquan")]
    assert (cache.builds, cache.replacements) == (1, 1)  # two versions behind, one replacement
    assert _found(writer, text) == _found(reader, text)
    assert (writer_cache.builds, writer_cache.replacements) == (1, 1)  # its own writes, made at once


@pytest.mark.parametrize(
    "edit",
    ["create", "delete", "unpublish", "import"],
)
def test_what_moves_entries_or_is_not_logged_term_by_term_rebuilds_whole(reader, edit: str) -> None:
    writer, auth, reader, cache = reader
    both = [("网络主权", "wangluo-zhuquan"), ("共同富裕", "gongtong-fuyu")]
    if edit == "create":
        assert writer.post("/api/v1/terms", json={"simplified": "全过程人民民主"}, headers=auth).status_code == 201
        expected = [*both, ("全过程人民民主", "quanguocheng-renmin-minzhu")]
    elif edit == "delete":
        etag = writer.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
        assert writer.delete("/api/v1/terms/gongtong-fuyu", headers=auth | {"If-Match": etag}).status_code == 204
        expected = [("网络主权", "wangluo-zhuquan")]
    elif edit == "unpublish":
        patch_term(writer, auth, "gongtong-fuyu", {"status": "draft"})
        expected = [("网络主权", "wangluo-zhuquan")]
    else:
        with writer.application.app_context():
            doc = {"format": "glossary/1", "sources": [], "terms": [{"simplified": "全过程人民民主"}]}
            load(db.session, doc, "tests")
            db.session.commit()
        expected = [*both, ("全过程人民民主", "quanguocheng-renmin-minzhu")]
    served = _served(reader, cache, "网络主权、共同富裕、全过程人民民主")
    assert sorted(served) == sorted(expected)
    assert (cache.builds, cache.replacements) == (2, 0)


def test_the_log_keeps_the_latest_versions_and_a_worker_further_behind_rebuilds(reader, monkeypatch) -> None:
    writer, auth, reader, cache = reader
    monkeypatch.setattr(AnnotationChange, "KEEP", 3)
    for n in range(5):
        patch_term(
            writer,
            auth,
            "gongtong-fuyu",
            {"translations": [{"lang": "en", "text": f"edit {n}", "status": "preferred"}]},
        )
    with writer.application.app_context():
        versions = db.session.scalars(sa.select(AnnotationChange.version).order_by(AnnotationChange.version)).all()
        logged = db.session.scalars(sa.select(AnnotationChange.term_ids)).all()
    assert len(versions) == 3 and versions == list(range(versions[0], versions[0] + 3))
    assert all(ids == [ids[0]] for ids in logged)  # one term each
    assert _served(reader, cache, "edit 4") == [("edit 4", "gongtong-fuyu")]
    assert (cache.builds, cache.replacements) == (2, 0)  # five behind, three logged: rebuilt


def test_a_drafts_edit_raises_nothing_and_a_note_edit_logs_nothing(reader, session) -> None:
    writer, auth, reader, cache = reader
    logged = sa.select(sa.func.count()).select_from(AnnotationChange)
    before = session.scalar(logged)
    make_term(session, "新质生产力", "new quality productive forces", status="draft")
    patch_term(writer, auth, "gongtong-fuyu", {"note": "a note"})
    assert session.scalar(logged) == before
    assert _served(reader, cache, "新质生产力") == []
    assert (cache.builds, cache.replacements) == (1, 0)


def test_the_entries_read_for_a_replacement_are_those_a_whole_build_reads(reader, session) -> None:
    """entries_by_id with term ids gives each term the entry the full query gives it."""
    from glossary.services.annotation import entries_by_id

    whole = entries_by_id(session)
    some = entries_by_id(session, term_ids=list(whole)[:1])
    assert list(some.items()) == list(whole.items())[:1]
    assert all(isinstance(e, Entry) for e in whole.values())


def test_the_corpus_reads_its_entries_without_renderings(reader, session) -> None:
    """Documents are counted in Chinese: the corpus annotator's entries carry no translations,
    which at 50,000 terms kept the drain after an import under 400 MiB (bench/import.py)."""
    from glossary.services import corpus_index
    from glossary.services.annotation import entries_by_id

    with_renderings = entries_by_id(session, policy=False)
    entries, ids = corpus_index.corpus_entries(session)
    assert [e.slug for e in entries] == [e.slug for e in with_renderings.values()]
    assert ids == {e.slug: term_id for term_id, e in with_renderings.items()}
    assert all(e.renderings == () and e.glosses == {} for e in entries)
    assert [replace(e, renderings=(), glosses={}) for e in with_renderings.values()] == entries
