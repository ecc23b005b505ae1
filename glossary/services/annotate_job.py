"""An annotate request's work, from the parsed request to the reply's bytes: one function for
the request thread (small texts) and the separate process that annotates large ones
(glossary/annotate_pool.py), so both answer byte for byte the same. It imports only the engine
and the JSON writer, so that process starts without Flask or SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass

from ..formats.json_text import json_bytes
from ..text.annotate import Annotator
from ..text.languages import annotate_text
from ..text.render import render_html


@dataclass(frozen=True)
class AnnotateJob:
    """What to annotate and how to answer, as plain values (it crosses a process boundary)."""

    text: str
    lang: str = "en"
    nested: bool = False
    text_lang: str | None = None
    date: str | None = None
    ruby: bool = False
    html_href: str | None = None  # the term link pattern ("…/{slug}") for format html; None: json only
    echo_text: bool = False  # a file's reply carries the text read from it, which the offsets index


def annotate_reply(annotator: Annotator, job: AnnotateJob) -> bytes:
    """The annotate reply's JSON body."""
    result = annotate_text(annotator, job.text, nested=job.nested, text_lang=job.text_lang, date=job.date)
    payload = result.to_dict(job.lang)
    if job.echo_text:
        payload["text"] = job.text
    if job.html_href is not None:
        payload["html"] = render_html(result, job.html_href, lang=job.lang, ruby=job.ruby)
    # orjson: json.dumps took longer than the annotation itself on a long text (bench/api_annotate.py)
    return json_bytes(payload)
