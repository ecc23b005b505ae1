"""`glossary corpus …` (the Click group): summaries, one-line errors, exit statuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.cli.corpus import corpus_group

TEXT = "坚持总体国家安全观。" + filler(1, 500)


@pytest.fixture
def runner(session) -> CliRunner:
    """A runner on the test's database (the session fixture's app set GLOSSARY_DATABASE_URL)."""
    make_term(session, "国家安全", "national security")
    return CliRunner()


def test_import_list_reindex_and_remove(runner: CliRunner, tmp_path: Path) -> None:
    directory = write_corpus(tmp_path / "c", [{"file": "a.txt", "date": "2014-04", "kind": "speech", "text": TEXT}])
    first = runner.invoke(corpus_group, ["import", str(directory)])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"1 documents, {len(TEXT)} characters, 1 occurrences imported in ")
    again = runner.invoke(corpus_group, ["import", str(directory)])
    assert again.stdout == "nothing to import: all 1 documents are already in the corpus\n"
    listed = runner.invoke(corpus_group, ["list"])
    assert listed.stdout == f"1\t2014-04\tspeech\t{len(TEXT)}\t标题 a.txt\n"
    assert listed.stderr == f"1 documents, {len(TEXT)} characters\n"
    assert runner.invoke(corpus_group, ["list", "--kind", "law"]).stdout == ""
    reindexed = runner.invoke(corpus_group, ["reindex", "--workers", "2"])
    assert reindexed.exit_code == 0
    assert reindexed.stdout.startswith(f"1 documents, {len(TEXT)} characters, 1 occurrences indexed in ")
    assert reindexed.stdout.rstrip().endswith("with 2 worker(s)")
    removed = runner.invoke(corpus_group, ["remove", "1"])
    assert removed.stdout == "removed document 1: 2014-04 标题 a.txt\n"


def test_one_file_with_its_metadata(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "speech.txt"
    path.write_text(TEXT, "utf-8")
    result = runner.invoke(corpus_group, ["import", str(path), "--date", "2014", "--kind", "speech", "--title", "讲话"])
    assert result.exit_code == 0 and result.stdout.startswith("1 documents")
    missing = runner.invoke(corpus_group, ["import", str(path), "--date", "2014"])
    assert missing.exit_code == 2 and "one file needs --kind, --title" in missing.stderr


def test_errors_are_one_line_each_with_exit_status_1(runner: CliRunner, tmp_path: Path) -> None:
    docs = [{"file": "a.txt", "date": "2014", "kind": "speech", "text": TEXT},
            {"file": "b.txt", "date": "14 April", "kind": "speech", "text": "另一篇" + filler(2, 300)}]  # fmt: skip
    result = runner.invoke(corpus_group, ["import", str(write_corpus(tmp_path / "c", docs))])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: MANIFEST.tsv line 3 (b.txt): date '14 April' is not ISO 8601 YYYY, YYYY-MM or YYYY-MM-DD\n"
    )
    assert result.stdout.startswith("1 documents") and "1 not imported (errors above)" in result.stdout
    (tmp_path / "empty").mkdir()
    no_manifest = runner.invoke(corpus_group, ["import", str(tmp_path / "empty")])
    assert no_manifest.exit_code == 1 and no_manifest.stderr.startswith("Error: ")
    assert "no MANIFEST.tsv" in no_manifest.stderr and no_manifest.stderr.count("\n") == 1
    gone = runner.invoke(corpus_group, ["remove", "99"])
    assert (gone.exit_code, gone.stderr) == (1, "Error: no document 99\n")


def test_an_unmigrated_database_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(corpus_group, ["list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot use the database: no such table: documents")
    assert result.stderr.rstrip().endswith("run `glossary init` first") and result.stderr.count("\n") == 1
