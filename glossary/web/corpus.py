"""Corpus pages: the term page's "In the corpus" section, the documents, and trends.

Thin routes: figures come from services.corpus_queries (stored counts, never texts read per
request) and services.corpus_browse; charts are laid out by web.chart. Every figure and CSV
carries the corpus version (documents counted and last import) so a citation can be reproduced.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import DOCUMENT_KINDS, Term
from ..services import corpus as corpus_service
from ..services import corpus_browse, corpus_queries
from ..services import terms as term_service
from ..services.errors import Invalid, NotFound
from . import bp
from .auth import current_user
from .chart import Series, line_chart, year_ranges
from .doctext import anchor, annotated

UNCHECKED = "string occurrences, sense not checked"
TERM_CSV = ("term", "year", "occurrences", "documents_using_term", "corpus_documents", "chars", "per_100k", "kinds",
            "counted")  # fmt: skip
TRENDS_CSV = ("term", "year", "measure", "value", "occurrences", "documents_using_term", "corpus_documents", "kind")
VERSION_CSV = ("corpus_documents_total", "corpus_last_import")  # the corpus version, on every row
TERM_PAGE_LINES = 5  # concordance lines on the term page; all of them are on /terms/<slug>/concordance
LEGACY_ARGS = {"ckind": "kind", "cissuer": "issuer", "cpage": "page"}  # the term page's, to the concordance page's
MEASURE_LABELS = {"per_100k": "uses per 100,000 characters", "documents": "% of that year's documents using it"}


def kind_arg(name: str) -> str | None:
    """A document kind from the query string: empty means any, an unknown one is a 400 naming the kinds."""
    try:
        return corpus_browse.check_kind(request.args.get(name) or None)
    except Invalid as exc:
        abort(400, description=exc.detail)


def positive_arg(name: str) -> int:
    raw = request.args.get(name, "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=f"{name} must be a whole number of 1 or more, not {raw!r}")
    return min(int(raw), 100_000)


def unchecked(term: Term) -> bool:
    """Entries the annotator does not link in prose are still counted, as plain strings."""
    return term.annotation_policy in ("confirm", "never")


def _kinds_line(kinds: list[tuple[str, int]]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in kinds)


def _year_rows(by_year: list[dict[str, Any]], kinds: dict[int, list[tuple[str, int]]]) -> list[dict[str, Any]]:
    return [row | {"kinds": _kinds_line(kinds.get(row["year"], []))} for row in by_year]


def term_corpus(term: Term) -> dict[str, Any]:
    """What the term page's corpus section shows: the figures of every year (the chart; the table
    lists the years the term is used in and names the others), and the first concordance lines —
    the rest are on the term's concordance page, so the page stays within its size budget."""
    session = db.session
    data = corpus_queries.attestations(session, term.slug, per_page=TERM_PAGE_LINES)
    documents = {row["year"]: row["corpus_documents"] for row in data["by_year"]}
    chart = line_chart([Series(term.simplified, {r["year"]: r["per_100k"] for r in data["by_year"]})],
                       documents, "per 100,000 characters")  # fmt: skip
    rows = _year_rows(data["by_year"], corpus_browse.year_kinds(session))
    unused = [row["year"] for row in rows if not row["occurrences"]]
    return {
        "data": data,
        "rows": [row for row in rows if row["occurrences"]],
        "years": len(rows),
        "unused": len(unused),
        "unused_years": year_ranges(unused),
        "chart": chart,
        "kind_totals": corpus_browse.kind_totals(session),
        "unchecked": unchecked(term),
    }


def legacy_concordance(slug: str) -> Response | None:
    """The term page's old concordance parameters (?ckind=…&cissuer=…&cpage=…, from before the
    concordance had a page of its own) checked as they were, then sent to that page, so links
    people kept still work; None when the request has none of them."""
    if not any(name in request.args for name in LEGACY_ARGS):
        return None
    kind_arg("ckind"), positive_arg("cpage")
    args = {new: request.args[old] for old, new in LEGACY_ARGS.items() if request.args.get(old)}
    return redirect(url_for("web.term_concordance", slug=slug, **args), 301)  # type: ignore[arg-type]  # str query arguments, as in trends()


@bp.get("/terms/<slug>/concordance")
def term_concordance(slug: str) -> Response | str:
    """Every line of a term's concordance, filtered by document kind and speaker, a page at a time."""
    session = db.session
    term = term_service.get_term(session, slug, include_drafts=current_user() is not None)
    if term.slug != slug:
        return redirect(url_for("web.term_concordance", slug=term.slug), 301)
    kind, page = kind_arg("kind"), positive_arg("page")
    issuer = request.args.get("issuer") or None
    conc = corpus_queries.concordance(session, term.id, kind, page, issuer=issuer)
    return render_template(
        "term_concordance.html",
        term=term,
        conc=conc,
        kind=kind,
        issuer=issuer,
        kinds=DOCUMENT_KINDS,
        issuers=corpus_browse.facets(session)["issuer"],
        pages=max(1, -(-conc["total"] // conc["per_page"])),
        corpus=corpus_queries.corpus_version(session),
        unchecked=unchecked(term),
    )


def _csv(rows: list[list[object]], filename: str) -> Response:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _version(corpus: dict[str, Any]) -> list[object]:
    return [corpus["documents"], corpus["last_import"] or ""]


@bp.get("/terms/<slug>/corpus.csv")
def term_corpus_csv(slug: str) -> Response:
    session = db.session
    term = term_service.get_term(session, slug, include_drafts=current_user() is not None)
    data = corpus_queries.attestations(session, term.slug, per_page=1)
    kinds = corpus_browse.year_kinds(session)
    counted = UNCHECKED if unchecked(term) else "matches"
    rows: list[list[object]] = [[*TERM_CSV, *VERSION_CSV]]
    for row in _year_rows(data["by_year"], kinds):
        rows.append([term.slug, row["year"], row["occurrences"], row["documents"], row["corpus_documents"],
                     row["chars"], row["per_100k"], row["kinds"], counted, *_version(data["corpus"])])  # fmt: skip
    return _csv(rows, f"{term.slug}-corpus-{data['corpus']['documents']}docs.csv")


@bp.get("/documents")
def documents() -> str:
    session = db.session
    kind, page = kind_arg("kind"), positive_arg("page")
    raw_year = request.args.get("year") or ""
    if raw_year and not raw_year.isdigit():
        abort(400, description=f"year must be a year such as 2017, not {raw_year!r}")
    year = int(raw_year) if raw_year else None
    issuer = request.args.get("issuer") or None
    q = (request.args.get("q") or "").strip()
    listed, total = corpus_browse.search_documents(session, kind, year, issuer, q, page)
    return render_template(
        "documents.html",
        listed=listed,
        total=total,
        page=page,
        pages=max(1, -(-total // corpus_browse.PER_PAGE)),
        kind=kind,
        year=year,
        issuer=issuer,
        q=q,
        facets=corpus_browse.facets(session),
        corpus=corpus_queries.corpus_version(session),
    )


@bp.get("/documents/<int:document_id>", endpoint="document")
def document_page(document_id: int) -> str:
    session = db.session
    doc = corpus_service.get_document(session, document_id)
    text = annotated(doc.text, corpus_browse.marks(session, doc.id), url_for("web.term", slug="SLUG"))
    return render_template("document.html", doc=doc, text=text, terms=corpus_browse.document_terms(session, doc.id))


def _trend_keys() -> list[str]:
    raw = request.args.get("terms", "")
    return [key.strip() for key in raw.replace("，", ",").split(",") if key.strip()]


def _trends_context(keys: list[str]) -> dict[str, Any]:
    """The figures for the terms asked for, or an error message and the status to send it with."""
    session = db.session
    measure = request.args.get("measure") or "per_100k"
    kind = kind_arg("kind")
    context: dict[str, Any] = {"keys": keys, "measure": measure, "kind": kind, "kinds": DOCUMENT_KINDS,
                     "measures": MEASURE_LABELS, "result": None, "error": None, "status": 200}  # fmt: skip
    if not keys:
        return context
    try:
        terms = [term_service.get_term(session, key, include_drafts=False) for key in keys]
        result = corpus_queries.trends(session, [t.slug for t in terms], measure, kind)
    except NotFound as exc:
        return context | {"error": exc.detail, "status": 404}
    except Invalid as exc:
        return context | {"error": exc.detail, "status": 400}
    scale = 100 if measure == "documents" else 1
    documents = {year: sum(n for _, n in kinds) for year, kinds in corpus_browse.year_kinds(session, kind).items()}
    by_slug = {t.slug: t for t in terms}
    series = [Series(by_slug[s["term"]].simplified, {p["year"]: p["value"] * scale for p in s["points"]})
              for s in result["series"]]  # fmt: skip
    return context | {
        "terms": terms,
        "result": result,
        "documents": documents,
        "scale": scale,
        "chart": line_chart(series, documents, MEASURE_LABELS[measure]),
        "canonical": [t.slug for t in terms],
    }


@bp.get("/trends")
def trends() -> Response | tuple[str, int]:
    keys = _trend_keys()
    context = _trends_context(keys)
    if context.get("canonical") and context["canonical"] != keys:  # 网络主权 → its slug: a stable, shareable URL
        args = request.args.to_dict() | {"terms": ",".join(context["canonical"])}
        return redirect(url_for("web.trends", **args))  # type: ignore[arg-type]  # str query arguments; mypy reads url_for's _external
    return render_template("trends.html", **context), context["status"]


@bp.get("/trends.csv")
def trends_csv() -> Response:
    context = _trends_context(_trend_keys())
    if context["error"] or context["result"] is None:
        abort(context["status"] if context["error"] else 400, description=context["error"] or "give terms=slug,slug")
    result, documents = context["result"], context["documents"]
    rows: list[list[object]] = [[*TRENDS_CSV, *VERSION_CSV]]
    for s in result["series"]:
        for p in s["points"]:
            rows.append([s["term"], p["year"], result["measure"], p["value"], p["occurrences"], p["documents"],
                         documents.get(p["year"], 0), context["kind"] or "", *_version(result["corpus"])])  # fmt: skip
    return _csv(rows, f"trends-{result['corpus']['documents']}docs.csv")


@bp.app_template_global()
def concordance_href(item: dict[str, Any]) -> str:
    """A concordance line's permalink: its place in the document page."""
    return url_for("web.document", document_id=item["document"]["id"], _anchor=anchor(item["start"], item["end"]))
