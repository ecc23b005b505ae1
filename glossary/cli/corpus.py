"""`glossary corpus …`: import, list, remove and re-index the reference corpus (thin: services do the work)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .groups import Group

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..services.corpus import ImportReport

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "corpus"


@contextlib.contextmanager
def _session() -> Iterator[Session]:
    """The configured database's session, its pool closed afterwards; a database that cannot be
    used is one line and exit 1."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from .. import create_app
    from ..extensions import db

    try:
        app = create_app()
    except ValueError as exc:  # configuration read from the environment
        raise click.ClickException(str(exc)) from None
    from .app import drain_at_end

    try:
        with app.app_context():
            yield db.session
        drain_at_end(app)
    except (OperationalError, ArgumentError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        if "no such table" in reason or "does not exist" in reason:
            reason += "; run `glossary init` first"
        raise click.ClickException(f"cannot use the database: {reason}") from None
    finally:
        db.engine(app).dispose()


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal; nothing when stderr is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _fail(exc: Exception) -> click.ClickException:
    from ..services.errors import ServiceError

    return click.ClickException(exc.detail if isinstance(exc, ServiceError) else str(exc))


def _finish(report: ImportReport) -> None:
    """An import's or a restore's report: overlaps and errors on stderr, the summary on stdout,
    exit status 1 if any document was refused."""
    for line in report.overlaps:
        click.echo(f"overlap: {line}", err=True)
    for line in report.errors:
        click.echo(f"error: {line}", err=True)
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)


@click.group("corpus", cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def corpus_group() -> None:
    """The reference corpus of dated documents that attestations and trends are computed from."""


def import_default(session: Session) -> str:
    """Load the corpus shipped in the repository (for `glossary init`); a summary line."""
    from ..services import corpus

    return corpus.import_directory(session, DEFAULT_CORPUS).summary()


@corpus_group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (one file)")
@click.option("--kind", help="document kind, e.g. speech (one file)")
@click.option("--title", help="the document's own title (one file)")
@click.option("--title-en", help="an English title (one file)")
@click.option("--issuer", help="issuer or speaker (one file)")
def import_command(
    path: Path, date: str | None, kind: str | None, title: str | None, title_en: str | None, issuer: str | None
) -> None:
    """Import a directory with a MANIFEST.tsv, or one file with --date --kind --title."""
    from ..services import corpus
    from ..services.errors import ServiceError

    with _session() as session:
        try:
            if path.is_dir():
                if date or kind or title:
                    raise click.UsageError("--date, --kind and --title describe one file; a directory has a manifest")
                with _progress(corpus.manifest_size(path), "importing") as progress:
                    report = corpus.import_directory(session, path, progress)
            else:
                missing = [
                    f"--{name}" for name, value in (("date", date), ("kind", kind), ("title", title)) if not value
                ]
                if missing:
                    raise click.UsageError(f"one file needs {', '.join(missing)}")
                assert date and kind and title
                meta = corpus.Metadata(
                    file=path.name, date=date, kind=kind, title=title, title_en=title_en, issuer=issuer
                )
                report = corpus.import_file(session, path, meta)
        except ServiceError as exc:
            raise _fail(exc) from None
    _finish(report)


@corpus_group.command("list")
@click.option("--kind", help="only documents of this kind")
@click.option("--year", type=int, help="only documents of this year")
def list_command(kind: str | None, year: int | None) -> None:
    """One line per document: id, date, kind, characters, title (and what it overlaps)."""
    from ..services import corpus

    with _session() as session:
        documents = corpus.list_documents(session, kind, year)
        for d in documents:
            flag = f"  [overlaps {d.overlaps_id}]" if d.overlaps_id else ""
            click.echo(f"{d.id}\t{d.date}\t{d.kind}\t{d.chars}\t{d.title}{flag}")
        chars = sum(d.chars for d in documents)
    click.echo(f"{len(documents)} documents, {chars} characters", err=True)


@corpus_group.command("remove")
@click.argument("document_id", type=int)
def remove_command(document_id: int) -> None:
    """Delete a document and its occurrences."""
    from ..services import corpus
    from ..services.errors import ServiceError

    with _session() as session:
        try:
            document = corpus.remove_document(session, document_id)
        except ServiceError as exc:
            raise _fail(exc) from None
        click.echo(f"removed document {document_id}: {document.date} {document.title}")


@corpus_group.command("reindex")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="processes annotating")
@click.option("--pending", is_flag=True, help="only the re-indexing that term edits queued (see README)")
def reindex_command(workers: int, pending: bool) -> None:
    """Find every published term in every document again (after a bulk glossary change), or
    with --pending do only what term edits have queued."""
    from ..services import corpus_index, corpus_queue

    started = time.perf_counter()
    if pending:
        if workers != 1:
            raise click.UsageError("--pending re-reads a few documents in this process: --workers does not apply")
        with _session() as session:
            done = corpus_queue.drain(session)
        click.echo(
            f"{done.requests} queued edit(s): {done.documents} documents re-read, {done.occurrences} occurrences"
            f" stored in {time.perf_counter() - started:.1f} s"
        )
        return
    with _session() as session:
        documents, chars = corpus_index.size(session)
        with _progress(documents, "indexing") as progress:
            documents, occurrences = corpus_index.reindex_all(session, workers, progress)
    click.echo(
        f"{documents} documents, {chars} characters, {occurrences} occurrences indexed"
        f" in {time.perf_counter() - started:.1f} s with {workers} worker(s)"
    )


@corpus_group.command("export")
@click.argument("path")
def export_command(path: str) -> None:
    """Back up every document (metadata, provenance, licence note, text) to PATH as JSON Lines,
    or to standard output with -; `glossary corpus import-backup` restores it."""
    import os

    from ..services import corpus_backup
    from .files import output_path

    target = None if path == "-" else output_path(path)
    count = -1  # the header is a line too
    with _session() as session:
        if target is None:
            for line in corpus_backup.export_lines(session):
                sys.stdout.write(line)
                count += 1
        else:  # through a temporary file, so a failed backup leaves the target as it was
            tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
            try:
                with tmp.open("w", encoding="utf-8") as out:
                    for line in corpus_backup.export_lines(session):
                        out.write(line)
                        count += 1
                os.replace(tmp, target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise click.ClickException(f"{path}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"{count} documents backed up" + ("" if target is None else f" to {target}"), err=True)


@corpus_group.command("import-backup")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_backup_command(path: Path) -> None:
    """Restore the documents of a backup made by `glossary corpus export` (documents already in
    the corpus are skipped), indexing them with the glossary as it is."""
    from ..services import corpus_backup
    from ..services.errors import ServiceError

    with _session() as session, path.open("rb") as lines:
        try:
            report = corpus_backup.restore(session, lines, path.name)
        except ServiceError as exc:
            raise _fail(exc) from None
    _finish(report)


@corpus_group.command("candidates")
@click.option(
    "--since", help="recent means dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD); default: the last five years"
)
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--kind", type=click.Choice(["numbered", "quoted", "rising"]), help="only candidates found this way")
@click.option("--json", "as_json", is_flag=True, help="the API's JSON instead of one line per candidate")
def candidates_command(since: str | None, limit: int, kind: str | None, as_json: bool) -> None:
    """The new-formulation watch: phrases frequent in recent documents that the glossary does not
    hold, strongest rise first. Per line: kind, phrase, first date in the corpus, recent documents,
    recent and earlier occurrences, G², and the latest passage using it."""
    import json

    from ..services.corpus_candidates import candidates
    from ..services.errors import ServiceError

    with _session() as session:
        try:
            found = candidates(session, since, limit, kind)
        except ServiceError as exc:
            raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for c in found["items"]:
        fields = (c["kind"], c["phrase"], c["first_date"], c["documents"], c["occurrences"], c["earlier_occurrences"])
        click.echo("\t".join(map(str, fields)) + f"\t{c['g2']}\t{c['example']['excerpt']}")
    click.echo(
        f"{len(found['items'])} candidates in {found['recent_documents']} documents since {found['since']}", err=True
    )
