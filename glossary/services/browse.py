"""Read-only queries behind the public pages: what is new, what there is to browse, who cites what.

Drafts are left out unless a caller (an editor's page) asks for them, so no public page can
leak one by forgetting a filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVarTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import TERM_KINDS, Definition, Excerpt, Relation, Source, Term, TermTag, Translation

_Row = TypeVarTuple("_Row")  # the selected columns, kept through the WHERE clauses added

# How a relation reads on each of its two terms' pages ("A is TYPE B": B is shown on A's page under
# OUTGOING[TYPE], and A on B's page under INCOMING[TYPE]), and the order the groups appear in.
OUTGOING = {
    "broader": "narrower",
    "narrower": "broader",
    "component-of": "part-of",
    "has-component": "components",
    "related": "related",
    "variant-of": "variant-of",
    "abbreviation-of": "abbreviation-of",
}
INCOMING = {
    "broader": "broader",
    "narrower": "narrower",
    "component-of": "components",
    "has-component": "part-of",
    "related": "related",
    "variant-of": "variants",
    "abbreviation-of": "abbreviations",
}
GROUP_LABELS = {
    "broader": "Broader terms",
    "narrower": "Narrower terms",
    "part-of": "Component of",
    "components": "Components",
    "variant-of": "Variant of",
    "variants": "Variants",
    "abbreviation-of": "Abbreviation of",
    "abbreviations": "Abbreviations",
    "related": "See also",
}


def _visible(query: sa.Select[*_Row], include_drafts: bool) -> sa.Select[*_Row]:
    return query if include_drafts else query.where(Term.status == "published")


def recent_terms(session: Session, limit: int = 10) -> list[Term]:
    """Published terms last added or changed, newest first (version 1 means never revised)."""
    query = (
        sa.select(Term)
        .where(Term.status == "published")
        .options(selectinload(Term.translations))
        .order_by(Term.updated.desc(), Term.slug)
        .limit(limit)
    )
    return list(session.scalars(query))


def tag_counts(session: Session) -> list[tuple[str, int]]:
    """Every tag of a published term with how many terms carry it, most used first."""
    count = sa.func.count(TermTag.term_id)
    query = (
        sa.select(TermTag.tag, count)
        .join(Term)
        .where(Term.status == "published")
        .group_by(TermTag.tag)
        .order_by(count.desc(), TermTag.tag)
    )
    return [(tag, n) for tag, n in session.execute(query)]


def kind_counts(session: Session) -> list[tuple[str, int]]:
    """Kinds in their canonical order, with the number of published terms of each (zeros left out)."""
    query = sa.select(Term.kind, sa.func.count(Term.id)).where(Term.status == "published").group_by(Term.kind)
    rows = {kind: n for kind, n in session.execute(query)}
    return [(kind, rows[kind]) for kind in TERM_KINDS if rows.get(kind)]


def list_terms(
    session: Session,
    *,
    tag: str | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 50,
    include_drafts: bool = False,
) -> tuple[list[Term], int]:
    """One page of terms in pinyin order (slug order is toneless pinyin order), and the total."""
    query = _visible(sa.select(Term), include_drafts)
    if tag:
        query = query.where(Term.id.in_(sa.select(TermTag.term_id).where(TermTag.tag == tag)))
    if kind:
        query = query.where(Term.kind == kind)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Term.translations), selectinload(Term.tags))
        .order_by(Term.slug)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def drafts(session: Session) -> list[Term]:
    """Every draft, most recently touched first (the editors' to-do list)."""
    query = (
        sa.select(Term)
        .where(Term.status == "draft")
        .options(selectinload(Term.translations))
        .order_by(Term.updated.desc(), Term.slug)
    )
    return list(session.scalars(query))


def related_groups(session: Session, term: Term, include_drafts: bool = False) -> list[tuple[str, list[Term]]]:
    """Terms linked to this one in either direction, grouped as the reader of this page sees them."""
    groups: dict[str, dict[int, Term]] = {key: {} for key in GROUP_LABELS}
    for rel in term.relations:
        if include_drafts or rel.target.status == "published":
            groups[OUTGOING[rel.type]][rel.target.id] = rel.target
    incoming = session.execute(
        _visible(sa.select(Relation.type, Term).join(Term, Term.id == Relation.term_id), include_drafts)
        .where(Relation.target_id == term.id)
        .options(selectinload(Term.translations))
    ).all()
    for rel_type, other in incoming:
        groups[INCOMING[rel_type]].setdefault(other.id, other)
    return [
        (GROUP_LABELS[key], sorted(members.values(), key=lambda t: t.slug))
        for key, members in groups.items()
        if members
    ]


def sources_by_id(session: Session, term: Term) -> dict[str, Source]:
    """Every source a term cites, in one query (so rendering the page does not load them one by one)."""
    ids = {t.source_id for t in term.translations} | {d.source_id for d in term.definitions}
    ids |= {e.source_id for e in term.excerpts} | {term.first_use_source_id}
    ids.discard(None)
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(sa.select(Source).where(Source.id.in_(ids)))}


@dataclass
class SourceSummary:
    source: Source
    excerpts: int
    terms: int
    term_ids: frozenset[int] = frozenset()  # the published entries citing it


def sources(session: Session) -> list[SourceSummary]:
    """All sources, newest first (undated last), with how many published excerpts and terms cite each."""
    citing = _citing_rows(session)
    per_source = (
        sa.select(Excerpt.source_id, sa.func.count(Excerpt.id))
        .join(Term)
        .where(Term.status == "published")
        .group_by(Excerpt.source_id)
    )
    excerpt_counts = {source_id: n for source_id, n in session.execute(per_source)}
    terms_per_source: dict[str | None, set[int]] = {}
    for source_id, term_id, _ in citing:
        terms_per_source.setdefault(source_id, set()).add(term_id)
    rows = session.scalars(sa.select(Source)).all()
    rows = sorted(rows, key=lambda s: (s.date is None, _negated(s.date or ""), s.title.casefold()))
    return [
        SourceSummary(s, excerpt_counts.get(s.id, 0), len(ids := terms_per_source.get(s.id, set())), frozenset(ids))
        for s in rows
    ]


def _negated(date: str) -> str:
    """A string that sorts newest date first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


def _citing_rows(session: Session, source_id: str | None = None) -> list[tuple[str | None, int, str]]:
    """(source id, term id, what cites it) for every citation by a published term."""
    children = ((Translation, "translation"), (Definition, "definition"), (Excerpt, "excerpt"))
    queries = [
        sa.select(model.source_id, model.term_id, sa.literal(how)).join(Term, Term.id == model.term_id)
        for model, how in children
    ]
    queries.append(sa.select(Term.first_use_source_id, Term.id, sa.literal("first use")))
    out: list[tuple[str | None, int, str]] = []
    for query in queries:
        source_col = query.selected_columns[0]
        query = query.where(source_col.is_not(None), Term.status == "published")
        if source_id is not None:
            query = query.where(source_col == source_id)
        out += [(s, t, how) for s, t, how in session.execute(query)]
    return out


@dataclass
class SourceCitations:
    source: Source
    excerpts: list[tuple[Excerpt, Term]] = field(default_factory=list)
    terms: list[tuple[Term, list[str]]] = field(default_factory=list)  # term and how it cites the source


def source_citations(session: Session, source_id: str) -> SourceCitations | None:
    """A source with the published excerpts taken from it and the terms that cite it, or None."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    excerpts = session.execute(
        sa.select(Excerpt, Term)
        .join(Term, Term.id == Excerpt.term_id)
        .where(Excerpt.source_id == source_id, Term.status == "published")
        .order_by(Term.slug, Excerpt.id)
    ).all()
    uses: dict[int, list[str]] = {}
    for _, term_id, how in _citing_rows(session, source_id):
        if how not in uses.setdefault(term_id, []):
            uses[term_id].append(how)
    terms = session.scalars(
        sa.select(Term).where(Term.id.in_(uses)).options(selectinload(Term.translations)).order_by(Term.slug)
    ).all()
    order = ("first use", "translation", "definition", "excerpt")
    return SourceCitations(
        source=source,
        excerpts=[(e, t) for e, t in excerpts],
        terms=[(t, sorted(uses[t.id], key=order.index)) for t in terms],
    )


def published_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count(Term.id)).where(Term.status == "published")) or 0


def source_choices(session: Session) -> list[tuple[str, str]]:
    """(id, title) of every source, for the forms that cite one."""
    return [(id_, title) for id_, title in session.execute(sa.select(Source.id, Source.title).order_by(Source.id))]


def source_by_id(session: Session, source_id: str) -> Source | None:
    return session.get(Source, source_id) if source_id else None


@dataclass(frozen=True)
class CardFacts:
    """What a term's card in an annotated text says beyond the annotator's own data."""

    definition: str | None  # the English definition (Markdown), whole: the page shows its first sentence
    official: str | None  # the PRC's own English rendering in use now (official_english)
    official_from: str | None


def card_facts(session: Session, slugs: list[str]) -> dict[str, CardFacts]:
    """Definition and official English of the terms found in a text, in two queries, not one a term."""
    if not slugs:
        return {}
    query = (
        sa.select(Term)
        .where(Term.slug.in_(slugs))
        .options(selectinload(Term.definitions), selectinload(Term.translations))
    )
    facts = {}
    for term in session.scalars(query):
        definition = next((d.text for d in term.definitions if d.lang == "en"), None)
        shown = official_english(term.translations)
        facts[term.slug] = CardFacts(definition, shown.text if shown else None, shown.date_from if shown else None)
    return facts


def official_english(translations: list[Translation]) -> Translation | None:
    """The PRC's English rendering to show first (the term page's summary, a card): the official
    one the glossary also prefers, else the official one still in use that came into use last,
    else the first given. Official English changes (新质生产力: "new productive forces" in
    Xinhua's report of January 2024, "new quality productive forces" in the Government Work Report
    of March 2024 and since), and a reader wants the rendering in use now, as the deprecated
    renderings' ``current`` does (text/renderings.py)."""
    english = [t for t in translations if t.lang == "en"]
    official = [t for t in english if t.status == "official"]
    preferred = {t.text for t in english if t.status == "preferred"}
    if chosen := next((t for t in official if t.text in preferred), None):
        return chosen
    in_use = [t for t in official if t.date_until is None and t.date_from]
    return max(in_use, key=lambda t: t.date_from or "", default=None) or next(iter(official), None)
