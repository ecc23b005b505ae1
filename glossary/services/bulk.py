"""New terms of an import, created many at a time (issue 19: 123 terms/s became ≥ 1,500).

Each entry is normalised and checked as save_term checks it (normalise_term, known sources,
names, a slug and surface forms no other term has) and gets the same rows, from the same
functions (services/term_rows), but the checks run against the slugs, forms and sources loaded
once, and the rows are written a batch at a time (COPY, or multi-row INSERTs): terms, forms,
translations, definitions, excerpts, tags and search keys. Relations and revisions wait until every entry is
in, as in the per-term path. The corpus occurrences are not touched inside the import: one
re-index request for every new term is queued in its transaction and drained after the commit
(services/corpus_queue), as every edit's is, so the terms commit atomically and the index
catches up after (their figures say "pending" until then).

A batch is written by a thread of its own (fastinsert.Writer) while the next is checked: the
database works (the PostgreSQL server, or SQLite without the GIL) while Python checks entries,
instead of each waiting for the other. Only that thread uses the session until flush() has
waited for it.
"""

from __future__ import annotations

import json
from collections.abc import Container
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Definition, Excerpt, Relation, Revision, Source, SurfaceForm, Term, TermTag, Translation
from ..text.pinyin import slugify
from ..text.surface import SurfaceFormError, normalise_term
from . import corpus_queue
from .errors import Conflict, Invalid
from .fastinsert import Writer, allocate_ids, bound, insert_rows
from .index import key_rows, prepare_keys, write_keys
from .representation import rows_to_dict
from .term_rows import FormRow, child_rows, derive_names, form_clash, term_columns, wanted_forms
from .terms import check_relations, check_sources, write_time

BATCH = 1000  # entries written at a time (one COPY, or a few INSERTs, per table): bounds the rows in memory
FORM_COLUMNS = ("term_id", "text", "tag", "origin", "type", "note")
REVISION_COLUMNS = ("slug", "number", "action", "actor", "snapshot", "comment", "created")
CHILDREN = {"translations": Translation, "definitions": Definition, "excerpts": Excerpt, "tags": TermTag}


@dataclass(slots=True)
class _Entry:
    """A new term's rows, until its batch is written (and its relations, if it has any)."""

    prefix: str
    columns: dict[str, Any]
    forms: list[FormRow]
    children: dict[str, list[dict[str, Any]]]
    related: list[dict[str, Any]]
    term_id: int = 0


class Creator:
    """Creates the new terms of one import, inside the caller's transaction.

    Only what later entries are checked against stays in memory (slugs, forms); a term's rows
    and its revision are written with its batch, unless it has relations, which can name terms
    of later batches: those terms wait for relate() and write()."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session, self.actor = session, actor
        self.slugs = set(session.scalars(sa.select(Term.slug)))
        self.forms: dict[str, str] = dict(session.execute(sa.select(SurfaceForm.text, Term.slug).join(Term)).all())
        self.sources = set(session.scalars(sa.select(Source.id)))
        self.pending: list[_Entry] = []
        self.created: set[str] = set()
        self.relating: dict[str, _Entry] = {}
        self.published_forms: set[str] = set()
        self._writer = Writer("import-writer")

    def __enter__(self) -> Creator:
        self._writer.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        """Wait for the batch being written, so that nobody rolls the session back under it."""
        self._writer.__exit__(kind, error, tb)

    def add(self, data: dict[str, Any], prefix: str) -> str:
        """Check one new entry (errors name it by ``prefix``) and queue its rows; its slug."""
        try:  # one spelling per visible form, before anything compares or stores it
            data = normalise_term(data, prefix)
        except SurfaceFormError as exc:
            raise Invalid(str(exc), [{"path": exc.path, "message": exc.message}]) from None
        check_sources(self.session, data, prefix, self.sources)
        simplified, traditional, pinyin = derive_names(data, prefix)
        slug = data.get("slug") or self._unique_slug(slugify(pinyin))
        if slug in self.slugs:
            message = "slug is taken"
            raise Conflict(f"{prefix}.slug: slug {slug!r} is taken", [{"path": f"{prefix}.slug", "message": message}])
        forms = wanted_forms(simplified, traditional, data)
        for text, *_ in forms:
            if text in self.forms:
                raise form_clash(prefix, text, self.forms[text])
        self.slugs.add(slug)
        self.forms.update((row[0], slug) for row in forms)
        names = {"slug": slug, "simplified": simplified, "traditional": traditional, "pinyin": pinyin}
        entry = _Entry(prefix, term_columns(data, names), forms, child_rows(data), data.get("related", []))
        if entry.columns["status"] == "published":
            self.published_forms |= {simplified, traditional, *(row[0] for row in forms)}
        self.pending.append(entry)
        self.created.add(slug)
        if entry.related:
            self.relating[slug] = entry
        if len(self.pending) >= BATCH:
            self._submit()
        return slug

    def _unique_slug(self, base: str) -> str:
        base = base or "term"  # pinyin with no letters or digits (a form without Chinese)
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        return slug

    def forget(self, slug: str, old: list[str], new: list[str]) -> None:
        """A term this import updated the per-term way now has ``new`` forms instead of ``old``."""
        for text in old:
            self.forms.pop(text, None)
        self.forms.update((text, slug) for text in new)

    def flush(self) -> None:
        """Write every queued entry and wait until it is written: the caller may use the session."""
        self._submit()
        self.wait()

    def _submit(self) -> None:
        """Prepare the queued entries' rows, then give them to the writer thread once the batch
        before them is written: preparing runs while the database writes that batch."""
        batch = _prepare(self.pending) if self.pending else None
        self.pending = []
        self.wait()
        if batch:
            self._writer.submit(self._write, batch)

    def wait(self) -> None:
        """Wait for the batch being written (its error, if it failed): then the caller may use the
        session, as the writer thread does not, though entries may still be queued."""
        self._writer.wait()

    def _write(self, batch: _Batch) -> None:
        """Write a prepared batch (in the writer thread): its entries' ids, one COPY (or
        multi-row INSERTs) per table, and the revisions of those without relations."""
        now = write_time(self.session)
        stamp = bound(self.session, Term.updated, now)
        ids = allocate_ids(self.session, Term.__tablename__, len(batch.entries))
        for entry, term_id in zip(batch.entries, ids, strict=True):
            entry.term_id = term_id
            entry.columns["updated"] = now
        # rows as generators: COPY sends each as it is made, while the server stores the ones before
        terms = ((term_id, *values, 1, stamp, stamp) for term_id, values in zip(ids, batch.terms, strict=True))
        insert_rows(self.session, Term.__tablename__, ("id", *batch.columns, "version", "created", "updated"), terms)
        for table, columns, rows in batch.tables:
            insert_rows(self.session, table, ("term_id", *columns), ((ids[i], *row) for i, row in rows))
        write_keys(self.session, batch.keys, batch.grams, ids)
        self._record([(e, snapshot) for e, snapshot in zip(batch.entries, batch.snapshots, strict=True) if snapshot])

    def relate(self, slug: str, targets: Container[str]) -> list[tuple[str, str]]:
        """Check a created term's relations (``targets``: every term's slug), as set_relations
        does; the (slug, type) pairs it will have, sorted."""
        entry = self.relating[slug]
        check_relations(entry.related, targets, slug, entry.prefix)
        return sorted({(r["slug"], r["type"]) for r in entry.related})

    def write(self, relations: dict[str, list[tuple[str, str]]], ids: dict[str, int], replaced: Container[str]) -> None:
        """Insert the relations of created terms (by slug; ``ids``: every term's id by slug) and
        their revisions, then queue the corpus re-index every term created needs (done after
        commit: services/corpus_queue). A term a
        later entry updated (``replaced``) has that entry's relations instead, set by the caller."""
        rows = [
            (self.relating[slug].term_id, ids[target], kind)
            for slug, pairs in relations.items()
            if slug not in replaced
            for target, kind in pairs
        ]
        insert_rows(self.session, Relation.__tablename__, ("term_id", "target_id", "type"), rows)
        relating = [self.relating[slug] for slug in relations]
        self._record([(e, _snapshot(e, pairs)) for e, pairs in zip(relating, relations.values(), strict=True)])
        corpus_queue.enqueue_created(self.session, self.published_forms)

    def _record(self, done: list[tuple[_Entry, str]]) -> None:
        """The "create" revision of each entry, with its snapshot (what record() would store),
        numbered after the last its slug has (history outlives a deleted term)."""
        slugs = [e.columns["slug"] for e, _ in done]
        last: dict[str, int] = {}
        for i in range(0, len(slugs), 500):  # well inside any database's parameter limit
            query = sa.select(Revision.slug, sa.func.max(Revision.number)).where(Revision.slug.in_(slugs[i : i + 500]))
            last.update({slug: n for slug, n in self.session.execute(query.group_by(Revision.slug))})
        stamps = {e.columns["updated"] for e, _ in done}  # one per batch written
        bind = {now: bound(self.session, Revision.created, now) for now in stamps}
        rows = []
        for e, snapshot in done:
            slug = e.columns["slug"]
            number = last.get(slug, 0) + 1
            rows.append((slug, number, "create", self.actor, snapshot, None, bind[e.columns["updated"]]))
        insert_rows(self.session, Revision.__tablename__, REVISION_COLUMNS, rows)
        for e, _ in done:  # what is left of a written entry is its slug
            e.forms, e.children = [], {}


@dataclass(slots=True)
class _Batch:
    """A batch of new entries' rows, made ready in the main thread for the writer thread. A row
    of a term's child table starts with the entry's place in ``entries``, which the writer
    replaces by the term's id once it has allocated them."""

    entries: list[_Entry]
    columns: tuple[str, ...]  # of the terms table, as ``terms`` gives them
    terms: list[tuple[Any, ...]]
    tables: list[tuple[str, tuple[str, ...], list[tuple[int, tuple[Any, ...]]]]]  # (table, columns, rows)
    keys: list[tuple[Any, ...]]  # search keys (index.prepare_keys)
    grams: list[tuple[str, str, int]]
    snapshots: list[str | None]  # the create revision's snapshot, for an entry without relations


def _prepare(entries: list[_Entry]) -> _Batch:
    forms: list[tuple[int, tuple[Any, ...]]] = [(i, row) for i, e in enumerate(entries) for row in e.forms]
    tables: list[tuple[str, tuple[str, ...], list[tuple[int, tuple[Any, ...]]]]] = [
        (SurfaceForm.__tablename__, FORM_COLUMNS[1:], forms)
    ]
    for name, model in CHILDREN.items():
        children = [(i, row) for i, e in enumerate(entries) for row in e.children[name]]
        if children:  # every row of a kind has the same keys
            rows = [(i, tuple(row.values())) for i, row in children]
            tables.append((model.__tablename__, tuple(children[0][1]), rows))
    found = []
    for i, e in enumerate(entries):
        translations = [(t["lang"], t["status"], t["text"]) for t in e.children["translations"]]
        made = key_rows([row[:3] for row in e.forms], e.columns["pinyin"], translations)
        found += [key | {"term_id": i} for key in made]
    keys, grams = prepare_keys(found)
    return _Batch(
        entries,
        tuple(entries[0].columns),
        [tuple(e.columns.values()) for e in entries],
        tables,
        keys,
        grams,
        [None if e.related else _snapshot(e, []) for e in entries],
    )


def _snapshot(entry: _Entry, related: list[tuple[str, str]]) -> str:
    """The revision snapshot record() would store for the term, from its rows."""
    forms = [{"text": t, "tag": tag, "origin": o, "type": k, "note": n} for t, tag, o, k, n in entry.forms]
    c = entry.children
    tags = [row["tag"] for row in c["tags"]]
    data = rows_to_dict(entry.columns, forms, c["translations"], c["definitions"], c["excerpts"], related, tags)
    return json.dumps(data, ensure_ascii=False, sort_keys=False)
