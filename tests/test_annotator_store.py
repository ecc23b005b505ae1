"""The command line's stored annotator (services/annotator_store.py): loaded when the glossary,
its schema and the code are unchanged, rebuilt when any of them changed, never trusted when
damaged, and the same annotations either way."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import term_doc
from sqlalchemy.orm import Session

from glossary.cli import main
from glossary.services import annotator_store
from glossary.services.annotation import build_annotator
from glossary.text.segment import Segmenter

TEXT = "坚持党的领导，维护網路主權。党的领导干部，一带一路倡议，全面依法治国。"


@pytest.fixture
def env(db_url: str, instance: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return db_url


def annotate(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    assert main(["annotate", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def stored(instance: Path) -> list[Path]:
    return sorted(instance.glob("annotator-*.pickle"))


def current_key(url: str) -> bytes:
    """The store's key for the database now: read with sqlite3 alone on SQLite (and the same
    through SQLAlchemy), through SQLAlchemy on any other database."""
    engine = sa.create_engine(url)
    with Session(engine) as session:
        key = annotator_store.session_key(session, url)
    engine.dispose()
    if url.startswith("sqlite"):
        assert annotator_store.sqlite_key(url) == key
    return key


def test_a_stored_annotator_answers_as_a_fresh_build(
    seeded, env: str, instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    assert stored(instance) == []
    first = annotate(capsys, text)
    (path,) = stored(instance)
    assert path.stat().st_mode & 0o077 == 0  # the owner's alone, as the secret key beside it
    written = path.stat().st_mtime_ns
    again = annotate(capsys, text)
    assert again == first and len(first["matches"]) >= 4
    assert path.stat().st_mtime_ns == written  # loaded, not rebuilt
    # and what was loaded is what a build from the database gives, nested matches included
    loaded = annotator_store.load(path, current_key(env), Segmenter(lazy_dictionary=True))
    assert loaded is not None
    engine = sa.create_engine(env)
    with Session(engine) as session:
        fresh = build_annotator(session, Segmenter(lazy_dictionary=True))
    engine.dispose()  # no pooled connection left for the garbage collector (psycopg warns)
    for nested in (False, True):
        assert loaded.annotate(TEXT, nested).to_dict() == fresh.annotate(TEXT, nested).to_dict()


def test_a_write_to_the_glossary_is_seen_by_the_next_command(
    env: str, instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "text.txt"
    text.write_text("维护网络主权", "utf-8")
    assert annotate(capsys, text)["matches"] == []
    doc = tmp_path / "term.json"
    doc.write_text(json.dumps(term_doc({"simplified": "网络主权"}), ensure_ascii=False), "utf-8")
    assert main(["import", str(doc)]) == 0
    capsys.readouterr()
    assert [m["slug"] for m in annotate(capsys, text)["matches"]] == ["wangluo-zhuquan"]
    assert len(stored(instance)) == 1  # replaced, not added to


def test_a_damaged_or_foreign_file_is_rebuilt_not_trusted(
    seeded, env: str, instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    first = annotate(capsys, text)
    (path,) = stored(instance)
    good = path.read_bytes()
    key = current_key(env)
    for damaged in (good[: len(good) // 2], b"not an annotator", good.replace(b"glossary-annotator", b"x", 1)):
        path.write_bytes(damaged)
        assert annotator_store.load(path, key, Segmenter()) is None
        assert annotate(capsys, text) == first
        assert path.read_bytes()[:19] == b"glossary-annotator\n"
    # a key of another glossary version, schema or code finds nothing
    assert annotator_store.load(path, key + b"|other", Segmenter()) is None


def test_commands_storing_at_once_all_answer_and_leave_one_whole_file(
    seeded, env: str, instance: Path, tmp_path: Path
) -> None:
    engine = sa.create_engine(env)
    results: list[dict] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            annotator = annotator_store.stored_annotator(env, instance, lambda: engine)
            results.append(annotator.annotate(TEXT).to_dict())
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert errors == [] and len(results) == 4 and all(r == results[0] for r in results)
    (path,) = stored(instance)
    assert annotator_store.load(path, current_key(env), Segmenter()) is not None
    assert [p.name for p in instance.glob("*.pickle")] == [path.name]  # no temporary file left behind


def test_an_uninitialised_database_still_gets_its_own_error(
    tmp_path: Path, instance: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.db"
    sa.create_engine(f"sqlite:///{empty}").connect().close()
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{empty}")
    text = tmp_path / "text.txt"
    text.write_text(TEXT, "utf-8")
    assert main(["annotate", str(text)]) == 1
    assert "glossary init" in capsys.readouterr().err
    assert stored(instance) == []
