"""The annotator for the current annotation version, rebuilt when any process changes what the
annotator reads of a term (in the background when another process did, so reads never wait)."""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from ..models import TRANSLATION_STATUSES, AnnotationChange, SurfaceForm, Term, Translation
from ..text.annotate import Annotator, Entry
from ..text.renderings import Rendering, with_current
from ..text.segment import Segmenter, shared_segmenter
from ..text.senses import sense_from
from .representation import preferred
from .version import ANNOTATION_BUMPED, annotation_version

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PlainTerm:
    """What entry() reads of a term, from plain rows: building the annotator of 50,000 terms from
    ORM objects (each with its forms and translations) took about 450 MiB more and most of its time.
    ``forms`` hold rows with id, text and type; ``translations`` rows with id, lang, text, status."""

    slug: str
    simplified: str
    traditional: str
    pinyin: str
    first_use_date: str | None
    first_use_scope: str | None
    annotation_policy: str
    forms: list[Any] = field(default_factory=list)
    translations: list[Any] = field(default_factory=list)


_TERM_COLUMNS = [getattr(Term, name) for name in PlainTerm.__slots__ if name not in ("forms", "translations")]


def entries(session: Session, *, policy: bool = True) -> list[Entry]:
    """Every published term as an annotator entry, in slug order. With ``policy`` false every
    entry is matched as "auto" whatever its annotation policy (as the corpus index counts:
    corpus_index.corpus_entries)."""
    return list(entries_by_id(session, policy=policy).values())


def entries_by_id(
    session: Session, *, policy: bool = True, term_ids: Collection[int] | None = None, renderings: bool = True
) -> dict[int, Entry]:
    """Term id → entry of every published term (``term_ids``: of those of them that are
    published), in slug order. Three plain queries (terms, their forms, their translations),
    each row read once. Without ``renderings`` the entries have no translations (no glosses
    nor renderings): all the corpus index needs, which finds Chinese text only, and at 50,000
    terms tens of MiB less to hold."""
    published = Term.status == "published"
    if term_ids is not None:
        published &= Term.id.in_(term_ids)
    query = sa.select(Term.id, *_TERM_COLUMNS).where(published).order_by(Term.slug)
    terms = {term_id: PlainTerm(*row) for term_id, *row in session.execute(query)}
    forms = sa.select(SurfaceForm.term_id, SurfaceForm.id, SurfaceForm.text, SurfaceForm.type)
    for form in session.execute(forms.join(Term).where(published)):
        terms[form.term_id].forms.append(form)
    t = Translation
    translations = sa.select(t.term_id, t.id, t.lang, t.text, t.status)
    for rendering in session.execute(translations.join(Term).where(published)) if renderings else ():
        terms[rendering.term_id].translations.append(rendering)
    return {term_id: entry(term, policy=policy) for term_id, term in terms.items()}


def entry(term: Term | PlainTerm, *, policy: bool = True) -> Entry:
    """One term as the annotator sees it: everything build_annotator reads of a term is read
    here, so comparing two of these (annotation_state) tells whether an edit changed the
    annotator. Forms in id order, as the database returns them, also for a term just flushed."""
    glosses = {}
    for lang in sorted({t.lang for t in term.translations}):
        text, _ = preferred(term, lang)
        if text:
            glosses[lang] = text
    forms = sorted(term.forms, key=lambda f: f.id)
    return Entry(
        slug=term.slug,
        simplified=term.simplified,
        traditional=term.traditional,
        pinyin=term.pinyin,
        forms=tuple(f.text for f in forms),
        glosses=glosses,
        first_use=term.first_use_date,
        policy=term.annotation_policy if policy else "auto",
        form_types={f.text: f.type for f in forms},
        renderings=_renderings(term),
        sense_from=sense_from(term.first_use_date, term.first_use_scope),
    )


def annotation_state(term: Term | None) -> Entry | None:
    """What the annotator holds of a term (None: nothing, a draft or no term). An edit that
    leaves this equal leaves the annotator as it was, so it need not raise the annotation
    version (terms.save_term compares it before and after)."""
    if term is None or term.status != "published":
        return None
    return entry(term)


def _renderings(term: Term | PlainTerm) -> tuple[Rendering, ...]:
    """Every rendering, official first and deprecated last (the first of two equal ones is the
    one reported), each deprecated one with the rendering to use now."""
    rank = {status: i for i, status in enumerate(TRANSLATION_STATUSES)}
    ordered = sorted(term.translations, key=lambda t: (rank[t.status], t.id))
    return tuple(with_current([Rendering(t.lang, t.text, t.status) for t in ordered]))


def build_annotator(session: Session, segmenter: Segmenter | None = None) -> Annotator:
    """The annotator for the glossary as this session sees it, with the process's shared
    segmenter, or ``segmenter`` (a command that annotates one text and exits gives one that reads
    jieba's dictionary only as far as the text needs: text/dictionary.py)."""
    return Annotator(entries(session), segmenter or shared_segmenter())


REPLACE_LIMIT = 200  # changed terms a process replaces in its annotator; beyond, it rebuilds
LINEAGE = 64  # replacements remembered for the annotation processes (changes_between)


def replaced(
    session: Session, annotator: Annotator, positions: dict[int, int], built: int, version: int
) -> tuple[Annotator, dict[int, Entry]] | None:
    """``annotator`` (built for annotation version ``built``, ``positions`` mapping each term id
    to its entry's index) brought to ``version`` by replacing the entries of the terms that the
    change log (AnnotationChange) names for the versions between, with the replacements (entry
    index → new entry); None where it cannot be, and the caller rebuilds: the log lacks one of
    them (pruned, or raised before the log existed), one names no terms (an import), they name
    more than REPLACE_LIMIT terms, or a term was published, unpublished, deleted or renamed (the
    entries' order changes)."""
    log = sa.select(AnnotationChange.term_ids).where(
        AnnotationChange.version > built, AnnotationChange.version <= version
    )
    rows = session.scalars(log).all()
    named = [ids for ids in rows if ids is not None]
    if len(rows) != version - built or len(named) != len(rows):
        return None
    changed = {term_id for ids in named for term_id in ids}
    if len(changed) > REPLACE_LIMIT:
        return None
    fresh = entries_by_id(session, term_ids=changed)
    changes: dict[int, Entry] = {}
    for term_id in changed:
        position, new = positions.get(term_id), fresh.get(term_id)
        if position is None and new is None:
            continue  # a draft, never in the annotator
        if position is None or new is None or new.slug != annotator.entries[position].slug:
            return None
        changes[position] = new
    return annotator.replaced(changes), changes


class AnnotatorCache:
    """One per process: the annotator for the annotation version, checked per call (one indexed
    SELECT). That version rises only with an edit the annotator can see (annotation_state), so a
    note's or a source's edit rebuilds nothing; and an edit of a few terms' renderings or forms
    replaces only their entries (replaced: the change log names them), so that a rendering edit
    a second does not cost every worker a rebuild a second (0.9 s of CPU at 5,600 terms).

    When another process changed the glossary, the new annotator is made in a background thread
    and swapped in when ready; until then readers get the previous one, so no read waits for it.
    A write this process committed (see watch) is made for synchronously, so a writer sees its
    own write; so is the first build."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the fields below
        self._build_lock = threading.Lock()  # one synchronous build at a time
        self._version: int | None = None
        self._annotator: Annotator | None = None
        self._positions: dict[int, int] = {}  # term id → the index of its entry in _annotator
        self._written = 0  # the latest version this process committed
        self._swaps = 0  # annotators swapped in so far: a build for a lower version may replace
        # the current annotator only if none was swapped in while it was made (see _make)
        self._thread: threading.Thread | None = None
        # each annotator made here has a serial number; the latest LINEAGE made by replacement
        # map to the serial of the one they were made from and the replacements: what an
        # annotation process that mirrors an earlier one needs to catch up (changes_between)
        self._serials = itertools.count(1)
        self._serial: weakref.WeakKeyDictionary[Annotator, int] = weakref.WeakKeyDictionary()
        self._lineage: OrderedDict[int, tuple[int, dict[int, Entry]]] = OrderedDict()
        self.builds = 0  # how often the annotator was built whole (for tests)
        self.replacements = 0  # how often entries were replaced instead

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Note the annotation versions that sessions from this factory commit
        (bump_annotation_version leaves the new version in session.info), so that this process's
        own writes rebuild at once."""

        @sa.event.listens_for(sessions, "after_commit")
        def committed(session: Session) -> None:
            version = session.info.pop(ANNOTATION_BUMPED, None)
            if version is not None:
                with self._lock:
                    self._written = max(self._written, version)

        @sa.event.listens_for(sessions, "after_rollback")
        def rolled_back(session: Session) -> None:
            session.info.pop(ANNOTATION_BUMPED, None)

    def get(self, session: Session) -> Annotator:
        return self.versioned(session)[0]

    def versioned(self, session: Session) -> tuple[Annotator, int]:
        """The annotator with the annotation version it was built for (the previous one while a
        background rebuild runs): what a process annotating for this one must build from."""
        version = annotation_version(session)
        with self._lock:
            annotator, built = self._annotator, self._version
            own_write_missing = built is not None and self._written > built
        if annotator is not None and built is not None and built == version:
            return annotator, built
        if annotator is None or built is None or own_write_missing:
            return self._build_now(session, version), version
        self._rebuild_in_background(session.get_bind())
        return annotator, built

    def serial(self, annotator: Annotator) -> int | None:
        """The serial number of an annotator this cache made (None for any other)."""
        with self._lock:
            return self._serial.get(annotator)

    def changes_between(self, since: int | None, annotator: Annotator) -> dict[int, Entry] | None:
        """The entry replacements (entry index → entry) that make the annotator with serial
        ``since`` into ``annotator``, where each step between was a replacement made here; else
        None, and the whole entries must be sent. annotate_pool.py sends these to an annotation
        process that mirrors the earlier annotator, which replaces them as this one did."""
        if since is None:
            return None
        steps: list[dict[int, Entry]] = []
        with self._lock:
            serial = self._serial.get(annotator)
            while serial is not None and serial != since:
                serial, changes = self._lineage.get(serial, (None, {}))
                steps.append(changes)
        if serial is None:
            return None
        merged: dict[int, Entry] = {}
        for changes in reversed(steps):
            merged |= changes
        return merged

    def wait(self, timeout: float | None = None) -> None:
        """Until a background rebuild under way (if any) has finished: for tests and the CLI."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _build_now(self, session: Session, version: int) -> Annotator:
        with self._build_lock:
            with self._lock:
                if self._annotator is not None and self._version == version:
                    return self._annotator
            return self._make(session, version)

    def _make(self, session: Session, version: int) -> Annotator:
        """The annotator for ``version`` (read from ``session`` before its entries), swapped in:
        the current one with the changed entries replaced where the change log allows, else
        built whole."""
        with self._lock:
            annotator, built, positions, swaps = self._annotator, self._version, self._positions, self._swaps
        if annotator is not None and built == version:
            return annotator  # a background rebuild started by a reader whose snapshot was older
        if annotator is not None and built is not None and built < version:
            found = replaced(session, annotator, positions, built, version)
            if found is not None:
                self.replacements += 1
                with self._lock:
                    serial = self._serial[found[0]] = next(self._serials)
                    if (base := self._serial.get(annotator)) is not None:
                        self._lineage[serial] = (base, found[1])
                        while len(self._lineage) > LINEAGE:
                            self._lineage.popitem(last=False)
                self._swap(found[0], version, positions)
                self._made(version, f"{len(found[1])} entries replaced")
                return found[0]
        by_id = entries_by_id(session)
        annotator = Annotator(list(by_id.values()), shared_segmenter())
        with self._lock:
            self._serial[annotator] = next(self._serials)
        self.builds += 1
        # a version below the one built for, read from a fresh session, is a restored database
        # backup: its glossary replaces the newer one, unless another was swapped in meanwhile
        restored = swaps if built is not None and version < built else None
        self._swap(annotator, version, {term_id: i for i, term_id in enumerate(by_id)}, restored)
        self._made(version, f"built whole from {len(by_id)} entries")
        return annotator

    def _made(self, version: int, how: str) -> None:
        log.debug(
            "annotator for annotation version %d: %s (%d built whole, %d by replacement in this process)",
            version,
            how,
            self.builds,
            self.replacements,
        )

    def _swap(self, annotator: Annotator, version: int, positions: dict[int, int], restored: int | None = None) -> None:
        """Swap ``annotator`` in if it is for the version built for or a later one; or, for a
        restored database (``restored``: the swap count when its build began), for an earlier one
        if nothing was swapped in since, forgetting this process's writes to the newer glossary."""
        with self._lock:
            if self._version is None or version >= self._version or restored == self._swaps:
                if self._version is not None and version < self._version:
                    self._written = min(self._written, version)
                self._annotator, self._version, self._positions = annotator, version, positions
                self._swaps += 1

    def _rebuild_in_background(self, bind: sa.Engine | sa.Connection) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return  # one at a time; the next get after it starts another if still behind
            engine = bind.engine if isinstance(bind, sa.Connection) else bind
            self._thread = threading.Thread(target=self._rebuild, args=(engine,), name="annotator", daemon=True)
            self._thread.start()

    def _rebuild(self, engine: sa.Engine) -> None:
        try:
            with Session(engine) as session:
                self._make(session, annotation_version(session))
        except Exception:  # readers keep the previous annotator; the next get tries again
            log.exception("annotator rebuild failed")
