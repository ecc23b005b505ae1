"""Annotation policy per term and typed forms: glossary/1, CSV, SKOS, the engine, search, API, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from conftest import PG_URL, SHARED, needs_shared
from helpers import make_term, term_doc

from glossary.extensions import make_engine
from glossary.formats import FormatError, csv_format, skos
from glossary.formats.glossary1 import canonical_term, validate_document
from glossary.services import migrate
from glossary.services.representation import term_to_dict
from glossary.services.search import Searcher
from glossary.services.terms import Invalid, TermInput, keep_unedited, save_term
from glossary.text.annotate import Annotator, Entry
from glossary.text.render import render_html

TYPED = {
    "simplified": "全面依法治国",
    "annotation_policy": "confirm",
    "policy_note": "Checked by hand.",
    "forms": [
        {"text": "依法治国", "tag": "zh-Hans", "type": "abbreviation", "note": "printed in a 1997 report"},
        {"text": "全面依法治國", "tag": "zh-Hant"},
        {"text": "“全面依法治国”", "tag": "zh-Hans", "type": "formula-spelling"},
    ],
    "translations": [{"lang": "en", "text": "law-based governance", "status": "preferred"}],
}


# ---------------------------------------------------------------- glossary/1


def test_defaults_are_written_out() -> None:
    term = canonical_term(TYPED)
    assert term["annotation_policy"] == "confirm"
    assert [(f["text"], f["type"]) for f in term["forms"]] == [
        ("“全面依法治国”", "formula-spelling"),
        ("依法治国", "abbreviation"),
        ("全面依法治國", "script"),  # the default for a traditional form
    ]
    plain = canonical_term({"simplified": "网络主权", "forms": [{"text": "网路主权", "tag": "zh-Hans"}]})
    assert plain["annotation_policy"] == "auto"
    assert plain["forms"] == [{"text": "网路主权", "tag": "zh-Hans", "type": "variant"}]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"annotation_policy": "sometimes"}, "terms[0].annotation_policy", "is not one of"),
        ({"forms": [{"text": "依法治国", "tag": "zh-Hans", "type": "primary"}]}, "terms[0].forms[0].type", "primary"),
        ({"annotation_policy": "auto"}, "terms[0].policy_note", "policy is auto"),
    ],
)
def test_bad_policy_or_type_is_refused_naming_the_field(change: dict, path: str, words: str) -> None:
    with pytest.raises(FormatError) as exc:
        validate_document(term_doc({**TYPED, **change}))
    assert [e["path"] for e in exc.value.errors] == [path]
    assert words in exc.value.errors[0]["message"]


def test_policy_note_without_a_policy_is_refused_by_the_service(session) -> None:
    with pytest.raises(Invalid, match="policy_note"):
        save_term(session, TermInput({"simplified": "系统", "policy_note": "an everyday word"}, "t"))


def test_stored_and_given_back_as_glossary1(session) -> None:
    term = make_term(session, **TYPED)
    out = term_to_dict(term)
    given = {**TYPED, "slug": term.slug, "traditional": term.traditional, "pinyin": term.pinyin}
    assert out == canonical_term({**given, "kind": "concept", "status": "published"})
    types = {f.text: (f.origin, f.type) for f in term.forms}
    assert types["全面依法治国"] == ("primary", "primary")
    assert types["全面依法治國"] == ("curated", "script")  # the curated traditional is also the derived one
    assert types["依法治国"] == ("curated", "abbreviation")


def test_a_derived_regional_form_is_script(session) -> None:
    term = make_term(session, "网络主权")
    assert {f.text: f.type for f in term.forms} == {"网络主权": "primary", "網絡主權": "primary", "網路主權": "script"}


def test_the_editor_keeps_what_it_has_no_field_for(session) -> None:
    term = make_term(session, **TYPED)
    edited = {"simplified": "全面依法治国", "forms": [{"text": "依法治国", "tag": "zh-Hans", "note": "x"}]}
    kept = keep_unedited(term, edited)
    assert kept["annotation_policy"] == "confirm" and kept["policy_note"] == "Checked by hand."
    assert kept["forms"] == [{"text": "依法治国", "tag": "zh-Hans", "note": "x", "type": "abbreviation"}]
    assert keep_unedited(None, edited) == edited


# ---------------------------------------------------------------- CSV and SKOS


def _doc(*terms: dict) -> dict:
    return {
        "format": "glossary/1",
        "sources": [],
        "terms": [canonical_term({**t, "slug": "t-" + str(i)}) for i, t in enumerate(terms)],
    }


def test_csv_round_trip_carries_policy_and_form_types() -> None:
    doc = _doc(TYPED, {"simplified": "网络主权"})
    data = csv_format.write(doc)
    text = data.decode("utf-8-sig")
    assert "zh-Hans abbreviation: 依法治国" in text
    assert "zh-Hant: 全面依法治國" in text  # a default type is not written
    back = csv_format.read(data).document["terms"]
    for before, after in zip(doc["terms"], back, strict=True):
        after = canonical_term(after)
        assert after["annotation_policy"] == before["annotation_policy"]
        assert after["policy_note"] if "policy_note" in before else "policy_note" not in after
        assert [(f["text"], f["tag"], f["type"]) for f in after.get("forms", [])] == [
            (f["text"], f["tag"], f["type"]) for f in before.get("forms", [])
        ]


def test_csv_refuses_an_unknown_form_type_naming_line_and_column() -> None:
    data = "simplified,forms\r\n全面依法治国,zh-Hans short: 依法治国\r\n".encode()
    with pytest.raises(FormatError) as exc:
        csv_format.read(data)
    assert exc.value.errors[0]["path"] == "line 2, column forms, item 1"
    assert "TAG [TYPE]: TEXT" in exc.value.errors[0]["message"]


@pytest.mark.parametrize("syntax", ["turtle", "json-ld"])
def test_skos_round_trip_carries_policy_and_form_types(syntax: str) -> None:
    doc = _doc(TYPED, {"simplified": "系统", "annotation_policy": "never"}, {"simplified": "网络主权"})
    data = skos.write(doc, syntax)
    if syntax == "turtle":
        assert b"gl:form-abbreviation" in data and b'gl:annotationPolicy "confirm"' in data
        assert b"rdfs:subPropertyOf skos:altLabel" in data
    reading = skos.read(data, syntax)
    back = {t["simplified"]: canonical_term(t) for t in reading.document["terms"]}
    assert not any("gl:" in note for note in reading.notes)  # nothing of ours counted as skipped
    for before in doc["terms"]:
        after = back[before["simplified"]]
        assert after["annotation_policy"] == before["annotation_policy"]
        assert after.get("policy_note") == before.get("policy_note")
        assert {(f["text"], f["tag"], f["type"]) for f in after.get("forms", [])} == {
            (f["text"], f["tag"], f["type"]) for f in before.get("forms", [])
        }


# ---------------------------------------------------------------- migration 0004


@pytest.fixture
def scratch_engine(tmp_path: Path):
    """An empty database of the backend under test: a file on SQLite; on PostgreSQL a schema of
    its own in the test database (so a downgrade disturbs no other test), dropped afterwards."""
    if not PG_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"m0004_{tmp_path.name.lower().replace('-', '_')}"[:60]
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = sa.create_engine(PG_URL, connect_args={"options": f"-c search_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


def test_0004_types_existing_forms_and_goes_back(scratch_engine: sa.Engine) -> None:
    """Up from 0003 with terms in it: every row kept, forms typed as they are in effect; down
    again: the columns go and nothing else (a batch copy of terms must not cascade)."""
    engine = scratch_engine
    cfg = migrate.alembic_config(engine)
    command.upgrade(cfg, "0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO terms (id, slug, kind, simplified, traditional, pinyin, status, version, created, updated)"
                " VALUES (1, 'wlzq', 'concept', '网络主权', '網絡主權', 'wǎngluò zhǔquán', 'published', 1,"
                " '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO surface_forms (term_id, text, tag, origin) VALUES (1, '网络主权', 'zh-Hans', 'primary'),"
                " (1, '網絡主權', 'zh-Hant', 'derived'), (1, '網路主權', 'zh-TW', 'derived'),"
                " (1, '网络主权论', 'zh-Hans', 'curated'), (1, '網絡主權論', 'zh-Hant', 'curated')"
            )
        )
        conn.execute(
            sa.text("INSERT INTO translations (term_id, lang, text, status) VALUES (1, 'en', 'x', 'official')")
        )
    command.upgrade(cfg, "0004")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT annotation_policy, policy_note FROM terms")).all() == [("auto", None)]
        assert dict(conn.execute(sa.text("SELECT text, type FROM surface_forms")).all()) == {
            "网络主权": "primary",
            "網絡主權": "primary",
            "網路主權": "script",
            "网络主权论": "variant",
            "網絡主權論": "script",
        }
        assert conn.execute(sa.text("SELECT count(*) FROM translations")).scalar() == 1
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE terms SET annotation_policy = 'often'"))
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE surface_forms SET type = 'nickname'"))
    command.downgrade(cfg, "0002")
    inspector = sa.inspect(engine)
    assert "annotation_policy" not in {c["name"] for c in inspector.get_columns("terms")}
    assert "type" not in {c["name"] for c in inspector.get_columns("surface_forms")}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM surface_forms")).scalar() == 5
        assert conn.execute(sa.text("SELECT count(*) FROM translations")).scalar() == 1
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # turned back on


# ---------------------------------------------------------------- the engine


def _entry(slug: str, simplified: str, policy: str = "auto", **types: str) -> Entry:
    return Entry(slug, simplified, simplified, "", tuple(types), {"en": slug}, policy=policy, form_types=types)


ENGINE = Annotator(
    [
        _entry("yfzg", "全面依法治国", **{"依法治国": "abbreviation", "“全面依法治国”": "formula-spelling"}),
        _entry("xt", "系统", "never"),
        _entry("tgjz", "脱钩", "confirm"),
        _entry("bwcx", "不忘初心、牢记使命", **{"不忘初心，牢记使命": "punctuation", "牢记初心使命": "variant"}),
        _entry("ylzd", "依法治国方略", "never"),
    ]
)


def _found(text: str, nested: bool = False) -> list[tuple[str, str, str, str]]:
    return [
        (text[m.start : m.end], m.entry.slug, m.confidence, m.form_type)
        for m in ENGINE.annotate(text, nested=nested).matches
    ]


def test_each_form_reports_its_type() -> None:
    assert _found("坚持全面依法治国，依法治国；不忘初心，牢记使命，牢记初心使命。不忘初心、牢记使命") == [
        ("全面依法治国", "yfzg", "high", "primary"),
        ("依法治国", "yfzg", "high", "abbreviation"),
        ("不忘初心，牢记使命", "bwcx", "high", "punctuation"),
        ("牢记初心使命", "bwcx", "high", "variant"),
        ("不忘初心、牢记使命", "bwcx", "high", "primary"),
    ]
    assert _found("推进“全面依法治国”")[0][3] == "formula-spelling"
    assert _found("全面依法治國")[0][3] == "primary"  # a traditional spelling folds onto its form


def test_never_is_not_matched_and_does_not_hide_other_terms() -> None:
    assert _found("这个系统很好") == []
    # the never entry's longer form does not win leftmost-longest over the abbreviation inside it
    assert _found("依法治国方略") == [("依法治国", "yfzg", "high", "abbreviation")]


def test_confirm_is_reported_low_and_not_linked_by_default() -> None:
    assert _found("中美经济脱钩") == [("脱钩", "tgjz", "low", "primary")]
    annotation = ENGINE.annotate("中美经济脱钩，全面依法治国")
    html = render_html(annotation, "/terms/{slug}")
    assert "/terms/tgjz" not in html and "/terms/yfzg" in html
    assert 'href="/terms/tgjz"' in render_html(annotation, "/terms/{slug}", unconfirmed=True)


def test_nested_matches_report_type_and_policy() -> None:
    outer, inner = ENGINE.annotate("全面依法治国", nested=True).matches
    assert (outer.form_type, inner.nested, inner.form_type) == ("primary", True, "abbreviation")
    a = Annotator([_entry("yfzg", "全面依法治国"), _entry("short", "依法治国", "confirm")])
    inner = [m for m in a.annotate("全面依法治国", nested=True).matches if m.nested]
    assert [(m.entry.slug, m.confidence, m.form_type) for m in inner] == [("short", "low", "primary")]


def test_form_type_in_json() -> None:
    item = ENGINE.annotate("依法治国").to_dict()["matches"][0]
    assert item["form_type"] == "abbreviation" and item["confidence"] == "high"


# ---------------------------------------------------------------- service, search, API, CLI


@pytest.fixture
def typed_terms(session):
    make_term(session, **TYPED)
    make_term(session, "系统", "system", annotation_policy="never", policy_note="an everyday word")
    make_term(
        session,
        "台独",
        "Taiwan independence",
        forms=[{"text": "台湾独立", "tag": "zh-Hans", "type": "full"}],
    )
    return session


@pytest.mark.parametrize(
    ("query", "simplified"),
    [("依法治国", "全面依法治国"), ("“全面依法治国”", "全面依法治国"), ("台湾独立", "台独"), ("系统", "系统")],
)
def test_search_finds_an_entry_by_each_typed_form_and_never_entries(typed_terms, query: str, simplified: str) -> None:
    hits = Searcher(typed_terms).search(query)
    assert hits and hits[0].term.simplified == simplified


def test_api_annotate_and_lookup(client, typed_terms) -> None:
    r = client.post("/api/v1/annotate", json={"text": "这个系统推进依法治国，反对台湾独立"})
    assert r.status_code == 200
    got = [(m["surface"], m["confidence"], m["form_type"]) for m in r.get_json()["matches"]]
    assert got == [("依法治国", "low", "abbreviation"), ("台湾独立", "high", "full")]  # 全面依法治国 is confirm
    body = client.get("/api/v1/terms/系统").get_json()  # never: still found by lookup
    assert body["annotation_policy"] == "never" and body["policy_note"] == "an everyday word"
    forms = {f["text"]: f["type"] for f in client.get("/api/v1/terms/依法治国").get_json()["surface_forms"]}
    assert forms["依法治国"] == "abbreviation" and forms["全面依法治国"] == "primary"


def test_api_put_sets_policy_and_types(client, typed_terms, write_token) -> None:
    current = client.get("/api/v1/terms/taidu")
    body = {k: v for k, v in current.get_json().items() if k not in ("updated", "links", "surface_forms")}
    body |= {"annotation_policy": "sometimes"}
    headers = {"Authorization": f"Bearer {write_token}", "If-Match": current.headers["ETag"]}
    bad = client.put("/api/v1/terms/taidu", json=body, headers=headers)
    assert bad.status_code == 422
    assert any(e["path"].endswith("annotation_policy") for e in bad.get_json()["errors"])
    body |= {"annotation_policy": "confirm", "policy_note": "n"}
    body["forms"] = [{"text": "台湾独立", "tag": "zh-Hans", "type": "older"}]
    ok = client.put("/api/v1/terms/taidu", json=body, headers=headers)
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["annotation_policy"] == "confirm"
    assert ok.get_json()["forms"] == [{"text": "台湾独立", "tag": "zh-Hans", "type": "older"}]


def test_cli_annotate_json_has_form_type(
    db_url: str,
    instance: Path,
    typed_terms,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    from glossary.cli import main

    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    text = tmp_path / "t.txt"
    text.write_text("反对台湾独立。系统", "utf-8")
    assert main(["annotate", str(text)]) in (0, None)
    matches = json.loads(capsys.readouterr().out)["matches"]
    assert [(m["surface"], m["slug"], m["form_type"]) for m in matches] == [("台湾独立", "taidu", "full")]


# ---------------------------------------------------------------- the seed


def _seed_terms() -> list[dict]:
    from glossary.services.seed import load_seed

    return load_seed()["terms"]


@needs_shared()
def test_every_seed_form_said_to_be_printed_in_the_corpus_is_printed_there() -> None:
    """A form's note that names a corpus document is a claim the document can check."""
    corpus = SHARED / "corpus" / "dated"
    checked = 0
    for term in _seed_terms():
        for form in term.get("forms", []):
            for name in re.findall(r"\d{4}-\d{2}-\d{2}_[\w.-]+\.txt", form.get("note") or ""):
                text = (corpus / name).read_text("utf-8")
                assert form["text"] in text, (form["text"], name)
                checked += 1
    assert checked >= 10


def test_seed_policies_carry_their_reason() -> None:
    policies = {t["simplified"]: t for t in _seed_terms() if t.get("annotation_policy", "auto") != "auto"}
    assert policies["系统"]["annotation_policy"] == "never"
    assert {"加速推进", "深入发展", "不可逆转", "留守", "光棍", "雪中送炭"} <= set(policies)
    assert all(t.get("policy_note") for t in policies.values())


def test_seed_annotates_variants_and_leaves_everyday_words(seeded, client) -> None:
    text = "各部门的系统加速推进。坚持依法治国，落实八项规定，反对台湾独立，牢记初心使命。"
    matches = client.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]
    got = {m["surface"]: (m["slug"], m["confidence"], m["form_type"]) for m in matches}
    assert "系统" not in got
    assert got["加速推进"][1:] == ("low", "primary")
    assert got["依法治国"] == ("quanmian-yifa-zhiguo", "high", "abbreviation")
    assert got["八项规定"] == ("zhongyang-ba-xiang-guiding", "high", "abbreviation")
    assert got["台湾独立"] == ("taidu", "high", "full")
    assert got["牢记初心使命"] == ("bu-wang-chuxin-laoji-shiming", "high", "variant")


def test_term_page_labels_forms_by_type_and_states_the_policy(client, typed_terms) -> None:
    page = client.get("/terms/quanmian-yifa-zhiguo").get_data(as_text=True)
    assert "<dt>Abbreviation</dt>" in page and "<dt>Formula spelling</dt>" in page
    assert "for confirmation only, without a link: Checked by hand." in page
    never = client.get("/terms/xitong").get_data(as_text=True)
    assert "does not mark this term in texts: an everyday word" in never
    plain = client.get("/terms/taidu").get_data(as_text=True)
    assert "<dt>Full form</dt>" in plain and "The annotator" not in plain
