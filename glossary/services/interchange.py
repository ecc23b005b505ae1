"""Import and export whole glossary/1 documents, atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats import FormatError, Reading, locate
from ..formats.glossary1 import document, validate_document
from ..models import SearchKey, Source, Term
from ..text.keys import latin_key
from . import bulk, fastinsert, visibility
from .errors import Invalid, ServiceError
from .extraction import drop_existing
from .representation import source_to_dict, term_to_dict
from .terms import (
    TERM_LOAD,
    TermInput,
    begin_write,
    bump_annotation_version,
    bump_version,
    lock_version,
    record,
    record_deletions,
    save_term,
    set_relations,
    unchanged,
    write_time,
)

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)  # given what the document's additions add
    sources_added: int = 0
    sources_updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.updated or self.extended or self.sources_added or self.sources_updated or self.deleted
        )

    def summary(self) -> str:
        parts = [f"{len(self.created)} created", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.extended:
            parts.append(f"{len(self.extended)} extended")
        if self.kept:
            parts.append(f"{len(self.kept)} kept as edited")
        if self.deleted:
            parts.append(f"{self.deleted} deleted first")
        parts.append(f"sources: {self.sources_added} added, {self.sources_updated} updated")
        return "terms: " + ", ".join(parts)


def _source_columns(src: dict[str, Any]) -> dict[str, Any]:
    return {k: src.get(k) for k in ("title", "author", "publisher", "container", "date", "url", "note")} | {
        "language": src.get("language") or "en"
    }


def _import_sources(session: Session, sources: list[dict[str, Any]], report: ImportReport, overwrite: bool) -> None:
    existing = {s.id: s for s in session.scalars(sa.select(Source))}
    for src in sources:
        cols = _source_columns(src)
        current = existing.get(src["id"])
        if current is None:
            session.add(Source(id=src["id"], **cols))
            report.sources_added += 1
        elif overwrite and any(getattr(current, k) != v for k, v in cols.items()):
            for k, v in cols.items():
                setattr(current, k, v)
            report.sources_updated += 1
    session.flush()


def import_document(
    session: Session,
    doc: dict[str, Any],
    actor: str,
    *,
    replace: bool = False,
    keep_existing: bool = False,
    merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
    progress: Progress | None = None,
    consume: bool = False,
    validated: bool = False,
) -> ImportReport:
    """Load a validated glossary/1 document in the caller's transaction; on any error nothing
    is written (the caller rolls back).

    replace: delete every term and source first (restore from a backup).
    keep_existing: leave terms that already exist untouched (seed loading must not overwrite edits).
    merge: for formats that carry only some fields (Reading.merge): completes an entry that
    updates an existing term from that term, so the update keeps what the file cannot express.
    consume: drop each entry from doc["terms"] once it is saved, so a large import's memory is
    given back as it goes (the caller no longer needs the entries).
    validated: the document has been validated already (formats.Reading.validated).
    """
    if not validated:
        validate_document(doc)
    lock_version(session)  # before any time stamp, as every writer does (see terms.record)
    report = ImportReport()
    replaced: list[str] = []
    if replace:
        replaced = list(session.scalars(sa.select(Term.slug).order_by(Term.slug)))
        report.deleted = len(replaced)
        session.execute(sa.delete(SearchKey))
        for term in session.scalars(sa.select(Term)):
            session.delete(term)
        session.flush()
        session.execute(sa.delete(Source))
    _import_sources(session, doc.get("sources", []), report, overwrite=not keep_existing)
    terms = doc["terms"]
    saved: list[tuple[int, Term | str, dict[str, Any]]] = []  # a created term by its slug (see bulk)
    by_slug = {t.slug: t for t in session.scalars(sa.select(Term).options(*TERM_LOAD))}
    with fastinsert.bulk_cache(session), bulk.Creator(session, actor) as creator:
        total = len(terms)
        for i, data in enumerate(terms):
            prefix = f"terms[{i}]"
            slug = data.get("slug")
            existing = by_slug.get(slug) if slug else None
            if existing is not None:
                creator.wait()  # comparing it may load from the database, which the writer may be using
            if existing is None and slug in creator.created:  # an entry again: update what it created
                creator.flush()
                existing = by_slug[slug] = session.scalars(
                    sa.select(Term).options(*TERM_LOAD).filter_by(slug=slug)
                ).one()
            if existing is None:
                slug = creator.add(data, prefix)
                report.created.append(slug)
                saved.append((i, slug, {}))  # the creator keeps what it needs
            elif keep_existing:
                report.kept.append(existing.slug)
            elif unchanged(existing, data := merge(term_to_dict(existing), data) if merge else data):
                report.unchanged.append(existing.slug)
            else:
                creator.flush()  # the per-term checks query the database: it must hold every entry so far
                old = [f.text for f in existing.forms]
                change = TermInput(
                    data, actor, existing, prefix=prefix, with_relations=False, bump=False, validated=True
                )
                term = save_term(session, change)
                creator.forget(term.slug, old, [f.text for f in term.forms])
                report.updated.append(term.slug)
                saved.append((i, term, data))
            if consume:
                terms[i] = None
            if progress:
                progress(i + 1, total)
        creator.flush()
        _relate_and_record(session, creator, saved, report, actor)
    # a term the replacing document does not bring back is gone: say so, for /changes and history
    gone = [slug for slug in replaced if slug not in by_slug and slug not in creator.created]
    record_deletions(session, gone, actor, write_time(session), "deleted by an import that replaced the glossary")
    wanted = {a["slug"] for a in doc.get("additions", [])} & creator.created
    by_slug |= {t.slug: t for t in session.scalars(sa.select(Term).options(*TERM_LOAD).where(Term.slug.in_(wanted)))}
    _add(session, doc.get("additions", []), by_slug, actor, report)
    if report.changed:  # whether the annotator sees the change is not worth finding out term by term
        bump_version(session)
        bump_annotation_version(session, None)
    session.flush()
    return report


def _relate_and_record(
    session: Session,
    creator: bulk.Creator,
    saved: list[tuple[int, Term | str, dict[str, Any]]],
    report: ImportReport,
    actor: str,
) -> None:
    """Relations once every term exists, in document order, and the revisions that wait for them."""
    ids: dict[str, int] = {slug: term_id for slug, term_id in session.execute(sa.select(Term.slug, Term.id))}
    relations: dict[str, list[tuple[str, str]]] = {}
    updated = set(report.updated)
    for i, term, data in saved:
        if isinstance(term, Term):
            set_relations(session, term, data.get("related", []), f"terms[{i}]")
            record(session, term, actor, "update")
        elif term in creator.relating:
            relations[term] = creator.relate(term, ids)
    creator.write(relations, ids, replaced=updated)


def _add(
    session: Session, additions: list[dict[str, Any]], by_slug: dict[str, Term], actor: str, report: ImportReport
) -> None:
    """Apply a document's additions: translations and excerpts a term lacks are appended, and the
    rest of the term stays as it is now, so importing `glossary extract` output after review
    cannot undo edits made since the extraction.  Each extended term gets a revision saying what
    was added."""
    for i, addition in enumerate(additions):
        prefix = f"additions[{i}]"
        term = by_slug.get(addition["slug"])
        if term is None:
            message = f"no term with slug {addition['slug']!r}"
            raise Invalid(f"{prefix}.slug: {message}", [{"path": f"{prefix}.slug", "message": message}])
        if addition.get("simplified") and addition["simplified"] not in {
            term.simplified,
            *(f.text for f in term.forms),
        }:
            message = f"{addition['simplified']!r} is not a form of {term.slug!r} ({term.simplified})"
            raise Invalid(f"{prefix}.simplified: {message}", [{"path": f"{prefix}.simplified", "message": message}])
        current = term_to_dict(term)
        translations = _lacking(addition, current, "translations", lambda t: (t["lang"], latin_key(t["text"])))
        excerpts = _lacking(addition, current, "excerpts", lambda e: (e["source"], e["text"]))
        if not translations and not excerpts:
            if term.slug not in report.created + report.updated + report.unchanged:
                report.unchanged.append(term.slug)
            continue
        data = {
            **current,
            "translations": current.get("translations", []) + translations,
            "excerpts": current.get("excerpts", []) + excerpts,
        }
        added = [f"{t['status']} {t['lang']} {t['text']!r}" for t in translations]
        if excerpts:
            added.append(f"{len(excerpts)} excerpt{'s' if len(excerpts) > 1 else ''}")
        comment = "added: " + ", ".join(added)
        save_term(session, TermInput(data, actor, term, prefix=prefix, bump=False, comment=comment))
        if term.slug not in report.extended:
            report.extended.append(term.slug)


def _lacking(
    addition: dict[str, Any], current: dict[str, Any], field: str, key: Callable[[dict[str, Any]], tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """The addition's items of ``field`` whose key neither the term's own items nor an earlier
    item of the addition has, in order."""
    seen = {key(item) for item in current.get(field, [])}
    out = []
    for item in addition.get(field, []):
        if (k := key(item)) not in seen:
            seen.add(k)
            out.append(item)
    return out


def refresh_statistics(session: Session) -> None:
    """ANALYZE after a bulk load: without statistics SQLite's planner starts searches from
    ix_terms_status and visits every term (11 s instead of 95 ms at 50,000 terms)."""
    session.execute(sa.text("ANALYZE"))
    session.commit()


def export_document(session: Session, include_drafts: bool = True, progress: Progress | None = None) -> dict[str, Any]:
    """Every term (or only the published ones) and every source, as one glossary/1 document.

    Relations keep only targets in the document (visibility.redact): a published term related to
    a draft must not name the draft publicly, and the export must import back on its own."""
    query = sa.select(Term).options(*TERM_LOAD).order_by(Term.slug)
    if not include_drafts:
        query = query.where(Term.status == "published")
    terms = session.scalars(query).all()
    out = []
    for i, term in enumerate(terms):
        out.append(term_to_dict(term))
        if progress:
            progress(i + 1, len(terms))
    out = [t for t in visibility.redact(session, out, include_drafts) if t is not None]
    sources = [source_to_dict(s) for s in session.scalars(sa.select(Source))]
    return document(sources, out)


def load(session: Session, doc: dict[str, Any], actor: str, **kwargs: Any) -> ImportReport:
    """import_document mapping format errors to Invalid, for callers that speak service errors."""
    try:
        return import_document(session, doc, actor, **kwargs)
    except FormatError as exc:
        raise Invalid(str(exc), exc.errors) from None


def import_reading(
    session: Session, reading: Reading, actor: str, *, replace: bool = False, progress: Progress | None = None
) -> tuple[ImportReport, list[str]]:
    """Import what a format reader made of a file, as one write transaction, then ANALYZE.

    Entries from another termbase (``reading.new_only``) never overwrite a term: those the glossary
    already has are left out, and the notes saying so are returned with the report. On any error
    nothing is written, and the Invalid raised points into the original file (``line 5,
    translations[0]``) rather than into the converted document."""
    begin_write(session)
    try:
        doc, notes = reading.document, list[str]()
        if reading.new_only and not replace:
            doc, notes = drop_existing(session, doc, reading.where)
        report = import_document(
            session,
            doc,
            actor,
            replace=replace,
            merge=reading.merge,
            progress=progress,
            consume=True,
            validated=reading.validated,
        )
        session.commit()
    except (ServiceError, FormatError) as exc:
        session.rollback()
        errors = getattr(exc, "errors", None) or [{"path": "", "message": str(exc)}]
        first = errors[0]
        where = locate(first.get("path", ""), reading.where)
        raise Invalid(f"{where}: {first['message']}" if where else str(exc), errors) from None
    except BaseException:  # the database refused a row, or an interrupt: nothing stays pending
        session.rollback()
        raise
    refresh_statistics(session)
    return report, notes
