"""The `glossary` command: thin wrappers around services, one-line errors, non-zero exits."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .formats import FORMATS
from .services.terms import begin_write

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


_apps: list = []  # made by this invocation of main(); their pools are closed when it returns


def _app():  # noqa: ANN202
    from . import create_app

    app = create_app()
    _apps.append(app)
    return app


def _progress(label: str) -> Callable[[int, int], None] | None:
    """A progress line on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            end = "\n" if done == total else ""
            print(f"\r{label}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def load_seed() -> dict:
    """All seed/*.json files merged into one glossary/1 document."""
    from .formats import FormatError
    from .formats.glossary1 import parse, validate_document

    sources: dict[str, dict] = {}
    terms: list[dict] = []
    for path in sorted(SEED_DIR.glob("*.json")):
        try:
            doc = parse(path.read_bytes())
        except FormatError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        for src in doc.get("sources", []):
            if src["id"] in sources and sources[src["id"]] != src:
                raise CommandError(f"{path.name}: source {src['id']} differs from its earlier definition")
            sources[src["id"]] = src
        terms += doc["terms"]
    merged = {"format": "glossary/1", "sources": list(sources.values()), "terms": terms}
    try:
        validate_document(merged)
    except FormatError as exc:
        raise CommandError(f"seed: {exc}") from None
    return merged


def cmd_init(args: argparse.Namespace) -> None:
    from .extensions import db
    from .services import interchange, migrate

    app = _app()
    with app.app_context():
        engine = db.engine(app)
        migrated = migrate.upgrade(engine)
        print(f"database: {'migrated to' if migrated else 'already at'} revision {migrate.head(engine)}")
        session = db.session
        if args.no_seed:
            if migrated:  # a migration may rebuild tables, leaving the planner without statistics
                interchange.refresh_statistics(session)
            return
        begin_write(session)
        report = interchange.load(session, load_seed(), "seed", keep_existing=True, progress=_progress("seed"))
        session.commit()
        interchange.refresh_statistics(session)
        if report.changed:
            print(f"seed: {report.summary()}")
        else:
            print("seed: already loaded, nothing changed")


def _read_input(path: str, limit: int, limit_text: str | None = None) -> bytes:
    """The file's (or stdin's) bytes; a file larger than limit bytes is refused from its size,
    before it is read, so a huge file cannot exhaust memory."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        size = len(data)
    else:
        p = Path(path)
        if not p.is_file():
            raise CommandError(f"{path}: no such file")
        size = p.stat().st_size
        data = p.read_bytes() if size <= limit else b""
        size = max(size, len(data))  # it may have grown since
    if size > limit:
        amount = f"more than {limit:,}" if path == "-" else f"{size:,}"  # stdin is read only that far
        limit_text = limit_text or f"the import limit is {limit:,} bytes"
        raise CommandError(f"{path}: the file is {amount} bytes; {limit_text}; nothing was read")
    return data


def _guess_format(path: str, given: str | None) -> str:
    from .formats import SUFFIXES

    if given:
        return given
    suffix = Path(path).suffix.lstrip(".").lower() if path != "-" else ""
    return SUFFIXES.get(suffix, "json")


def _read_text(path: str, limit: int) -> str:
    """A UTF-8 text file (or stdin) of at most ``limit`` characters, or a one-line error."""
    from .formats import encoding_problem

    most = 4 * limit + 3  # UTF-8 takes at most 4 bytes a character, and 3 for a byte-order mark
    raw = _read_input(
        path, most, f"the limit is {limit:,} characters (GLOSSARY_MAX_TEXT_CHARS), at most {most:,} bytes"
    )
    if (problem := encoding_problem(raw)) is not None:
        raise CommandError(f"{path}: {problem}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CommandError(f"{path}: not valid UTF-8 (line {line}, byte {exc.start})") from None
    if len(text) > limit:
        raise CommandError(f"{path}: {len(text)} characters; the limit is {limit} (GLOSSARY_MAX_TEXT_CHARS)")
    return text


def cmd_import(args: argparse.Namespace) -> None:
    from .extensions import db
    from .formats import MAX_IMPORT_BYTES, FormatError, Unsupported, locate, read
    from .services import interchange
    from .services.errors import ServiceError

    fmt = _guess_format(args.path, args.format)
    data = _read_input(args.path, MAX_IMPORT_BYTES)
    try:
        reading = read(fmt, data)
    except Unsupported as exc:
        raise CommandError(str(exc)) from None
    except FormatError as exc:
        raise CommandError(f"{args.path}: {exc}; nothing was imported") from None
    for note in reading.notes:
        print(f"{args.path}: {note}", file=sys.stderr)
    app = _app()
    with app.app_context():
        session = db.session
        begin_write(session)
        try:
            doc = reading.document
            if reading.new_only and not args.replace:
                from .services.extraction import drop_existing

                doc, dropped = drop_existing(session, doc, reading.where)
                for note in dropped:
                    print(f"{args.path}: {note}", file=sys.stderr)
            report = interchange.import_document(
                session, doc, "cli", replace=args.replace, merge=reading.merge, progress=_progress("import")
            )
            session.commit()
            interchange.refresh_statistics(session)
        except (ServiceError, FormatError) as exc:
            session.rollback()
            errors = getattr(exc, "errors", None) or [{"path": "", "message": str(exc)}]
            first = errors[0]
            where = locate(first.get("path", ""), reading.where)
            message = f"{where}: {first['message']}" if where else str(exc)
            raise CommandError(f"{args.path}: {message}; nothing was imported") from None
    print(f"imported {args.path}: {report.summary()}")


_SPECIAL = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


def _output_path(path: str) -> Path:
    """Where -o may write: a new file or an existing regular one, never a directory, link or device
    (writing replaces the target, which would turn /dev/null or a symlink into a plain file)."""
    p = Path(path)
    try:
        mode = p.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise CommandError(f"{path}: is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        kind = _SPECIAL.get(stat.S_IFMT(mode), "a special file")
        raise CommandError(f"{path}: is {kind}, not a regular file; refusing to replace it (omit -o for stdout)")
    if not p.parent.exists():
        raise CommandError(f"{path}: folder {p.parent} does not exist")
    return p


def _write_output(target: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so a failed write leaves the target as it was."""
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise CommandError(f"{target}: cannot write: {exc.strerror or exc}") from None


def cmd_export(args: argparse.Namespace) -> None:
    from .extensions import db
    from .formats import Unsupported, writer
    from .services import interchange

    try:
        write, _, _ = writer(args.format)
    except Unsupported as exc:
        raise CommandError(str(exc)) from None
    base = args.base_url.rstrip("/") + "/terms/"
    target = _output_path(args.output) if args.output and args.output != "-" else None
    app = _app()
    with app.app_context():
        doc = interchange.export_document(db.session, progress=_progress("export") if target else None)
    data = write(doc, base=base)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_output(target, data)
    print(f"exported {len(doc['terms'])} terms and {len(doc['sources'])} sources to {target}", file=sys.stderr)


def cmd_annotate(args: argparse.Namespace) -> None:
    from .extensions import db
    from .text.annotate import render_html

    app = _app()
    text = _read_text(args.path, app.config["MAX_TEXT_CHARS"])
    with app.app_context():
        annotator = app.extensions["glossary.annotator"].get(db.session)
    result = annotator.annotate(text, nested=args.nested)
    if args.format == "html":
        sys.stdout.write(
            render_html(result, args.base_url.rstrip("/") + "/terms/{slug}", lang=args.lang, ruby=args.ruby) + "\n"
        )
    else:
        sys.stdout.write(json.dumps(result.to_dict(args.lang), ensure_ascii=False) + "\n")


def cmd_extract(args: argparse.Namespace) -> None:
    from .extensions import db
    from .formats import FormatError
    from .formats.glossary1 import dumps, validate_document
    from .models import Source
    from .services import extraction

    app = _app()
    text = _read_text(args.path, app.config["MAX_TEXT_CHARS"])
    with app.app_context():
        session = db.session
        source = extraction.source_for(args.path if args.path != "-" else "stdin", text, args.title)
        if args.source:
            known = session.get(Source, args.source)
            cited = {"id": known.id, "title": known.title, "language": known.language} if known else None
            source = cited or {**source, "id": args.source}
        found = extraction.suggest(session, text, names=not args.no_names, min_count=args.min_count)
        doc = extraction.suggestions_document(session, found, source)
    try:
        validate_document(doc)
    except FormatError as exc:
        raise CommandError(f"{args.path}: {exc}") from None
    counts = {status: sum(1 for s in found if s.status == status) for status in ("new", "new gloss", "known")}
    summary = (
        f"{len(found)} candidates: {counts['new']} new, {counts['new gloss']} known with a new gloss, "
        f"{counts['known']} already in the glossary"
    )
    if args.format == "text":
        for s in found:
            english = "; ".join(s.new_english if s.existing else s.english) or "—"
            where = ", ".join(f"line {line}" for _, line, _ in s.contexts)
            print(f"{s.status:9}  {s.chinese}  {english}  ({s.kind}, {s.count}×, {where})")
        print(summary, file=sys.stderr)
        return
    data = dumps(doc).encode("utf-8")
    if args.output and args.output != "-":
        _write_output(_output_path(args.output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    print(f"{summary}; review, then: glossary import FILE", file=sys.stderr)


def warm(app) -> None:  # noqa: ANN001
    """Load jieba's dictionary and build the current glossary's annotator in the server's master
    process, so that every worker forked from it starts with both instead of spending its first
    request on them (a second or more); the engine's connections are closed before the fork,
    since workers must not share them. A database that cannot be read yet is no reason not to
    serve: the workers answer 503 until it can, and build the annotator then."""
    from sqlalchemy.exc import OperationalError

    from .extensions import db

    try:
        with app.app_context():
            app.extensions["glossary.annotator"].get(db.session).segmenter.tokenizer  # noqa: B018
    except OperationalError as exc:
        print(f"glossary serve: warning: {_database_problem(exc)}; starting anyway", file=sys.stderr)
    finally:
        db.engine(app).dispose()


def cmd_serve(args: argparse.Namespace) -> None:
    from gunicorn.app.base import BaseApplication

    app = _app()
    warm(app)

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", "-" if args.access_log else None)

        def load(self):  # noqa: ANN202
            return app

    print(f"serving on http://{args.host}:{args.port} with {args.workers} worker(s)", file=sys.stderr, flush=True)
    Server().run()


def cmd_token_create(args: argparse.Namespace) -> None:
    from .extensions import db
    from .services import auth
    from .services.errors import ServiceError

    app = _app()
    with app.app_context():
        try:
            _, token = auth.create_token(db.session, args.name, args.scope)
            db.session.commit()
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
    print(f"created {args.scope} token {args.name!r}; it is shown once, store it now:")
    print(token)


def cmd_user_create(args: argparse.Namespace) -> None:
    from .extensions import db
    from .services import auth
    from .services.errors import ServiceError

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise CommandError("passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    app = _app()
    with app.app_context():
        try:
            auth.create_user(db.session, args.name, password)
            db.session.commit()
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
    print(f"created editor {args.name!r}")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1–65535, got {port}")
    return port


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="glossary", description="A sourced glossary of CCP political language.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser(
        "serve",
        help="serve the site and API with gunicorn",
        description="Serve the web site and JSON API with a production WSGI server (gunicorn).",
    )
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=_port, default=8000)
    s.add_argument("--workers", type=_positive, default=int(os.environ.get("GLOSSARY_WORKERS", "2")))
    s.add_argument("--threads", type=_positive, default=4)
    s.add_argument("--access-log", action="store_true", help="log every request to stdout")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser(
        "init",
        help="migrate the database and load the seed glossary",
        description="Migrate to the newest schema and load seed/ (idempotent: existing terms are kept).",
    )
    s.add_argument("--no-seed", action="store_true", help="only migrate")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser(
        "import",
        help="import a glossary file atomically",
        description="Import a file; an invalid file imports nothing and the error names entry and field.",
    )
    s.add_argument("path", help="file to import, or - for standard input")
    s.add_argument(
        "--format",
        choices=FORMATS,
        help="default: from the file name (.json .csv .tbx/.xml .ttl .jsonld), else json",
    )
    s.add_argument("--replace", action="store_true", help="delete every term and source first (restore a backup)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser(
        "export",
        help="export the glossary",
        description="Export every term and source (drafts included) as glossary/1 JSON, CSV, TBX or SKOS.",
    )
    s.add_argument(
        "--format", choices=FORMATS, default="json", help="skos is Turtle, skos-jsonld JSON-LD (default: json)"
    )
    s.add_argument("-o", "--output", help="file to write (default: standard output)")
    s.add_argument(
        "--base-url",
        default=os.environ.get("GLOSSARY_BASE_URL", "http://127.0.0.1:8000"),
        help="SKOS: concept IRIs are BASE/terms/SLUG (default: $GLOSSARY_BASE_URL or http://127.0.0.1:8000)",
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "annotate",
        help="find glossary terms in a text",
        description="Annotate a UTF-8 text file (or - for standard input) with glossary terms.",
    )
    s.add_argument("path", nargs="?", default="-")
    s.add_argument("--format", choices=("json", "html"), default="json")
    s.add_argument("--lang", default="en", help="language of the glosses (falls back to English)")
    s.add_argument("--nested", action="store_true", help="also report terms inside longer terms")
    s.add_argument("--ruby", action="store_true", help="HTML: pinyin as <ruby> above each term")
    s.add_argument("--base-url", default="http://127.0.0.1:8000", help="HTML: where term links point")
    s.set_defaults(func=cmd_annotate)

    s = sub.add_parser(
        "extract",
        help="suggest new entries from a document",
        description=(
            "Find Chinese expressions a document glosses (English (中文), “English” (中文), 中文 (English), "
            "*pinyin* (中文), names, titles …) and, in Chinese documents, recurring quoted phrases and numbered "
            "formulas. Writes glossary/1 JSON to review and then `glossary import`: new entries as drafts, "
            "known terms with the glosses they lack as alternative translations."
        ),
    )
    s.add_argument("path", help="UTF-8 text file, or - for standard input")
    s.add_argument("-o", "--output", help="file to write (default: standard output)")
    s.add_argument("--format", choices=("json", "text"), default="json", help="text: a table to read (default: json)")
    s.add_argument("--source", metavar="ID", help="cite this source id (default: a new source for the file)")
    s.add_argument("--title", help="title of the new source (default: the file name)")
    s.add_argument("--no-names", action="store_true", help="leave out names of people")
    s.add_argument(
        "--min-count", type=_positive, default=2, help="Chinese documents: how often a phrase must occur (default 2)"
    )
    s.set_defaults(func=cmd_extract)

    t = sub.add_parser("token", help="manage API tokens", description="Manage API bearer tokens.")
    tsub = t.add_subparsers(dest="action", required=True, parser_class=_Parser)
    s = tsub.add_parser(
        "create",
        help="create a token (printed once)",
        description="Create a bearer token; it is printed once on the last line, only its hash is kept.",
    )
    s.add_argument("name")
    s.add_argument("--scope", choices=("read", "write"), default="read")
    s.set_defaults(func=cmd_token_create)

    u = sub.add_parser("user", help="manage editor accounts", description="Manage web editor accounts.")
    usub = u.add_subparsers(dest="action", required=True, parser_class=_Parser)
    s = usub.add_parser(
        "create",
        help="create an editor",
        description="Create an editor; the password is prompted, or read from standard input.",
    )
    s.add_argument("name")
    s.set_defaults(func=cmd_user_create)
    return p


def _database_url() -> str:
    """The database this invocation uses, password masked, for error messages."""
    from sqlalchemy.engine import make_url

    url = _apps[-1].config["DATABASE_URL"] if _apps else os.environ.get("GLOSSARY_DATABASE_URL", "")
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: mask anything between '://user:' and '@'
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _database_problem(exc: Exception) -> str:
    """One line for a database that cannot be used: which one (password masked) and why."""
    from sqlalchemy.exc import ArgumentError

    url = _database_url()
    if isinstance(exc, ArgumentError):
        return f"GLOSSARY_DATABASE_URL {url!r} is not a database URL this installation can use: {exc}"
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database {url} has no glossary tables ({reason}); run `glossary init` first"
    return f"cannot use the database {url}: {reason}"


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import ArgumentError, OperationalError

    args = parser().parse_args(argv)
    try:
        args.func(args)
    except CommandError as exc:
        print(f"glossary {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except (OperationalError, ArgumentError) as exc:  # unreachable, missing or unmigrated; a bad URL
        print(f"glossary {args.command}: error: {_database_problem(exc)}", file=sys.stderr)
        return 1
    except ValueError as exc:  # configuration read from the environment
        print(f"glossary {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        from .extensions import db

        while _apps:
            db.engine(_apps.pop()).dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
