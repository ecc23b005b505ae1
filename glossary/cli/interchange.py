"""`glossary import` and `glossary export`: whole glossaries in and out, in every format."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import FORMATS, SUFFIXES
from .app import make_app
from .errors import Failure
from .files import output_path, progress, read_input, write_output, write_stdout
from .params import FILE, Choice


def _guess_format(path: str, given: str | None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lstrip(".").lower() if path != "-" else ""
    return SUFFIXES.get(suffix, "json")


@click.command("import", short_help="import a glossary file atomically")
@click.argument("path", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=Choice(FORMATS),
    help="default: from the file name (.json .csv .tbx/.xml .ttl .jsonld), else json",
)
@click.option("--replace", is_flag=True, help="delete every term and source first (restore a backup)")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    help="refuse a larger file (default 64 MiB; the import holds the file and its parsed entries in memory)",
)
def import_(path: str, fmt: str | None, replace: bool, max_bytes: int | None) -> None:
    """Import a file (PATH, or - for standard input); an invalid file imports nothing and the
    error names entry and field."""
    from .. import formats
    from ..extensions import db
    from ..services import interchange
    from ..services.errors import ServiceError

    limit = max_bytes or formats.MAX_IMPORT_BYTES
    data = read_input(path, limit, f"the import limit is {limit:,} bytes (--max-bytes)")
    try:  # the bytes are let go once parsed: a large file's parsed entries need the memory
        reading = formats.read(_guess_format(path, fmt), data, limit)
        del data
    except formats.Unsupported as exc:
        raise Failure(str(exc)) from None
    except formats.FormatError as exc:
        raise Failure(f"{path}: {exc}; nothing was imported") from None
    for note in reading.notes:
        click.echo(f"{path}: {note}", err=True)
    app = make_app()
    with app.app_context():
        try:
            report, left_out = interchange.import_reading(
                db.session, reading, "cli", replace=replace, progress=progress("import")
            )
        except ServiceError as exc:
            raise Failure(f"{path}: {exc}; nothing was imported") from None
    for note in left_out:
        click.echo(f"{path}: {note}", err=True)
    click.echo(f"imported {path}: {report.summary()}")


@click.command(short_help="export the glossary")
@click.option(
    "--format",
    "fmt",
    type=Choice(FORMATS),
    default="json",
    show_default=True,
    help="skos is Turtle, skos-jsonld JSON-LD",
)
@click.option("-o", "--output", type=FILE, help="file to write (default: standard output)")
@click.option(
    "--base-url",
    default="http://127.0.0.1:8000",
    envvar="GLOSSARY_BASE_URL",
    show_default=True,
    show_envvar=True,
    help="SKOS: concept IRIs are BASE/terms/SLUG",
)
def export(fmt: str, output: str | None, base_url: str) -> None:
    """Export every term and source (drafts included) as glossary/1 JSON, CSV, TBX or SKOS."""
    from ..extensions import db
    from ..formats import Unsupported, writer
    from ..services import interchange

    try:
        write, _, _ = writer(fmt)
    except Unsupported as exc:
        raise Failure(str(exc)) from None
    target = output_path(output) if output and output != "-" else None
    app = make_app()
    with app.app_context():
        doc = interchange.export_document(db.session, progress=progress("export") if target else None)
    data = write(doc, base=base_url.rstrip("/") + "/terms/")
    if target is None:
        write_stdout(data)
        return
    write_output(target, data)
    click.echo(f"exported {len(doc['terms'])} terms and {len(doc['sources'])} sources to {target}", err=True)
