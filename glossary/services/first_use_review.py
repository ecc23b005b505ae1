"""First-use review for editors: where the corpus contradicts a recorded first use, and which
undated terms it could date — and recording a confirmed proposal as an *attested* first use.

A recorded first use is contradicted when the term's earliest attestation among the documents
its scope covers is earlier, compared at the recorded date's precision (a first use of 2012 is
not contradicted by 2012-03-05). A scope the corpus has no documents for (five-year plans) is not
checked; an unstated scope is checked as "anywhere" and says so, since stating it may resolve it.
The earlier passage may be another sense of the words (国家安全 in 1983 is not 总体国家安全观's
concept): the review lists it for an editor to judge, with the record's note beside it.

Nothing here fills in a first use on its own: an editor confirms each, choosing its scope.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..formats.glossary1 import FIRST_USE_SCOPES
from ..models import Document, Occurrence, Term
from .corpus_queries import corpus_version, earliest_attestation, earliest_attestations
from .corpus_reading import source_for_document
from .errors import Invalid, NotFound
from .representation import term_to_dict
from .terms import TermInput, save_term

# the document kinds a scope covers; None: every kind
SCOPE_KINDS: dict[str | None, tuple[str, ...] | None] = {
    None: None,
    "anywhere": None,
    "official-documents": None,
    "party-congress-reports": ("congress-report",),
    "government-work-reports": ("government-work-report",),
    "laws": ("law", "regulation"),
    "speeches": ("speech",),
    "five-year-plans": (),  # the corpus holds none: not checked
}


def _attested(session: Session) -> set[int]:
    return set(session.scalars(sa.select(Occurrence.term_id).distinct()))


def review(session: Session) -> dict[str, Any]:
    """{corpus, contradicted: [...], undated: [...]}: each item the term (slug, simplified), its
    record (if any) and the earliest attestation in the documents of its scope."""
    attested = _attested(session)
    terms = session.scalars(
        sa.select(Term)
        .where(Term.status == "published", Term.id.in_(attested))
        .options(selectinload(Term.first_use_source))
        .order_by(Term.slug)
    ).all()
    scopes: dict[tuple[str, ...] | None, list[int]] = {}  # the terms of each scope's kinds
    for term in terms:
        kinds = SCOPE_KINDS.get(term.first_use_scope)
        if kinds != ():
            scopes.setdefault(kinds, []).append(term.id)
    earliest: dict[int, dict[str, Any]] = {}  # one query per scope, not one per term
    for kinds, ids in scopes.items():
        earliest |= earliest_attestations(session, ids, kinds)
    contradicted, undated = [], []
    for term in terms:
        if term.id not in earliest:
            continue
        first = earliest[term.id]
        item = {"slug": term.slug, "simplified": term.simplified, "earliest": first}
        recorded = term.first_use_date
        if recorded is None:
            undated.append(item)
        elif first["date"][: len(recorded)] < recorded:
            record = term_to_dict(term)["first_use"]
            contradicted.append(item | {"first_use": record, "scope_stated": term.first_use_scope is not None})
    return {"corpus": corpus_version(session), "contradicted": contradicted, "undated": undated}


def record_attested(session: Session, slug: str, scope: str, actor: str) -> Term:
    """Record the earliest attestation in the documents of ``scope`` as the term's first use:
    basis ``attested``, the document as source, its sentence as excerpt. Inside the caller's
    transaction; the term gets a revision naming the editor."""
    if scope not in FIRST_USE_SCOPES:
        raise Invalid(f"scope must be one of {', '.join(FIRST_USE_SCOPES)}, not {scope[:40]!r}",
                      [{"path": "scope", "message": "unknown scope"}])  # fmt: skip
    term = session.scalar(sa.select(Term).where(Term.slug == slug, Term.status == "published"))
    if term is None:
        raise NotFound(f"no published term {slug!r}")
    kinds = SCOPE_KINDS[scope]
    if kinds == ():
        raise Invalid(f"the corpus holds no documents of scope {scope!r} to attest it",
                      [{"path": "scope", "message": "no documents"}])  # fmt: skip
    earliest = earliest_attestation(session, term.id, kinds)
    if earliest is None:
        raise NotFound(f"{term.simplified} is not attested in the documents of scope {scope!r}")
    document = session.get(Document, earliest["document"]["id"])
    assert document is not None  # it was just read
    corpus = corpus_version(session)
    span = f"{corpus['from'][:4]}–{corpus['to'][:4]}" if corpus["from"] and corpus["to"] else ""
    data = term_to_dict(term) | {
        "first_use": {
            "date": earliest["date"],
            "source": source_for_document(session, document),
            "locator": None,
            "note": f"Earliest attestation {FIRST_USE_SCOPES[scope]} in this library's corpus of "
            f"{corpus['documents']} documents ({span}), confirmed by {actor}; a first use only as far as "
            "this corpus shows.",
            "basis": "attested",
            "scope": scope,
            "excerpt": earliest["excerpt"],
        }
    }
    return save_term(session, TermInput(data, actor, term, comment="first use recorded from its earliest attestation"))
