"""glossary/1 JSON is the lossless format: the seed survives export → import → export byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import PG_URL

from glossary.cli import main
from glossary.formats import FormatError, read


def _export(path: Path) -> bytes:
    assert main(["export", "--format", "json", "-o", str(path)]) == 0
    return path.read_bytes()


def test_seed_round_trip_is_byte_identical(
    seeded, template_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    first = _export(tmp_path / "first.json")
    doc = json.loads(first)
    assert len(doc["terms"]) > 100 and doc["sources"]
    replace = []
    if PG_URL:  # one PostgreSQL database: empty it by replacing
        replace = ["--replace"]
    else:
        empty = tmp_path / "empty.db"
        shutil.copy(template_db, empty)
        monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{empty}")
    assert main(["import", str(tmp_path / "first.json"), *replace]) == 0
    assert f"{len(doc['terms'])} created" in capsys.readouterr().out
    second = _export(tmp_path / "second.json")
    assert second == first


def test_export_to_stdout_matches_file(seeded, tmp_path: Path, capsysbinary: pytest.CaptureFixture) -> None:
    path = tmp_path / "out.json"
    assert main(["export", "-o", str(path)]) == 0
    capsysbinary.readouterr()
    assert main(["export"]) == 0
    assert capsysbinary.readouterr().out == path.read_bytes()


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b'{"format": "glossary/1", "terms": [}', "line 1 column 36"),
        (b'{"format": "glossary/1", "terms": [{"simplified": "\xff"}]}', "line 1: not valid UTF-8 (byte 51)"),
        (
            '{"format": "glossary/1", "terms": []}'.encode("utf-16"),
            "the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8",
        ),
        (
            '{"format": "glossary/1", "terms": []}'.encode("utf-16-le"),
            "the file looks like UTF-16 (little-endian, no byte-order mark), not UTF-8",
        ),
        (
            '{"format": "glossary/1",\n "terms": [{"simplified": "网络"}]}'.encode("utf-16-be"),
            "the file looks like UTF-16 (big-endian, no byte-order mark), not UTF-8",
        ),
        (b'{"format": "glossary/1", "terms": [{"simplified": "x", "colour": 1}]}', "terms[0]"),
    ],
)
def test_bad_json_names_the_place(data: bytes, where: str) -> None:
    with pytest.raises(FormatError) as exc:
        read("json", data)
    assert str(exc.value).startswith(where)


def test_unknown_field_message_names_field() -> None:
    with pytest.raises(FormatError, match="unknown field.*colour"):
        read("json", b'{"format": "glossary/1", "terms": [{"simplified": "x", "colour": 1}]}')


def test_huge_file_is_refused_before_parsing() -> None:
    with pytest.raises(FormatError, match="import limit"):
        read("json", b" " * 2048, limit=1024)


def test_reimport_of_an_edited_export_updates_in_place(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Updating a term keeps its surface forms and relations (no unique-constraint clash)."""
    path = tmp_path / "glossary.json"
    _export(path)
    doc = json.loads(path.read_text("utf-8"))
    term = next(t for t in doc["terms"] if t["slug"] == "wangluo-zhuquan" and t.get("related"))
    term["note"] = "edited"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    assert main(["import", str(path)]) == 0
    assert "1 updated" in capsys.readouterr().out
    again = json.loads(_export(tmp_path / "again.json"))
    assert next(t for t in again["terms"] if t["slug"] == "wangluo-zhuquan") == term


def test_progress_shows_on_a_terminal_and_stays_quiet_when_piped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import sys

    from glossary.cli.files import progress as _progress

    assert _progress("import") is None  # stderr is captured, not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    show = _progress("import")
    for done in range(1, 121):
        show(done, 120)
    err = capsys.readouterr().err
    assert err == "\rimport: 50/120\rimport: 100/120\rimport: 120/120\n"


def test_the_schema_in_docs_is_the_one_validation_uses() -> None:
    from glossary.formats.glossary1 import SCHEMA_PATH

    docs = Path(__file__).resolve().parent.parent / "docs" / "glossary-1.schema.json"
    assert docs.read_bytes() == SCHEMA_PATH.read_bytes()
    assert json.loads(docs.read_text("utf-8"))["$defs"]["addition"]["required"] == ["slug"]


def test_the_quick_check_a_part_at_a_time_agrees_with_jsonschema_on_the_whole() -> None:
    """_plainly_valid checks the document without its terms, then each term, with the Rust
    validator: it must say valid exactly when jsonschema, reading the whole schema, finds nothing."""
    import copy

    import jsonschema

    from glossary.formats.glossary1 import _plainly_valid, schema

    good = {
        "format": "glossary/1",
        "sources": [{"id": "s", "title": "A source"}],
        "terms": [{"simplified": "网络主权", "kind": "concept", "status": "published"}] * 3,
    }
    breakages = [
        lambda d: d.pop("format"),
        lambda d: d.update(surplus=1),
        lambda d: d["sources"][0].pop("title"),
        lambda d: d["terms"][2].update(kind="nonsense"),
        lambda d: d["terms"][1].update(unknown_field=True),
        lambda d: d["terms"].append("not an object"),
    ]
    checker = jsonschema.Draft202012Validator(schema())
    assert _plainly_valid(good) and not list(checker.iter_errors(good))
    for breakage in breakages:
        doc = copy.deepcopy(good)
        breakage(doc)
        assert list(checker.iter_errors(doc)), doc
        assert not _plainly_valid(doc), doc
