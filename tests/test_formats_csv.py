"""CSV: one row per term, multi-valued cells one item per line; it reads back what it writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.formats import FormatError, read, writer
from glossary.formats.csv_format import COLUMNS
from glossary.formats.glossary1 import document
from glossary.services.seed import load_seed

HEADER = ",".join(COLUMNS)


def _seed_doc() -> dict:
    seed = load_seed()
    return document(seed["sources"], seed["terms"])


def test_one_row_per_term_with_documented_columns() -> None:
    doc = _seed_doc()
    data = writer("csv")[0](doc)
    assert data.startswith("\ufeff".encode())  # spreadsheet programs need the BOM for UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(doc["terms"])
    assert tuple(rows[0]) == COLUMNS
    by_slug = {r["slug"]: r for r in rows}
    row = by_slug["wangluo-zhuquan"]
    assert row["simplified"] == "网络主权"
    assert "en preferred [cb-2024-dagher-margosian-ai]: cyber sovereignty" in row["translations"].splitlines()


def test_main_fields_survive_a_round_trip() -> None:
    doc = _seed_doc()
    back = read("csv", writer("csv")[0](doc)).document
    assert len(back["terms"]) == len(doc["terms"])
    for before, after in zip(doc["terms"], back["terms"], strict=True):
        for field in ("slug", "simplified", "traditional", "pinyin", "kind", "status", "tags", "note", "related"):
            assert after.get(field) == before.get(field), (before["slug"], field)
        assert [(t["lang"], t["status"], t["text"], t.get("source")) for t in after.get("translations", [])] == [
            (t["lang"], t["status"], t["text"], t.get("source")) for t in before.get("translations", [])
        ]
        assert [(e["source"], e["text"]) for e in after.get("excerpts", [])] == [
            (e["source"], " ".join(e["text"].split("\n"))) for e in before.get("excerpts", [])
        ]


def test_imports_back_through_the_cli(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "glossary.csv"
    assert main(["export", "--format", "csv", "-o", str(path)]) == 0
    text = path.read_text("utf-8-sig").replace(
        "en preferred [cb-2024-dagher-margosian-ai]: cyber sovereignty\n", "en preferred: sovereignty over cyberspace\n"
    )
    path.write_text(text, "utf-8-sig")
    capsys.readouterr()
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 updated" in out


def test_minimal_sheet_creates_terms() -> None:
    data = "simplified,translations,tags\n网络强国,en preferred: cyber superpower,cyber\n".encode()
    doc = read("csv", data).document
    assert doc["terms"] == [
        {
            "simplified": "网络强国",
            "translations": [{"lang": "en", "status": "preferred", "text": "cyber superpower"}],
            "tags": ["cyber"],
        }
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "line 1: the file is empty"),
        (b"simplified,colour\nx,red\n", "line 1: unknown column 'colour'"),
        (b"slug,pinyin\nx,y\n", "line 1: the header has no 'simplified' column"),
        (b"simplified\n\xe7\xbd\x91\n\xff\n", "line 3: not valid UTF-8"),
        (
            "simplified\n网络\n".encode("utf-16"),
            "the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8",
        ),
        ("simplified\n网络\n".encode("utf-16-le"), "the file looks like UTF-16 (little-endian, no byte-order mark)"),
        ("simplified\n网络\n中国,extra\n".encode(), "line 3: 2 cells; the header has 1"),
        ('simplified,note\n网络,"unclosed\n'.encode(), "line 2: malformed CSV"),
        ("simplified,translations\n网络,english: net\n".encode(), "line 2, column translations, item 1: expected"),
        ("simplified,kind\n网络,thing\n".encode(), "line 2, kind: 'thing' is not one of"),
        ("simplified,status\n网络,published\n,draft\n".encode(), "line 3"),
    ],
)
def test_bad_csv_names_the_line(data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as exc:
        read("csv", data)
    assert str(exc.value).startswith(message)


def test_bad_row_imports_nothing(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "simplified,translations\n新词一,en preferred: first\n新词二,en preferred [no-such-source]: second\n", "utf-8"
    )
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "no-such-source" in err and "nothing was imported" in err
    assert main(["export", "--format", "csv"]) == 0
    assert "新词一" not in capsys.readouterr().out


def _export_json(capsys: pytest.CaptureFixture) -> dict:
    assert main(["export"]) == 0
    return json.loads(capsys.readouterr().out)


def test_reimport_keeps_what_csv_cannot_carry(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """first_use, translation dates and notes, form notes, excerpt lang and translation, and the
    line breaks CSV turns into spaces all survive an export → import of the same glossary."""
    before = _export_json(capsys)
    uncarried = [
        t for t in before["terms"] if t.get("first_use") and any(x.get("note") for x in t.get("translations", []))
    ]
    assert uncarried and any(e.get("lang") for t in before["terms"] for e in t.get("excerpts", []))
    path = tmp_path / "glossary.csv"
    assert main(["export", "--format", "csv", "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"0 created, 0 updated, {len(before['terms'])} unchanged" in out
    assert _export_json(capsys) == before


def test_csv_update_merges_into_the_existing_term(seeded, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    before = {t["slug"]: t for t in _export_json(capsys)["terms"]}
    slug, term = next(
        (s, t)
        for s, t in before.items()
        if t.get("first_use") and len([x for x in t.get("translations", []) if x.get("note")]) >= 2
    )
    noted = [x for x in term["translations"] if x.get("note")]
    kept, changed = noted[0], noted[1]
    lines = []
    for x in term["translations"]:
        text = x["text"] + " (edited)" if x is changed else x["text"]
        src = f" [{x['source']}]" if x.get("source") else ""
        lines.append(f"{x['lang']} {x['status']}{src}: {text}")
    path = tmp_path / "partial.csv"
    with path.open("w", encoding="utf-8", newline="") as f:  # no excerpts, forms or tags column
        csv.writer(f).writerows(
            [["slug", "simplified", "translations", "note"], [slug, term["simplified"], "\n".join(lines), "new note"]]
        )
    assert main(["import", str(path)]) == 0
    assert "1 updated" in capsys.readouterr().out
    after = next(t for t in _export_json(capsys)["terms"] if t["slug"] == slug)
    assert after["note"] == "new note"
    assert after["first_use"] == term["first_use"]
    for name in ("excerpts", "forms", "tags", "related", "definitions", "kind", "status", "pinyin"):
        assert after.get(name) == term.get(name), name
    by_text = {x["text"]: x for x in after["translations"]}
    assert by_text[kept["text"]] == kept  # note, dates and source kept
    assert "note" not in by_text[changed["text"] + " (edited)"]  # a changed rendering is a new one


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "'quoted'", "'=already"]


@pytest.mark.parametrize("note", FORMULAS)
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised_and_read_back(note: str) -> None:
    doc = _seed_doc()
    doc["terms"] = [{**doc["terms"][0], "note": note}]
    data = writer("csv")[0](doc)
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    # no cell starts with a character a spreadsheet treats as the start of a formula
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + note in cells
    back = read("csv", data).document["terms"][0]
    assert back["note"] == note


def test_a_hand_written_leading_apostrophe_before_ordinary_text_is_kept() -> None:
    cells = {"simplified": "网络主权", "note": "'plain"}
    data = f"{HEADER}\r\n" + ",".join(cells.get(c, "") for c in COLUMNS)
    assert read("csv", data.encode()).document["terms"][0]["note"] == "'plain"
