"""`glossary annotate`: the glossary's terms found in a text, as JSON or HTML.

Built for long local files, timed as a whole process (bench/annotate_cli.py): it opens the
database with SQLAlchemy alone, never the Flask app (whose start-up cost more than annotating
a million characters), and has no length limit unless asked for one: GLOSSARY_MAX_TEXT_CHARS
protects the web service, not a user's own files."""

from __future__ import annotations

import gc

import click

from ..memory import keep_freed_memory
from .app import open_database
from .files import read_text, write_stdout
from .params import FILE, Choice

LARGE_TEXT = 1_000_000  # characters from which the command tunes memory for one large job

# text.languages.TEXT_LANGS, written out so that `glossary annotate --help` imports no engine
TEXT_LANGS = ("zh", "en", "fr", "de", "es", "ru", "ja")


@click.command(short_help="find glossary terms in a text")
@click.argument("path", type=FILE, default="-", required=False)
@click.option("--format", "fmt", type=Choice(("json", "html")), default="json", show_default=True)
@click.option("--lang", default="en", show_default=True, help="language of the glosses (falls back to English)")
@click.option(
    "--text-lang",
    type=Choice(TEXT_LANGS),
    default=None,
    help="language of the text besides Chinese, whose renderings are found too (default: detected; zh: none)",
)
@click.option("--nested", is_flag=True, help="also report terms inside longer terms")
@click.option("--ruby", is_flag=True, help="HTML: pinyin as <ruby> above each term")
@click.option("--date", default=None, help="the text's date (YYYY[-MM[-DD]]): terms dated later are reported low")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, help="HTML: where term links point")
@click.option(
    "--max-chars", type=click.IntRange(min=1), default=None, help="refuse a text longer than this (default: no limit)"
)
def annotate(
    path: str,
    fmt: str,
    lang: str,
    text_lang: str | None,
    nested: bool,
    ruby: bool,
    date: str | None,
    base_url: str,
    max_chars: int | None,
) -> None:
    """Annotate a UTF-8 text file (PATH, or - for standard input) with glossary terms.

    The JSON is what POST /api/v1/annotate answers for the same text and options."""
    from ..config import database_url, instance_path
    from ..services.annotator_store import stored_annotator
    from ..text.languages import annotate_text
    from ..text.render import render_html
    from ..text.senses import DATE

    if date is not None and not DATE.fullmatch(date):
        raise click.BadParameter(f"{date!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD", param_hint="--date")

    text = read_text(path, max_chars, "--max-chars")
    # A large text's matches (Match objects, then their dicts: acyclic) would only make the
    # collector walk every object again and again (0.1-0.15 s of 10 M characters' 1.7 s), and
    # malloc would hand back each large block it frees, to fault fresh pages in for the next
    # (memory.keep_freed_memory: 0.2-0.3 s of system time). Both for a large text only, and the
    # collector back on at the end, for a caller that goes on (the tests invoke the command).
    if len(text) >= LARGE_TEXT:
        keep_freed_memory()
    collecting = gc.isenabled()
    gc.disable()
    try:
        instance = instance_path()
        annotator = stored_annotator(database_url(instance), instance, open_database)
        result = annotate_text(annotator, text, nested=nested, text_lang=text_lang, date=date)
        if fmt == "html":
            click.echo(render_html(result, base_url.rstrip("/") + "/terms/{slug}", lang=lang, ruby=ruby))
        else:
            from ..formats.json_text import json_bytes

            write_stdout(json_bytes(result.to_dict(lang)) + b"\n")
    finally:
        if collecting:
            gc.enable()
