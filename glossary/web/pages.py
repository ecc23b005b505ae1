"""Public pages: home, search, browse, a term, sources."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import TERM_KINDS, TRANSLATION_STATUSES, Excerpt, Term, Translation
from ..services import browse, revisions
from ..services import terms as term_service
from ..services.characters import character_breakdown
from ..services.search import MAX_QUERY, QueryError, Searcher
from ..services.source_groups import grouped_sources
from ..text.keys import has_han
from . import bp
from .auth import current_user
from .citation import citations
from .corpus import legacy_concordance, term_corpus
from .formatting import FORM_LABELS

PER_PAGE = 60


def _kind_arg() -> str | None:
    kind = request.args.get("kind") or None
    return kind if kind in TERM_KINDS else None


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


@bp.get("/")
def home() -> str:
    session = db.session
    total = browse.published_count(session)
    return render_template(
        "home.html",
        recent=browse.recent_terms(session, 12),
        tags=browse.tag_counts(session),
        kinds=browse.kind_counts(session),
        total=total,
    )


@bp.get("/search")
def search() -> str | Response:
    q = request.args.get("q", "")
    kind = _kind_arg()
    tag = request.args.get("tag") or None
    session = db.session
    hits, in_text, suggestions, error = [], [], [], None
    if q.strip():
        searcher = Searcher(session, kind=kind, tag=tag, include_drafts=current_user() is not None)
        try:
            hits = searcher.search(q, 50)
            in_text = searcher.in_text(current_app.extensions["glossary.annotator"].get(session), q)
            suggestions = [] if hits or in_text else searcher.suggest(q)
        except QueryError as exc:
            error = str(exc)
        shown = {t.term.slug for t in in_text}
        hits = [h for h in hits if h.term.slug not in shown]  # each term once: in the text first
    elif kind or tag:
        return redirect(url_for("web.browse", kind=kind, tag=tag))
    return render_template(
        "search.html",
        q=q,
        q_lang="zh" if has_han(q) else None,  # pinyin and English queries are not Chinese text
        kind=kind,
        tag=tag,
        hits=hits,
        in_text=in_text,
        suggestions=suggestions,
        error=error,
        max_query=MAX_QUERY,
        kinds=browse.kind_counts(session),
        tags=browse.tag_counts(session),
    )


@bp.get("/terms", endpoint="browse")
def browse_terms() -> str:
    kind = _kind_arg()
    tag = request.args.get("tag") or None
    page = _page_arg()
    session = db.session
    terms, total = browse.list_terms(session, tag=tag, kind=kind, page=page, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "browse.html",
        terms=terms,
        total=total,
        page=page,
        pages=pages,
        kind=kind,
        tag=tag,
        kinds=browse.kind_counts(session),
        tags=browse.tag_counts(session),
    )


def _translation_groups(term: Term) -> list[tuple[str, list[Translation]]]:
    """Translations by language (English first), each language in status order."""
    rank = {s: i for i, s in enumerate(TRANSLATION_STATUSES)}
    langs = sorted({t.lang for t in term.translations}, key=lambda lang: (lang != "en", lang))
    return [
        (lang, sorted((t for t in term.translations if t.lang == lang), key=lambda t: (rank[t.status], t.text)))
        for lang in langs
    ]


FORM_TYPE_LABELS = {
    "abbreviation": "Abbreviation",
    "full": "Full form",
    "older": "Older form",
    "punctuation": "Punctuation variant",
    "formula-spelling": "Formula spelling",
    "variant": "Variant",
}


def _other_forms(term: Term) -> list[tuple[str, str, list[str]]]:
    """(label, tag, texts) for the forms that differ from the simplified and traditional headings:
    regional spellings by region, then curated forms by type (an abbreviation, an older form …)."""
    shown = {term.simplified, term.traditional}
    groups: dict[tuple[str, str], list[str]] = {}
    for form in term.forms:
        if form.text not in shown:
            kind = "script" if form.type in ("primary", "script") else form.type
            groups.setdefault((kind, form.tag), []).append(form.text)
            shown.add(form.text)
    tags = ("zh-TW", "zh-HK", "zh-Hant", "zh-Hans")
    out = []
    for kind in ("script", *FORM_TYPE_LABELS):
        for tag in tags:
            if (texts := groups.get((kind, tag))) is None:
                continue
            if kind == "script":
                label = FORM_LABELS[tag] + (" variant" if tag in ("zh-Hans", "zh-Hant") else "")
            else:
                label = FORM_TYPE_LABELS[kind] + ("" if tag == "zh-Hans" else f" ({FORM_LABELS[tag]})")
            out.append((label, tag, texts))
    return out


def _references(term: Term) -> list[str]:
    """The sources the page cites, each once, numbered in the order the page first cites them."""
    cited = [d.source_id for d in term.definitions]
    cited += [t.source_id for _, items in _translation_groups(term) for t in items]
    cited += [term.first_use_source_id] + [e.source_id for e in term.excerpts]
    return [source_id for source_id in dict.fromkeys(cited) if source_id]


def _excerpt_groups(term: Term, references: list[str]) -> list[tuple[str | None, list[Excerpt]]]:
    """Excerpts by source, in reference order (a source with six passages is named once)."""
    order = {source_id: n for n, source_id in enumerate(references)}
    groups: dict[str | None, list[Excerpt]] = {}
    for excerpt in term.excerpts:
        groups.setdefault(excerpt.source_id, []).append(excerpt)
    return sorted(groups.items(), key=lambda group: order.get(group[0] or "", len(order)))


@bp.get("/terms/<slug>")
def term(slug: str) -> str | Response:
    session = db.session
    editor = current_user()
    found = term_service.get_term(session, slug, include_drafts=editor is not None)
    if found.slug != slug:
        return redirect(url_for("web.term", slug=found.slug), 301)
    if moved := legacy_concordance(found.slug):
        return moved
    latest = revisions.latest(session, found.slug)
    if latest is not None:  # cite the revision the reader saw, so the citation stays true
        permalink = url_for("web.revision", slug=found.slug, number=latest.number, _external=True)
    else:
        permalink = url_for("web.term", slug=found.slug, _external=True)
    today = datetime.now(UTC).date()
    cite = citations(found, latest.number if latest else None, found.updated.date(), permalink, today)
    references = _references(found)
    return render_template(
        "term.html",
        term=found,
        references=references,
        ref_number={source_id: n for n, source_id in enumerate(references, 1)},
        excerpt_groups=_excerpt_groups(found, references),
        official=browse.official_english(found.translations),
        sources=browse.sources_by_id(session, found),
        translation_groups=_translation_groups(found),
        other_forms=_other_forms(found),
        related=browse.related_groups(session, found, include_drafts=editor is not None),
        latest=latest,
        cite=cite,
        editor=editor,
        corpus=term_corpus(found),
        chars=character_breakdown(session, found),
    )


@bp.get("/sources")
def sources() -> str:
    kinds = grouped_sources(db.session)
    return render_template("sources.html", kinds=kinds, total=sum(k.sources for k in kinds))


@bp.get("/sources/<source_id>")
def source(source_id: str) -> str:
    found = browse.source_citations(db.session, source_id)
    if found is None:
        abort(404, description=f"There is no source with the id “{source_id}”.")
    return render_template("source.html", cited=found)
