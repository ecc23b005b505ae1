"""The `glossary` command: every subcommand's help, happy paths and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import term_doc

from glossary.cli import main

SUBCOMMANDS = [
    ["serve"],
    ["init"],
    ["import"],
    ["export"],
    ["annotate"],
    ["token"],
    ["token", "create"],
    ["user"],
    ["user", "create"],
]


@pytest.fixture
def env(db_url: str, instance: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0
    assert f"Usage: glossary {' '.join(argv)}" in out
    assert len(out.splitlines()) >= 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "99999"], "port must be 1–65535"),
        (["serve", "--port", "http"], "not a port number"),
        (["serve", "--workers", "0"], "must be at least 1"),
        (["export", "--format", "xlsx"], "invalid choice"),
        (["token", "create", "ci", "--scope", "admin"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_give_one_line_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_init_is_idempotent_and_says_so(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init")
    assert code == 0
    assert "created" in out
    code, out, _ = run(capsys, "init")
    assert code == 0
    assert "already loaded, nothing changed" in out


def test_init_no_seed_only_migrates(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--no-seed")
    assert code == 0
    from glossary.services import migrate

    assert f"revision {migrate.head(sa.create_engine(env))}" in out  # head: the newest migration
    code, out, _ = run(capsys, "export")
    assert json.loads(out)["terms"] == []


def test_import_then_export(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = term_doc(
        {"simplified": "网络主权", "translations": [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}]}
    )
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "import", str(path))
    assert code == 0, out
    assert "1 created" in out
    code, out, _ = run(capsys, "export")
    exported = json.loads(out)
    (term,) = exported["terms"]
    assert term["slug"] == "wangluo-zhuquan"
    assert term["traditional"] == "網絡主權"
    assert term["pinyin"] == "wǎngluò zhǔquán"


def test_invalid_import_names_entry_and_field_and_imports_nothing(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = term_doc(
        {"simplified": "共同富裕"},
        {"simplified": "网络主权", "translations": [{"lang": "en", "text": "x", "status": "favourite"}]},
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "terms[1].translations[0].status" in err
    assert "nothing was imported" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "export")
    assert json.loads(out)["terms"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe\x00garbage", "the file is UTF-16 (little-endian, with a byte-order mark), not UTF-8"),
        ('{"format": "glossary/1", "terms": []}'.encode("utf-16-le"), "looks like UTF-16 (little-endian"),
        (b'{"format": "glossary/1", "terms": [{"simplified": "\xff"}]}', "line 1: not valid UTF-8 (byte 51)"),
        (b'{"format": "glossary/1", "terms": [{"simplified": "x", "colour": "red"}]}', "unknown field"),
        (b'{"format": "glossary/2", "terms": []}', "format"),
        (b"[]", "glossary/1 document"),
        (
            b'{"format": "glossary/1", "terms": [{"simplified": "x", "note": "a\\u0000b"}]}',
            "terms[0].note: contains a NUL character",
        ),
        (
            b'{"format": "glossary/1", "terms": [{"simplified": "x", "note": "a\\ud800b"}]}',
            "terms[0].note: contains a lone surrogate",
        ),
        (
            b'{"format": "glossary/1", "sources": [{"id": "s", "title": "\\u0000"}], "terms": []}',
            "sources[0].title: contains a NUL character",
        ),
    ],
)
def test_import_bad_files(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "nothing was imported" in err
    code, out, _ = run(capsys, "export")
    assert code == 0 and json.loads(out)["terms"] == []


def test_oversized_files_are_refused_from_their_size_before_reading(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from glossary.formats import MAX_IMPORT_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:  # sparse: takes no disk space
        f.truncate(MAX_IMPORT_BYTES + 1)
    text = tmp_path / "long.txt"
    text.write_text("网络主权 " * 30, "utf-8")

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    code, _, err = run(capsys, "import", str(huge))
    assert code == 1
    assert err.strip() == (
        f"glossary import: error: {huge}: the file is {MAX_IMPORT_BYTES + 1:,} bytes; "
        f"the import limit is {MAX_IMPORT_BYTES:,} bytes (--max-bytes); nothing was read"
    )
    monkeypatch.setenv("GLOSSARY_MAX_TEXT_CHARS", "10")
    code, _, err = run(capsys, "extract", str(text))
    assert code == 1
    assert "the limit is 10 characters (GLOSSARY_MAX_TEXT_CHARS), at most 43 bytes; nothing was read" in err
    assert len(err.strip().splitlines()) == 1


def test_max_bytes_sets_the_import_limit(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A termbase larger than the default limit can be imported by raising it; a file over the
    limit given is refused whole, by its size, naming the option."""
    doc = tmp_path / "one.json"
    doc.write_text(json.dumps({"format": "glossary/1", "terms": [{"simplified": "网络主权"}]}), "utf-8")
    size = doc.stat().st_size
    code, _, err = run(capsys, "import", "--max-bytes", str(size - 1), str(doc))
    assert code == 1
    assert err.strip() == (
        f"glossary import: error: {doc}: the file is {size:,} bytes; "
        f"the import limit is {size - 1:,} bytes (--max-bytes); nothing was read"
    )
    code, out, _ = run(capsys, "import", "--max-bytes", str(size), str(doc))
    assert code == 0 and "terms: 1 created" in out
    code, _, err = run(capsys, "import", "--max-bytes", "0", str(doc))
    assert code == 2 and "--max-bytes" in err


def test_standard_input_is_read_only_up_to_the_limit(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("glossary.formats.MAX_IMPORT_BYTES", 100)
    stdin = io.BytesIO(b" " * 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
    code, _, err = run(capsys, "import", "-")
    assert code == 1 and "-: the file is more than 100 bytes; the import limit is 100 bytes (--max-bytes)" in err
    assert stdin.tell() == 101


def test_extract_names_utf16(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Beijing defends “net sovereignty” (网络主权) abroad.\n", "utf-16")
    code, _, err = run(capsys, "extract", str(path))
    assert code == 1
    assert err.strip() == (
        f"glossary extract: error: {path}: the file is UTF-16 (little-endian, with a byte-order mark), "
        "not UTF-8; save it as UTF-8"
    )


def test_import_missing_file_and_unknown_relation(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nope.json"))
    assert (code, "no such file" in err) == (1, True)
    path = tmp_path / "rel.json"
    path.write_text(json.dumps(term_doc({"simplified": "共同富裕", "related": [{"slug": "nope", "type": "related"}]})))
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "terms[0].related[0].slug" in err


def test_import_unknown_source_reference(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "src.json"
    path.write_text(json.dumps(term_doc({"simplified": "共同富裕", "excerpts": [{"source": "ghost", "text": "x"}]})))
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "terms[0].excerpts[0].source" in err and "ghost" in err


def test_export_to_file_and_bad_targets(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", "--no-seed")
    target = tmp_path / "out.json"
    code, _, err = run(capsys, "export", "-o", str(target))
    assert code == 0
    assert json.loads(target.read_text())["format"] == "glossary/1"
    code, _, err = run(capsys, "export", "-o", str(tmp_path))
    assert (code, "is a directory" in err) == (1, True)
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "missing" / "x.json"))
    assert (code, "does not exist" in err) == (1, True)


def test_export_refuses_targets_that_are_not_regular_files(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export replaces its target by renaming a temporary file over it: over a symlink or a device
    that would leave a plain file in its place (it turned /dev/full into one)."""
    import os
    import stat

    run(capsys, "init", "--no-seed")
    kept = tmp_path / "kept.json"
    kept.write_text("precious")
    link = tmp_path / "link.json"
    link.symlink_to(kept)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for target, kind in ((link, "a symbolic link"), (dangling, "a symbolic link"), (fifo, "a named pipe")):
        code, out, err = run(capsys, "export", "-o", str(target))
        assert code == 1, target
        message = f"{target}: is {kind}, not a regular file; refusing to replace it (omit -o for stdout)"
        assert err.strip() == f"glossary export: error: {message}"
        assert out == ""
    assert link.is_symlink() and dangling.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert kept.read_text() == "precious"
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]  # no temporary file left behind


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_export_to_an_unwritable_place_is_a_one_line_error(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", "--no-seed")
    code, out, err = run(capsys, "export", "-o", "/proc/x.json")
    assert code == 1 and out == ""
    assert err.startswith("glossary export: error: /proc/x.json: cannot write: ")
    assert len(err.strip().splitlines()) == 1


def test_commands_close_every_connection_they_open(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pooled connection left for the garbage collector is closed at an arbitrary later moment
    (psycopg warns then, in whichever test happens to be running)."""
    opened: list[int] = []
    closed: list[int] = []
    listeners = {
        "connect": lambda dbapi, _rec: opened.append(id(dbapi)),
        "close": lambda dbapi, _rec: closed.append(id(dbapi)),
    }
    for name, fn in listeners.items():
        sa.event.listen(sa.pool.Pool, name, fn)
    try:
        for argv in (["init", "--no-seed"], ["export", "-o", str(tmp_path / "x.json")], ["token", "create", "t"]):
            assert run(capsys, *argv)[0] == 0
    finally:
        for name, fn in listeners.items():
            sa.event.remove(sa.pool.Pool, name, fn)
    assert opened and sorted(opened) == sorted(closed)


def test_token_create_prints_token_alone_on_last_line(env: str, capsys: pytest.CaptureFixture[str], app) -> None:
    from glossary.extensions import db
    from glossary.models import ApiToken
    from glossary.services.auth import hash_token

    code, out, _ = run(capsys, "token", "create", "ci-bot", "--scope", "write")
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("gl_") and " " not in token
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "ci-bot"))
        assert row.scope == "write"
        assert row.token_hash == hash_token(token)
        assert token not in row.token_hash
    code, _, err = run(capsys, "token", "create", "bad name!")
    assert code == 1 and "name" in err


def test_user_create_reads_password_from_stdin(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, app
) -> None:
    import io

    from glossary.extensions import db
    from glossary.services.auth import authenticate

    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    code, out, _ = run(capsys, "user", "create", "editor")
    assert code == 0 and "created editor" in out
    with app.app_context():
        assert authenticate(db.session, "editor", "correct horse battery") is not None
        assert authenticate(db.session, "editor", "wrong") is None
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "user", "create", "other")
    assert code == 1 and "at least 8" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    code, _, err = run(capsys, "user", "create", "editor")
    assert code == 1 and "already exists" in err


def test_annotate_command(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            term_doc(
                {
                    "simplified": "网络主权",
                    "translations": [{"lang": "en", "text": "cyber sovereignty", "status": "preferred"}],
                }
            ),
            ensure_ascii=False,
        )
    )
    run(capsys, "import", str(path))
    text = tmp_path / "text.txt"
    text.write_text("维护網路主權", "utf-8")
    code, out, _ = run(capsys, "annotate", str(text))
    assert code == 0
    result = json.loads(out)
    assert result["matches"][0]["surface"] == "網路主權"
    assert result["matches"][0]["gloss"] == "cyber sovereignty"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("<b>网络主权</b>".encode())))
    code, out, _ = run(capsys, "annotate", "-", "--format", "html")
    assert code == 0
    assert "&lt;b&gt;" in out and 'href="http://127.0.0.1:8000/terms/wangluo-zhuquan"' in out
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")  # Latin-1 (\xff\xfe would be a UTF-16 byte-order mark)
    code, _, err = run(capsys, "annotate", str(bad))
    assert code == 1 and "not valid UTF-8" in err
    # the service's limit is not the command line's: a local file of any length is annotated
    monkeypatch.setenv("GLOSSARY_MAX_TEXT_CHARS", "3")
    code, out, _ = run(capsys, "annotate", str(text))
    assert code == 0 and json.loads(out)["chars"] == 6
    code, _, err = run(capsys, "annotate", str(text), "--max-chars", "3")
    assert code == 1 and "the limit is 3 characters (--max-chars)" in err
    code, _, err = run(capsys, "annotate", str(tmp_path / "missing.txt"))
    assert code == 1 and "missing.txt: no such file" in err


def test_annotate_turns_the_collector_back_on(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command annotates with the collector off, and a caller that goes on (these tests call
    it in their own process) gets it back on, after an error too."""
    import gc

    import click

    from glossary.cli.annotate import annotate as cli_annotate
    from glossary.text import languages

    text = tmp_path / "text.txt"
    text.write_text("维护网络主权", "utf-8")
    seen: list[bool] = []
    real = languages.annotate_text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(languages, "annotate_text", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
        assert run(capsys, "annotate", str(text))[0] == 0
        patch.setattr(languages, "annotate_text", lambda *a, **k: seen.append(gc.isenabled()) or 1 / 0)
        with pytest.raises(ZeroDivisionError), click.Context(cli_annotate):  # as main() would run it
            cli_annotate.callback(str(text), "json", "en", None, False, False, None, "http://x", None)
    assert seen == [False, False] and gc.isenabled()


def test_annotate_opens_the_database_without_flask(env: str, tmp_path: Path) -> None:
    """The Flask app's start-up cost more than annotating a million characters."""
    text = tmp_path / "text.txt"
    text.write_text("维护网络主权", "utf-8")
    script = (
        "import sys; from glossary.cli import main; code = main(['annotate', sys.argv[1]]); "
        "print('flask' in sys.modules, 'pypinyin' in sys.modules, code, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(text)], capture_output=True, text=True, check=False)
    assert done.stderr.strip().splitlines()[-1] == "False False 0", done.stderr
    assert json.loads(done.stdout)["chars"] == 6


def test_bad_environment_is_one_line_error(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSSARY_MAX_TEXT_CHARS", "lots")
    code, _, err = run(capsys, "export")
    assert code == 1
    assert "GLOSSARY_MAX_TEXT_CHARS must be a whole number" in err


UNREACHABLE = [
    ["init"],
    ["export"],
    ["import", "FILE"],
    ["annotate", "FILE"],
    ["token", "create", "t"],
    ["user", "create", "u"],
]


def _unreachable_urls() -> list[str]:
    urls = ["sqlite:////nonexistent/folder/glossary.db"]
    pg = os.environ.get("GLOSSARY_TEST_DATABASE_URL")
    if pg:  # a database that does not exist on a server that does, with a password to mask
        url = sa.engine.make_url(pg).set(database="no_such_glossary", password="s3cret")
        urls.append(url.render_as_string(hide_password=False))
    return urls


@pytest.mark.parametrize("argv", UNREACHABLE, ids=" ".join)
def test_an_unusable_database_is_a_one_line_error_naming_it(
    instance: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text('{"format": "glossary/1", "terms": [{"simplified": "网络主权"}]}')
    argv = [str(doc) if a == "FILE" else a for a in argv]
    for url in _unreachable_urls():
        monkeypatch.setenv("GLOSSARY_DATABASE_URL", url)
        monkeypatch.setattr("sys.stdin", io.StringIO("a good password\n"))  # for user create
        code, out, err = run(capsys, *argv)
        assert code == 1, (argv, url)
        assert len(err.strip().splitlines()) == 1, err
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        assert err.startswith(f"glossary {argv[0]}: error: cannot use the database {shown}: "), err
        assert "s3cret" not in err and "Traceback" not in err


def test_a_bad_database_url_or_an_uninitialised_database_says_what_to_do(
    instance: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", "nonsense://user:pw@host/db")
    code, _, err = run(capsys, "export")
    assert code == 1 and "is not a database URL" in err and "pw" not in err
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, _, err = run(capsys, "export")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "has no glossary tables" in err and "run `glossary init` first" in err


def test_console_script_is_installed() -> None:
    result = subprocess.run([Path(sys.executable).with_name("glossary"), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "serve" in result.stdout and "annotate" in result.stdout


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, help_text, _ = run(capsys, "--help")
    assert code == 0
    for command in ("serve", "init", "import", "export", "extract", "annotate", "token", "user"):
        assert f"  {command} " in help_text


def test_serve_warms_the_annotator_and_jieba_before_the_workers_fork(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from glossary import create_app
    from glossary.cli.serve import warm
    from glossary.extensions import db
    from glossary.text.segment import shared_segmenter

    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(term_doc({"simplified": "网络主权", "status": "published"})), "utf-8")
    assert run(capsys, "import", str(doc))[0] == 0
    capsys.readouterr()
    app = create_app()
    cache = app.extensions["glossary.annotator"]
    warm(app)
    assert [e.simplified for e in cache._annotator.entries] == ["网络主权"]
    assert cache._annotator.segmenter is shared_segmenter()
    assert shared_segmenter()._ready  # jieba's dictionary is loaded
    assert "pypinyin.pinyin_dict" in sys.modules  # and the pinyin library, which term pages use
    assert db.engine(app).pool.checkedout() == 0  # no connection is carried into a worker
    assert capsys.readouterr().err == ""


def test_serve_starts_on_a_database_it_cannot_read_yet_with_a_warning(
    instance: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from glossary import create_app
    from glossary.cli.serve import warm

    monkeypatch.setenv("GLOSSARY_DATABASE_URL", "sqlite:////nonexistent/folder/glossary.db")
    app = create_app()
    warm(app)
    err = capsys.readouterr().err
    assert err.startswith("glossary serve: warning: cannot use the database sqlite:////nonexistent/folder/glossary.db")
    assert err.strip().endswith("starting anyway") and len(err.strip().splitlines()) == 1
    assert app.extensions["glossary.annotator"]._annotator is None
