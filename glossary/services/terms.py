"""Create, update, delete and restore terms; every change records a revision and bumps the
glossary version that per-process caches compare, and a change the annotator can see also the
annotation version that the annotator cache compares."""

from __future__ import annotations

import json
from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from ..formats import FormatError
from ..formats.glossary1 import canonical_term, validate_term
from ..models import (
    AnnotationChange,
    Definition,
    Excerpt,
    GlossaryState,
    Relation,
    Revision,
    Source,
    SurfaceForm,
    Term,
    TermTag,
    Translation,
    utcnow,
)
from ..text.keys import form_key
from ..text.pinyin import slugify
from ..text.surface import SurfaceFormError, normalise_term
from . import corpus_index, corpus_queue
from .annotation import annotation_state
from .errors import Conflict, Invalid, NotFound, PreconditionFailed
from .index import index_term
from .representation import term_to_dict
from .term_rows import FormRow, child_rows, derive_names, form_clash, term_columns, wanted_forms
from .version import ANNOTATION_BUMPED
from .version import glossary_version as glossary_version  # where callers have always found it
from .visibility import deletion_comment

TERM_LOAD = (
    selectinload(Term.forms),
    selectinload(Term.translations),
    selectinload(Term.definitions),
    selectinload(Term.excerpts),
    selectinload(Term.relations).selectinload(Relation.target),
    selectinload(Term.tags),
)


def begin_write(session: Session) -> None:
    """Start a write transaction that holds the write lock from its first statement.

    On SQLite that is BEGIN IMMEDIATE, so two writers queue on the busy timeout instead of
    one failing with "database is locked" when both try to upgrade a read lock.  Anything
    read so far in this session was only read, so ending that transaction loses nothing.
    """
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={"sqlite_immediate": True})


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_term(session: Session, slug: str) -> None:
    """Hold the term's row until commit on PostgreSQL (SQLite's write lock, taken by
    begin_write, already orders writers). FOR NO KEY UPDATE: plain FOR UPDATE also blocks the
    FOR KEY SHARE that inserting a relation to this term takes, so two editors of terms related
    to each other deadlocked."""
    if _on_postgresql(session):
        session.execute(sa.select(Term.id).where(Term.slug == slug).with_for_update(key_share=True))


def bump_version(session: Session) -> int:
    """Raise the glossary version in the current transaction: one upsert of row 1, so that two
    first writers on an empty database both succeed (the second waits for the first's row, then
    raises it), and a statement, not session.add, since callers may hold half-made objects."""
    insert = postgresql.insert if _on_postgresql(session) else sqlite.insert
    now = utcnow()
    version: int = session.execute(
        insert(GlossaryState)
        .values(id=1, version=1, updated=now)
        .on_conflict_do_update(
            index_elements=[GlossaryState.id], set_={"version": GlossaryState.version + 1, "updated": now}
        )
        .returning(GlossaryState.version)
    ).scalar_one()
    return version


def bump_annotation_version(session: Session, term_ids: Collection[int] | None) -> int:
    """Raise the annotation version, after bump_version in the same transaction (whose row it
    raises, already locked): only for a change the annotator can see, so that other edits do not
    make every worker rebuild its annotator. ``term_ids``: the terms changed (None: any), logged
    so that workers replace those entries rather than rebuild (AnnotationChange)."""
    version: int = session.execute(
        sa.update(GlossaryState)
        .where(GlossaryState.id == 1)
        .values(annotation_version=GlossaryState.annotation_version + 1)
        .returning(GlossaryState.annotation_version)
    ).scalar_one()
    ids = None if term_ids is None else sorted(term_ids)
    session.execute(sa.delete(AnnotationChange).where(AnnotationChange.version <= version - AnnotationChange.KEEP))
    session.execute(sa.insert(AnnotationChange).values(version=version, term_ids=ids))
    session.info[ANNOTATION_BUMPED] = version  # for AnnotatorCache.watch: this process's own write
    return version


def write_time(session: Session) -> datetime:
    """The time to stamp a write with, taken once the version row is locked (see record): the
    database's own clock on PostgreSQL, so that writers on hosts whose clocks disagree still
    stamp in commit order; SQLite's writers all run on its one host, so its clock is theirs."""
    if _on_postgresql(session):
        now: datetime = session.execute(sa.select(sa.func.clock_timestamp())).scalar_one()
        return now.astimezone(UTC)
    return utcnow()


def lock_version(session: Session) -> None:
    """Hold the glossary version row until commit without raising it (SQLite's write lock
    already orders writers)."""
    session.execute(sa.select(GlossaryState.id).where(GlossaryState.id == 1).with_for_update())


def resolve(session: Session, key: str, include_drafts: bool = True) -> tuple[int, str]:
    """The (id, slug) a key names: a slug, or any surface form in any script (網路主權 and 网络主权
    both resolve); NotFound otherwise. Reads no more than the key's indexed rows."""
    query = sa.select(Term.id, Term.slug, Term.status)
    row = session.execute(query.where(Term.slug == key)).first()
    if row is None:
        for text in filter(None, dict.fromkeys((key, form_key(key)))):
            row = row or session.execute(query.join(SurfaceForm).where(SurfaceForm.text == text)).first()
    if row is None or (row.status == "draft" and not include_drafts):
        raise NotFound(f"no term {key!r}")
    return row.id, row.slug


def get_term(session: Session, key: str, include_drafts: bool = True) -> Term:
    """The term a key names (see resolve), with its child rows loaded."""
    term_id, _ = resolve(session, key, include_drafts)
    return session.scalars(sa.select(Term).options(*TERM_LOAD).where(Term.id == term_id)).one()


def unchanged(term: Term, data: dict[str, Any]) -> bool:
    """Would saving data leave the term as it is? (derived fields absent from data count as equal)"""
    current = term_to_dict(term)
    incoming = canonical_term(data)
    defaults = {
        "kind": "concept",
        "status": "published",
        "slug": term.slug,
        "traditional": term.traditional,
        "pinyin": term.pinyin,
    }
    return all(
        incoming.get(k, defaults.get(k)) == current.get(k, defaults.get(k)) for k in set(current) | set(incoming)
    )


def _unique_slug(session: Session, base: str, own_id: int | None) -> str:
    base = base or "term"  # pinyin with no letters or digits (a form without Chinese)
    slug, n = base, 1
    while True:
        clash = session.scalar(sa.select(Term.id).where(Term.slug == slug))
        if clash is None or clash == own_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def check_sources(session: Session, data: dict[str, Any], prefix: str, known: set[str] | None = None) -> None:
    """Invalid naming each field that cites a source the glossary lacks (``known``: every
    source id, when the caller has them; else they are looked up)."""
    refs = [(f"{prefix}.translations[{i}].source", t.get("source")) for i, t in enumerate(data.get("translations", []))]
    refs += [(f"{prefix}.definitions[{i}].source", d.get("source")) for i, d in enumerate(data.get("definitions", []))]
    refs += [(f"{prefix}.excerpts[{i}].source", e.get("source")) for i, e in enumerate(data.get("excerpts", []))]
    refs.append((f"{prefix}.first_use.source", (data.get("first_use") or {}).get("source")))
    wanted = {ref for _, ref in refs if ref}
    if known is None:
        known = set(session.scalars(sa.select(Source.id).where(Source.id.in_(wanted)))) if wanted else set()
    errors = [{"path": path, "message": f"unknown source {ref!r}"} for path, ref in refs if ref and ref not in known]
    if errors:
        raise Invalid(f"{errors[0]['path']}: {errors[0]['message']}", errors)


def _form_rows(
    session: Session, term: Term | None, simplified: str, traditional: str, data: dict[str, Any], prefix: str
) -> list[FormRow]:
    """wanted_forms, checked against other terms' forms."""
    rows = {row[0]: row for row in wanted_forms(simplified, traditional, data)}
    query = sa.select(SurfaceForm.text, Term.slug).join(Term).where(SurfaceForm.text.in_(rows))
    if term is not None and term.id is not None:
        query = query.where(SurfaceForm.term_id != term.id)
    clashes = dict(session.execute(query).all())
    for text in rows:  # report the first clash in the order the forms were given
        if text in clashes:
            raise form_clash(prefix, text, clashes[text])
    return list(rows.values())


def _set_forms(term: Term, rows: list[FormRow]) -> None:
    """Update forms in place: a form kept keeps its row, so unique(text) never sees a
    delete and an insert of the same text in one flush."""
    existing = {f.text: f for f in term.forms}
    forms = []
    for text, tag, origin, form_type, note in rows:
        form = existing.get(text) or SurfaceForm(text=text)
        form.tag, form.origin, form.type, form.note = tag, origin, form_type, note
        forms.append(form)
    term.forms = forms


def _set_translations(term: Term, rows: list[dict[str, Any]]) -> None:
    """Update translations in place, matched by language, text and status: a rendering kept keeps its
    row, so its id, which orders renderings of one status (the gloss is the first official one
    when none is preferred: annotation.entry). Replacing every row renumbered them in the
    canonical order term_to_dict gives, so a note's edit could change a term's gloss, and so the
    annotator, of a term imported in another order."""
    existing: dict[tuple[str, str, str], list[Translation]] = {}
    for translation in term.translations:
        existing.setdefault((translation.lang, translation.text, translation.status), []).append(translation)
    translations = []
    for row in rows:
        kept = existing.get((row["lang"], row["text"], row["status"]))
        translation = kept.pop(0) if kept else Translation()
        for name, value in row.items():
            setattr(translation, name, value)
        translations.append(translation)
    term.translations = translations


def keep_unedited(term: Term | None, data: dict[str, Any]) -> dict[str, Any]:
    """data with what an editing surface does not show taken from the stored term: the annotation
    policy and its note, and the type of each curated form it still lists (matched by text).
    The web editor has no fields for these yet; without this, saving there would reset them."""
    if term is None:
        return data
    out = dict(data)
    if "annotation_policy" not in out:
        out["annotation_policy"] = term.annotation_policy
        if term.policy_note is not None and "policy_note" not in out:
            out["policy_note"] = term.policy_note
    types = {f.text: f.type for f in term.forms if f.origin == "curated"}
    out["forms"] = [
        {**f, "type": types[f["text"]]} if "type" not in f and f["text"] in types else f for f in out.get("forms", [])
    ]
    if not out["forms"]:
        del out["forms"]
    return out


@dataclass(frozen=True, slots=True)
class TermInput:
    """What save_term needs to create or replace one term.

    data is the term's glossary/1 dict; term is the row to replace (None creates one).
    with_relations=False leaves relations and the revision to the caller (a bulk import sets
    relations once every term exists); bump=False leaves the glossary and annotation versions
    to the caller;
    validated=True skips schema validation the caller already did on the whole document;
    prefix names the term in error paths (``terms[3]``)."""

    data: dict[str, Any]
    actor: str
    term: Term | None = None
    prefix: str = "term"
    with_relations: bool = True
    action: str | None = None
    comment: str | None = None
    bump: bool = True
    validated: bool = False


def save_term(session: Session, change: TermInput) -> Term:
    """Create or fully replace a term, inside the caller's transaction.  Derives traditional,
    pinyin and slug when absent.  An update that would change nothing is not made: no
    revision, no new version (so the ETag stays)."""
    data, prefix, term = change.data, change.prefix, change.term
    matched_as = corpus_index.match_state(term)  # what the corpus index was built from
    annotated_as = annotation_state(term)  # what the annotator was built from
    if not change.validated:
        try:
            validate_term(data, prefix)
        except FormatError as exc:
            raise Invalid(str(exc), exc.errors) from None
    try:  # one spelling per visible form, before anything compares or stores it
        data = normalise_term(data, prefix)
    except SurfaceFormError as exc:
        raise Invalid(str(exc), [{"path": exc.path, "message": exc.message}]) from None
    check_sources(session, data, prefix)
    creating = term is None
    with session.no_autoflush:
        resolved = _resolve_names(session, data, term, prefix)
        if term is not None and change.action is None and change.with_relations and unchanged(term, data | resolved):
            return term
        form_rows = _form_rows(session, term, resolved["simplified"], resolved["traditional"], data, prefix)
        if term is None:
            term = Term(version=0, forms=[], translations=[], definitions=[], excerpts=[], tags=[], relations=[])
            session.add(term)
        _apply(term, data, resolved, form_rows)
        if change.with_relations:
            set_relations(session, term, data.get("related", []), prefix)
        if change.bump:
            bump_version(session)  # before the time stamp: see record()
        term.version = (term.version or 0) + 1
        term.updated = write_time(session)
    session.flush()
    if change.bump and annotation_state(term) != annotated_as:  # after the flush: ids order renderings
        bump_annotation_version(session, [term.id])
    index_term(session, term, fresh=creating)
    corpus_queue.enqueue_edit(session, term, matched_as)  # its occurrences: re-indexed after commit
    if change.with_relations:
        record(session, term, change.actor, change.action or ("create" if creating else "update"), change.comment)
    return term


def _resolve_names(session: Session, data: dict[str, Any], term: Term | None, prefix: str) -> dict[str, str]:
    """slug, simplified, traditional and pinyin as the term will have them: given, kept or derived."""
    simplified, traditional, pinyin = derive_names(data, prefix)
    own_id = None if term is None else term.id
    if data.get("slug"):
        slug = data["slug"]
        clash = session.scalar(sa.select(Term.id).where(Term.slug == slug))
        if clash is not None and clash != own_id:
            raise Conflict(
                f"{prefix}.slug: slug {slug!r} is taken", [{"path": f"{prefix}.slug", "message": "slug is taken"}]
            )
    elif term is not None and term.slug:
        slug = term.slug
    else:
        slug = _unique_slug(session, slugify(pinyin), own_id)
    return {"slug": slug, "simplified": simplified, "traditional": traditional, "pinyin": pinyin}


def _apply(term: Term, data: dict[str, Any], resolved: dict[str, str], form_rows: list[FormRow]) -> None:
    """Set every column and child row of the term from its glossary/1 dict (relations apart)."""
    for name, value in term_columns(data, resolved).items():
        setattr(term, name, value)
    _set_forms(term, form_rows)
    children = child_rows(data)
    _set_translations(term, children["translations"])
    term.definitions = [Definition(**row) for row in children["definitions"]]
    term.excerpts = [Excerpt(**row) for row in children["excerpts"]]
    term.tags = [TermTag(**row) for row in children["tags"]]


def check_relations(related: list[dict[str, Any]], targets: Container[str], slug: str, prefix: str) -> None:
    """Invalid naming each relation to a term that is not among ``targets`` or to the term itself."""
    errors = [
        {"path": f"{prefix}.related[{i}].slug", "message": f"no term with slug {r['slug']!r}"}
        for i, r in enumerate(related)
        if r["slug"] not in targets
    ]
    errors += [
        {"path": f"{prefix}.related[{i}].slug", "message": "a term cannot be related to itself"}
        for i, r in enumerate(related)
        if r["slug"] == slug
    ]
    if errors:
        raise Invalid(f"{errors[0]['path']}: {errors[0]['message']}", errors)


def set_relations(session: Session, term: Term, related: list[dict[str, Any]], prefix: str = "term") -> None:
    slugs = {r["slug"] for r in related}
    targets = {t.slug: t for t in session.scalars(sa.select(Term).where(Term.slug.in_(slugs)))} if slugs else {}
    check_relations(related, targets, term.slug, prefix)
    unique = {(r["slug"], r["type"]) for r in related}
    if term.relations:  # delete the old rows first: the new ones may repeat them
        term.relations = []
        session.flush()
    term.relations = [Relation(target=targets[s], type=t) for s, t in sorted(unique)]


def record(session: Session, term: Term, actor: str, action: str, comment: str | None = None) -> Revision:
    """Store a full snapshot as the next revision of the term, at the term's `updated` time.

    Writers take that time only after raising the glossary version: the version row stays
    locked until commit, so writes are stamped in the order they commit, and a /changes
    cursor (the latest stamp a reader saw) cannot pass a write that was still committing."""
    session.flush()
    number = (session.scalar(sa.select(sa.func.max(Revision.number)).where(Revision.slug == term.slug)) or 0) + 1
    snapshot = json.dumps(term_to_dict(term), ensure_ascii=False, sort_keys=False)
    rev = Revision(
        slug=term.slug,
        number=number,
        action=action,
        actor=actor,
        snapshot=snapshot,
        comment=comment,
        created=term.updated,
    )
    session.add(rev)
    return rev


def check_version(term: Term, if_match: str | None) -> None:
    """If-Match is a list of entity tags (RFC 9110 §13.1.1): it matches when one of them is the
    current ETag, compared strongly (a weak W/ tag never matches), or when it is *."""
    if if_match is None:
        return
    tags = {tag.strip() for tag in if_match.split(",")}
    if etag(term) not in tags and "*" not in tags:
        raise PreconditionFailed(f"term {term.slug!r} has changed (current ETag {etag(term)})")


def etag(term: Term) -> str:
    return f'"{term.slug}-v{term.version}"'


def _referring(session: Session, term: Term) -> list[Term]:
    """Other terms with a relation to this one, locked (PostgreSQL) against concurrent edits."""
    ids = sa.select(Relation.term_id).where(Relation.target_id == term.id, Relation.term_id != term.id)
    session.execute(sa.select(Term.id).where(Term.id.in_(ids)).order_by(Term.id).with_for_update(key_share=True))
    return list(session.scalars(sa.select(Term).options(*TERM_LOAD).where(Term.id.in_(ids)).order_by(Term.id)))


def delete_term(session: Session, term: Term, actor: str) -> Revision:
    """Delete a term. Each term related to it loses that relation in a revision of its own, with
    a new version (so its ETag changes and /changes lists it)."""
    _referring(session, term)  # lock them before the version row, in the order every writer does
    bump_version(session)
    if annotation_state(term) is not None:  # a draft was never in the annotator
        bump_annotation_version(session, [term.id])
    now = write_time(session)
    for other in _referring(session, term):  # again: one may have gained a relation meanwhile
        other.relations = [r for r in other.relations if r.target_id != term.id]
        other.version += 1
        other.updated = now
        record(session, other, actor, "update", deletion_comment(term))
    (rev,) = record_deletions(session, [term.slug], actor, now)
    corpus_queue.enqueue_deletion(session, term)  # its documents: annotated again once it is gone
    session.delete(term)
    session.flush()
    return rev


def record_deletions(
    session: Session, slugs: list[str], actor: str, at: datetime, comment: str | None = None
) -> list[Revision]:
    """The revisions that say these terms are gone (no snapshot), numbered after each one's last."""
    last: dict[str, int] = {}
    for i in range(0, len(slugs), 500):  # well inside any database's parameter limit
        chunk = slugs[i : i + 500]
        query = sa.select(Revision.slug, sa.func.max(Revision.number)).where(Revision.slug.in_(chunk))
        last.update(session.execute(query.group_by(Revision.slug)).all())
    revs = [
        Revision(
            slug=slug,
            number=last.get(slug, 0) + 1,
            action="delete",
            actor=actor,
            snapshot=None,
            comment=comment,
            created=at,
        )
        for slug in slugs
    ]
    session.add_all(revs)
    return revs


# revision numbers are 32-bit on PostgreSQL; a larger one (or one past SQLite's 64 bits, which
# the driver cannot even send) names no revision
MAX_REVISION = 2**31 - 1


def get_revision(session: Session, slug: str, number: int) -> Revision:
    if not 1 <= number <= MAX_REVISION:
        raise NotFound(f"term {slug!r} has no revision {number}")
    rev = session.scalar(sa.select(Revision).where(Revision.slug == slug, Revision.number == number))
    if rev is None:
        raise NotFound(f"term {slug!r} has no revision {number}")
    return rev


def restore_revision(session: Session, slug: str, number: int, actor: str) -> Term:
    rev = get_revision(session, slug, number)
    if rev.snapshot is None:
        raise Invalid(f"revision {number} of {slug!r} is a deletion; restore an earlier one")
    data = json.loads(rev.snapshot)
    existing = session.scalar(sa.select(Term).options(*TERM_LOAD).where(Term.slug == slug))
    return save_term(session, TermInput(data, actor, existing, action="restore", comment=f"restored revision {number}"))
