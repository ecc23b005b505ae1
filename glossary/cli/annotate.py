"""`glossary annotate`: the glossary's terms found in a text, as JSON or HTML."""

from __future__ import annotations

import json

import click

from .app import make_app
from .files import read_text
from .params import FILE, Choice


@click.command(short_help="find glossary terms in a text")
@click.argument("path", type=FILE, default="-", required=False)
@click.option("--format", "fmt", type=Choice(("json", "html")), default="json", show_default=True)
@click.option("--lang", default="en", show_default=True, help="language of the glosses (falls back to English)")
@click.option("--nested", is_flag=True, help="also report terms inside longer terms")
@click.option("--ruby", is_flag=True, help="HTML: pinyin as <ruby> above each term")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, help="HTML: where term links point")
def annotate(path: str, fmt: str, lang: str, nested: bool, ruby: bool, base_url: str) -> None:
    """Annotate a UTF-8 text file (PATH, or - for standard input) with glossary terms."""
    from ..extensions import db
    from ..text.annotate import render_html

    app = make_app()
    text = read_text(path, app.config["MAX_TEXT_CHARS"])
    with app.app_context():
        annotator = app.extensions["glossary.annotator"].get(db.session)
    result = annotator.annotate(text, nested=nested)
    if fmt == "html":
        click.echo(render_html(result, base_url.rstrip("/") + "/terms/{slug}", lang=lang, ruby=ruby))
    else:
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False))
