"""`glossary extract`: candidate entries mined from a document, to review and then import."""

from __future__ import annotations

import click

from .app import make_app
from .errors import Failure
from .files import output_path, read_text, write_output, write_stdout
from .params import FILE, Choice, Positive

HELP = (
    "Find Chinese expressions a document glosses (English (中文), “English” (中文), 中文 (English), "
    "*pinyin* (中文), names, titles …) and, in Chinese documents, recurring quoted phrases and numbered "
    "formulas. Writes glossary/1 JSON to review and then `glossary import`: new entries as drafts, "
    "known terms with the glosses they lack as alternative translations.\n\n"
    "PATH is a UTF-8 text file, or - for standard input."
)


@click.command(help=HELP, short_help="suggest new entries from a document")
@click.argument("path", type=FILE)
@click.option("-o", "--output", type=FILE, help="file to write (default: standard output)")
@click.option(
    "--format", "fmt", type=Choice(("json", "text")), default="json", show_default=True, help="text: a table to read"
)
@click.option("--source", metavar="ID", help="cite this source id (default: a new source for the file)")
@click.option("--title", help="title of the new source (default: the file name)")
@click.option("--no-names", is_flag=True, help="leave out names of people")
@click.option(
    "--min-count",
    type=Positive(),
    default=2,
    show_default=True,
    help="Chinese documents: how often a phrase must occur",
)
def extract(
    path: str, output: str | None, fmt: str, source: str | None, title: str | None, no_names: bool, min_count: int
) -> None:
    from ..extensions import db
    from ..formats.glossary1 import dumps
    from ..services import extraction
    from ..services.errors import ServiceError

    app = make_app()
    text = read_text(path, app.config["MAX_TEXT_CHARS"])
    with app.app_context():
        try:
            found, doc = extraction.extract_document(
                db.session,
                text,
                path if path != "-" else "stdin",
                source_id=source,
                title=title,
                names=not no_names,
                min_count=min_count,
            )
        except ServiceError as exc:
            raise Failure(f"{path}: {exc}") from None
    counts = {status: sum(1 for s in found if s.status == status) for status in ("new", "new gloss", "known")}
    summary = (
        f"{len(found)} candidates: {counts['new']} new, {counts['new gloss']} known with a new gloss, "
        f"{counts['known']} already in the glossary"
    )
    if fmt == "text":
        for s in found:
            english = "; ".join(s.new_english if s.existing else s.english) or "—"
            where = ", ".join(f"line {line}" for _, line, _ in s.contexts)
            click.echo(f"{s.status:9}  {s.chinese}  {english}  ({s.kind}, {s.count}×, {where})")
        click.echo(summary, err=True)
        return
    data = dumps(doc).encode("utf-8")
    if output and output != "-":
        write_output(output_path(output), data)
    else:
        write_stdout(data)
    click.echo(f"{summary}; review, then: glossary import FILE", err=True)
