"""Research pages over the corpus: the phrase concordance (any string in context, counts per year)
and the comparison of two documents or sets of documents (key terms by G²). Thin routes over
services.corpus_phrase and services.corpus_compare."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import render_template, request, url_for

from ..extensions import db
from ..models import DOCUMENT_KINDS
from ..services import corpus_browse, corpus_compare, corpus_phrase, corpus_queries
from ..services.errors import Invalid, NotFound
from . import bp
from .chart import Series, line_chart
from .corpus import kind_arg, positive_arg


def _fragment(part: str) -> str:
    """A piece of a text fragment directive: percent-encoded, including the - , & it reserves."""
    return quote(" ".join(part.split()), safe="")


@bp.app_template_global()
def phrase_href(item: dict[str, Any]) -> str:
    """A phrase concordance line's link: the document page, scrolled to and highlighting the line
    by a text fragment (#:~:text=prefix-,match,-suffix), which browsers that support it follow."""
    prefix, suffix = item["left"][-6:], item["right"][:6]
    directive = f"{_fragment(prefix)}-,{_fragment(item['match'])},-{_fragment(suffix)}"
    return url_for("web.document", document_id=item["document"]["id"]) + "#:~:text=" + directive


@bp.get("/concordance")
def phrase_page() -> tuple[str, int]:
    session = db.session
    q = request.args.get("q", "")
    kind, page = kind_arg("kind"), positive_arg("page")
    issuer = request.args.get("issuer") or None
    context: dict[str, Any] = {"q": q, "kind": kind, "issuer": issuer, "kinds": DOCUMENT_KINDS, "result": None,
                               "error": None, "facets": corpus_browse.facets(session)}  # fmt: skip
    if not q.strip():
        return render_template("concordance.html", **context), 200
    try:
        result = corpus_phrase.phrase_concordance(session, q, kind, issuer, page)
    except Invalid as exc:
        return render_template("concordance.html", **context | {"error": exc.detail}), 400
    documents = {row["year"]: row["corpus_documents"] for row in result["by_year"]}
    series = [Series(q.strip(), {row["year"]: row["per_100k"] for row in result["by_year"]})]
    conc = result["concordance"]
    context |= {
        "result": result,
        "chart": line_chart(series, documents, "per 100,000 characters") if documents else None,
        "page": page,
        "pages": max(1, -(-conc["total"] // conc["per_page"])),
    }
    return render_template("concordance.html", **context), 200


@bp.get("/compare")
def compare_page() -> tuple[str, int]:
    session = db.session
    a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    context: dict[str, Any] = {"a": a, "b": b, "result": None, "error": None, "kinds": DOCUMENT_KINDS}
    if not (a or b):
        return render_template("compare.html", **context), 200
    try:
        result = corpus_compare.compare(session, a, b, 25)
    except Invalid as exc:
        return render_template("compare.html", **context | {"error": exc.detail}), 400
    except NotFound as exc:
        return render_template("compare.html", **context | {"error": exc.detail}), 404
    titles = corpus_browse.document_titles(session, [*result.a["documents"], *result.b["documents"]])
    heads = corpus_browse.headwords(session, [i["term"] for name in ("only_a", "only_b", "rose", "fell")
                                              for i in getattr(result, name)])  # fmt: skip
    context |= {"result": result, "titles": titles, "heads": heads, "corpus": corpus_queries.corpus_version(session)}
    return render_template("compare.html", **context), 200
