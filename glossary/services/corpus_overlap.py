"""Documents that largely overlap: the consolidated Constitution and its amendment, a speech also
printed as a news report.

Method: character 8-grams of each document's folded text (what the annotator reads: scripts and
widths folded, line breaks gone), hashed with a fixed 64-bit polynomial hash, of which only the
hashes ≡ 0 mod 16 are kept (about one 8-gram in 16, chosen by content, so two texts sharing a
passage sample the same 8-grams in it). The containment of the smaller sample in the larger,
|A ∩ B| / min(|A|, |B|), estimates the share of the shorter text that is also in the longer one;
at :data:`THRESHOLD` or more the *shorter* document is flagged as overlapping the longer (its
``overlaps_id``). The samples are stored (``document_shingles``), so an import finds the
documents sharing them with one indexed lookup, not by comparing texts pairwise.

How counts treat a flagged document: its occurrences are stored and shown in concordances and
the earliest attestation, but it is left out of every figure (documents, occurrences,
characters, per-year rates, trends), so a text printed twice is counted once.
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document, DocumentShingle

SHINGLE = 8
SAMPLE = 16  # keep hashes ≡ 0 mod SAMPLE
# Share of the shorter document's sampled 8-grams also in the longer one. Measured on the dated
# corpus: the 2018 Constitution amendment in the consolidated Constitution 0.66; the 2014 and
# 2023 Counter-espionage Laws 0.56 (a revision: distinct texts of distinct years, both counted);
# the Hong Kong and Macao Basic Laws 0.44; every other pair 0.23 or less.
THRESHOLD = 0.6
_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_LOOKUP = 5000  # hashes per IN (...) query


def sample(folded: str) -> np.ndarray:
    """The document's sampled 8-gram hashes (unique, as signed 64-bit integers for the database)."""
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.zeros(0, dtype=np.int64)
    n = len(codes) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = h * _PRIME + codes[k : k + n]
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
    return np.unique(h[h % np.uint64(SAMPLE) == 0]).view(np.int64)


def store_sample(session: Session, document: Document, hashes: np.ndarray) -> None:
    document.shingles = len(hashes)
    if len(hashes):
        session.connection().execute(
            sa.insert(DocumentShingle), [{"hash": h, "document_id": document.id} for h in hashes.tolist()]
        )


def flag_overlaps(session: Session, document: Document, hashes: np.ndarray) -> list[tuple[int, float]]:
    """Compare a new document (its sample not yet stored) with those already in the corpus and
    flag the shorter of each pair that reaches the threshold. Returns (other id, containment)."""
    if not len(hashes):
        return []
    shared: dict[int, int] = {}
    values = hashes.tolist()
    for i in range(0, len(values), _LOOKUP):
        rows = session.execute(
            sa.select(DocumentShingle.document_id, sa.func.count())
            .where(DocumentShingle.hash.in_(values[i : i + _LOOKUP]), DocumentShingle.document_id != document.id)
            .group_by(DocumentShingle.document_id)
        ).all()
        for other, n in rows:
            shared[other] = shared.get(other, 0) + n
    if not shared:
        return []
    sizes = dict(session.execute(sa.select(Document.id, Document.shingles).where(Document.id.in_(shared))).all())
    found = []
    for other_id, n in sorted(shared.items()):
        containment = n / min(len(values), sizes[other_id])
        if containment < THRESHOLD:
            continue
        found.append((other_id, containment))
        neighbour = session.get(Document, other_id)
        assert neighbour is not None
        if sizes[other_id] < len(values):
            if neighbour.overlaps_id is None:
                neighbour.overlaps_id = document.id
        elif document.overlaps_id is None:
            document.overlaps_id = other_id
    return found
