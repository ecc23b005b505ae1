"""An annotate request's work, from the parsed request to the reply's bytes: one function for
the request thread (small texts) and the separate process that annotates large ones
(glossary/annotate_pool.py), so both answer byte for byte the same. It imports only the engine
and the JSON writer, so that process starts without Flask or SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass, fields

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

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled with the text as UTF-32 bytes: pickle writes a str as UTF-8, and encoding and
        decoding 1,000,000 Chinese characters so took 5.6 ms where this takes 2.4, on the path
        of every large annotate (glossary/annotate_pool.py). Exact for any str (surrogatepass)."""
        options = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "text"}
        return _from_wire, (self.text.encode("utf-32-le", "surrogatepass"), options)


def _from_wire(text: bytes, options: dict[str, object]) -> AnnotateJob:
    return AnnotateJob(text.decode("utf-32-le", "surrogatepass"), **options)  # type: ignore[arg-type]


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
