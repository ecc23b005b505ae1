"""The annotation version rises with exactly the edits the annotator can see, so the annotator
cache (keyed on it) is not rebuilt by an edit of a note, a definition or a source, while the
glossary version (term cache, ETags, /changes) still rises with every write.

The edits below cover every field of text.annotate.Entry, the one thing build_annotator reads of
a term (services/annotation.py entry): a field added to Entry without an edit here fails
test_the_edits_cover_every_field_the_annotator_reads."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import patch_term
from sqlalchemy.orm import Session

from glossary.extensions import db
from glossary.models import Source
from glossary.services.annotation import AnnotatorCache, annotation_state
from glossary.services.interchange import load
from glossary.services.representation import term_to_dict
from glossary.services.terms import TermInput, delete_term, get_term, save_term
from glossary.services.version import annotation_version, glossary_version
from glossary.text.annotate import Entry

Edit = Callable[[dict[str, Any]], None]

BASE: dict[str, Any] = {
    "simplified": "网络主权",
    "kind": "concept",
    "annotation_policy": "confirm",
    "policy_note": "often said of any state's control of its networks",
    "forms": [{"text": "网络主权观", "tag": "zh-Hans", "type": "variant", "note": "a form's note"}],
    "translations": [
        {"lang": "en", "text": "cyber sovereignty", "status": "preferred", "source": "src", "note": "a note"},
        {"lang": "en", "text": "internet sovereignty", "status": "official", "from": "2015"},
        {"lang": "en", "text": "network sovereignty", "status": "deprecated"},
        {"lang": "fr", "text": "souveraineté numérique", "status": "preferred"},
    ],
    "definitions": [{"lang": "en", "text": "A state's authority over its networks.", "source": "src"}],
    "first_use": {"date": "2010", "source": "src", "locator": "p. 1", "note": "a note", "scope": "speeches"},
    "excerpts": [{"source": "src", "text": "维护网络主权", "locator": "p. 2"}],
    "tags": ["cyber"],
    "note": "the term's note",
}


def _set(path: str, value: Any) -> Edit:
    """An edit setting data[a][i][b]... (path "a.0.b") to value."""

    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return edit


def _add(field: str, item: Any) -> Edit:
    return lambda data: data.setdefault(field, []).append(item)


# edit → the Entry fields it changes (each edit is also checked to change them)
RELEVANT: dict[str, tuple[Edit, set[str]]] = {
    "slug": (_set("slug", "cyber-sovereignty"), {"slug"}),
    "simplified": (_set("simplified", "网路主权"), {"simplified", "traditional", "pinyin", "forms", "form_types"}),
    "traditional": (_set("traditional", "網路主權"), {"traditional", "forms", "form_types"}),
    "pinyin": (_set("pinyin", "Wǎngluò zhǔquán"), {"pinyin"}),
    "form added": (_add("forms", {"text": "网主", "tag": "zh-Hans", "type": "abbreviation"}), {"forms", "form_types"}),
    "form text": (_set("forms.0.text", "网络主权论"), {"forms", "form_types"}),
    "form type": (_set("forms.0.type", "older"), {"form_types"}),
    "preferred rendering": (_set("translations.0.text", "cyberspace sovereignty"), {"glosses", "renderings"}),
    "rendering status": (_set("translations.0.status", "alternative"), {"glosses", "renderings"}),
    "rendering added": (
        _add("translations", {"lang": "en", "text": "web sovereignty", "status": "alternative"}),
        {"renderings"},
    ),
    "gloss in a new language": (
        _add("translations", {"lang": "de", "text": "Netzsouveränität", "status": "preferred"}),
        {"glosses", "renderings"},
    ),
    "annotation policy": (_set("annotation_policy", "never"), {"policy"}),
    "first use date": (_set("first_use.date", "2011"), {"first_use"}),
    "first use scope": (_set("first_use.scope", "anywhere"), {"sense_from"}),
}

# edits of what the annotator does not read: the glossary version rises, the annotation version not
IRRELEVANT: dict[str, Edit] = {
    "note": _set("note", "another note"),
    "kind": _set("kind", "formulation"),
    "tags": _add("tags", "sovereignty"),
    "definition": _set("definitions.0.text", "Another definition."),
    "definition added": _add("definitions", {"lang": "fr", "text": "Une définition."}),
    "excerpt": _add("excerpts", {"source": "src", "text": "网络主权是国家主权的延伸"}),
    "form note": _set("forms.0.note", "another note"),
    "rendering note": _set("translations.0.note", "another note"),
    "rendering source": _set("translations.1.source", "src"),
    "rendering dates": _set("translations.1.until", "2020"),
    "rendering excerpt": _set("translations.1.excerpt", "网络主权 (internet sovereignty)"),
    "first use note": _set("first_use.note", "another note"),
    "first use locator": _set("first_use.locator", "p. 9"),
    "first use source": _set("first_use.source", "src2"),
    "first use basis": lambda data: data["first_use"].update(basis="attested", excerpt="维护网络主权"),
    "policy note": _set("policy_note", "said in the wrong sense as often as not"),
}


@pytest.fixture
def stored(session: Session) -> Session:
    session.add_all([Source(id="src", title="A source"), Source(id="src2", title="Another source")])
    session.flush()
    save_term(session, TermInput(copy.deepcopy(BASE), "tests"))
    save_term(session, TermInput({"simplified": "共同富裕"}, "tests"))  # for a relation
    session.commit()
    return session


def versions(session: Session) -> tuple[int, int]:
    session.commit()  # a fresh snapshot
    return glossary_version(session), annotation_version(session)


def edit_term(session: Session, edit: Edit, base: dict[str, Any] | None = None) -> tuple[Entry | None, Entry | None]:
    """Apply edit to the stored term's data, as an editor saving the whole term would; the
    term's annotation state before and after."""
    term = get_term(session, "wangluo-zhuquan")
    before = annotation_state(term)
    data = copy.deepcopy(base or BASE)
    edit(data)
    save_term(session, TermInput(data, "tests", term))
    session.commit()
    return before, annotation_state(get_term(session, data.get("slug", "wangluo-zhuquan")))


def test_the_edits_cover_every_field_the_annotator_reads() -> None:
    compared = {f.name for f in dataclasses.fields(Entry) if f.compare}
    covered = set().union(*(fields for _, fields in RELEVANT.values()))
    assert covered == compared, f"no edit below changes {sorted(compared - covered)}"


@pytest.mark.parametrize("name", RELEVANT)
def test_an_edit_the_annotator_sees_raises_the_annotation_version(stored: Session, name: str) -> None:
    edit, fields = RELEVANT[name]
    glossary_before, annotation_before = versions(stored)
    before, after = edit_term(stored, edit)
    assert before is not None and after is not None
    changed = {f for f in fields if getattr(before, f) != getattr(after, f)}
    assert changed == fields, f"{name}: the edit left {sorted(fields - changed)} as they were"
    assert versions(stored) == (glossary_before + 1, annotation_before + 1)


@pytest.mark.parametrize("name", IRRELEVANT)
def test_an_edit_the_annotator_does_not_see_leaves_the_annotation_version(stored: Session, name: str) -> None:
    glossary_before, annotation_before = versions(stored)
    before, after = edit_term(stored, IRRELEVANT[name])
    assert before == after is not None
    assert versions(stored) == (glossary_before + 1, annotation_before)


def test_relations_are_not_read_by_the_annotator(stored: Session) -> None:
    glossary_before, annotation_before = versions(stored)
    edit_term(stored, _add("related", {"slug": "gongtong-fuyu", "type": "related"}))
    assert versions(stored) == (glossary_before + 1, annotation_before)


def test_publishing_and_unpublishing_raise_it_and_a_draft_edit_does_not(stored: Session) -> None:
    _, annotation = versions(stored)
    edit_term(stored, _set("status", "draft"))
    assert versions(stored)[1] == annotation + 1
    draft = {**BASE, "status": "draft"}
    edit_term(stored, _add("forms", {"text": "网主", "tag": "zh-Hans", "type": "abbreviation"}), draft)
    assert versions(stored)[1] == annotation + 1  # the annotator holds no draft
    edit_term(stored, _set("status", "published"))
    assert versions(stored)[1] == annotation + 2


def test_creating_and_deleting_raise_it_unless_the_term_is_a_draft(stored: Session) -> None:
    _, annotation = versions(stored)
    save_term(stored, TermInput({"simplified": "全过程人民民主", "status": "draft"}, "tests"))
    assert versions(stored)[1] == annotation
    delete_term(stored, get_term(stored, "quanguocheng-renmin-minzhu"), "tests")
    assert versions(stored)[1] == annotation
    save_term(stored, TermInput({"simplified": "全过程人民民主"}, "tests"))
    assert versions(stored)[1] == annotation + 1
    delete_term(stored, get_term(stored, "quanguocheng-renmin-minzhu"), "tests")
    assert versions(stored)[1] == annotation + 2


def test_an_unchanged_save_raises_neither(stored: Session) -> None:
    before = versions(stored)
    term = get_term(stored, "wangluo-zhuquan")
    save_term(stored, TermInput(term_to_dict(term), "tests", term))
    stored.commit()
    assert versions(stored) == before


def test_an_import_that_changes_something_raises_it_and_one_that_does_not_leaves_it(stored: Session) -> None:
    glossary_before, annotation_before = versions(stored)
    load(stored, {"format": "glossary/1", "sources": [], "terms": [{"simplified": "人类命运共同体"}]}, "tests")
    assert versions(stored) == (glossary_before + 1, annotation_before + 1)
    load(stored, {"format": "glossary/1", "sources": [], "terms": []}, "tests")
    assert versions(stored) == (glossary_before + 1, annotation_before + 1)


def test_a_note_edit_keeps_the_cached_annotator_and_a_form_edit_replaces_it(app, client, write_token) -> None:
    """Through the API, as a worker serves it: the writer's own form edit is seen at once."""
    auth = {"Authorization": f"Bearer {write_token}"}
    assert client.post("/api/v1/terms", json={"simplified": "网络主权"}, headers=auth).status_code == 201
    cache: AnnotatorCache = app.extensions["glossary.annotator"]

    def annotator():
        with app.app_context():
            return cache.get(db.session)

    def patch(body: dict[str, Any]) -> None:
        patch_term(client, auth, "wangluo-zhuquan", body)

    def matched(text: str) -> list[str]:
        return [m["slug"] for m in client.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]]

    first = annotator()
    assert matched("坚持网络空间主权") == []
    patch({"note": "a note", "definitions": [{"lang": "en", "text": "Authority over networks."}]})
    assert annotator() is first
    patch({"forms": [{"text": "网络空间主权", "tag": "zh-Hans", "type": "full"}]})
    assert annotator() is not first
    assert matched("坚持网络空间主权") == ["wangluo-zhuquan"]  # the writer sees its own write at once


def test_another_worker_keeps_its_annotator_through_note_edits(app, make_app, session, write_token) -> None:
    """The point of it all: another worker neither rebuilds in the background nor swaps."""
    save_term(session, TermInput({"simplified": "网络主权"}, "tests"))
    session.commit()
    reader_app = make_app()
    cache: AnnotatorCache = reader_app.extensions["glossary.annotator"]
    with reader_app.app_context():
        first = cache.get(db.session)
    for n in range(3):
        term = get_term(session, "wangluo-zhuquan")
        save_term(session, TermInput({"simplified": "网络主权", "note": f"edit {n}"}, "tests", term))
        session.commit()
        with reader_app.app_context():
            assert cache.get(db.session) is first
        assert cache._thread is None  # no rebuild was started


def test_an_imported_terms_first_note_edit_keeps_its_renderings_order(stored: Session) -> None:
    """An import stores renderings in the file's order; the editors save them back in canonical
    (sorted) order. Kept rows keep their ids, so the gloss (the first official rendering when
    none is preferred) and the annotation version stay as they were."""
    renderings = [{"lang": "en", "text": t, "status": "official"} for t in ("zero-COVID", "dynamic zero-COVID")]
    load(
        stored,
        {"format": "glossary/1", "sources": [], "terms": [{"simplified": "动态清零", "translations": renderings}]},
        "t",
    )
    stored.commit()
    term = get_term(stored, "dongtai-qingling")
    before, version = annotation_state(term), annotation_version(stored)
    assert before is not None and before.glosses == {"en": "zero-COVID"}
    save_term(stored, TermInput(term_to_dict(term) | {"note": "a note"}, "tests", term))
    stored.commit()
    assert annotation_state(get_term(stored, "dongtai-qingling")) == before
    assert annotation_version(stored) == version


def test_entries_from_plain_rows_are_the_entries_of_the_orm_terms(seeded, session: Session) -> None:
    """annotation.entries reads three plain queries; entry() of each ORM term (what an edit
    compares) must give the same entries, field for field, over the whole seed glossary."""
    from sqlalchemy.orm import selectinload

    from glossary.models import Term
    from glossary.services import annotation

    query = sa.select(Term).where(Term.status == "published").order_by(Term.slug)
    terms = session.scalars(query.options(selectinload(Term.forms), selectinload(Term.translations))).all()
    for policy in (True, False):
        plain = annotation.entries(session, policy=policy)
        assert len(plain) > 300 and any(e.renderings for e in plain) and any(e.sense_from for e in plain)
        assert plain == [annotation.entry(term, policy=policy) for term in terms]
