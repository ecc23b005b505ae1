"""One-line factories for test data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from glossary.models import Source, Term
from glossary.services import corpus_queue
from glossary.services.terms import TermInput, save_term

SOURCE = {"id": "test-source", "title": "A test source", "language": "en"}


def make_source(session: Session, **fields: object) -> Source:
    data = {**SOURCE, **fields}
    source = session.get(Source, data["id"])
    if source is None:
        source = Source(**data)
        session.add(source)
        session.flush()
    return source


def make_term(
    session: Session, simplified: str, gloss: str | None = None, commit: bool = True, **fields: object
) -> Term:
    data: dict = {"simplified": simplified, **fields}
    if gloss:
        data.setdefault("translations", [{"lang": "en", "text": gloss, "status": "preferred"}])
    term = save_term(session, TermInput(data, "tests"))
    if commit:
        session.commit()
        corpus_queue.drain(session)  # its occurrences, as a web worker's drain would after the commit
    return term


def term_doc(*terms: dict, sources: list[dict] | None = None) -> dict:
    return {"format": "glossary/1", "sources": sources or [], "terms": list(terms)}


def patch_term(client, auth: dict[str, str], slug: str, body: dict) -> None:
    """PATCH a term through the API as an editor does: a merge patch sent with the term's current
    ETag; it must answer 200."""
    etag = client.get(f"/api/v1/terms/{slug}", headers=auth).headers["ETag"]
    headers = auth | {"If-Match": etag, "Content-Type": "application/merge-patch+json"}
    r = client.patch(f"/api/v1/terms/{slug}", json=body, headers=headers)
    assert r.status_code == 200, r.get_json()


def save_glosses(session: Session, glosses: list[tuple[str, str]]) -> None:
    """Save a term for each (simplified, English gloss) and commit, nothing more: for a scratch
    database a migration test has just made (make_term also drains the corpus queue)."""
    for simplified, gloss in glosses:
        data = {"simplified": simplified, "translations": [{"lang": "en", "text": gloss, "status": "preferred"}]}
        save_term(session, TermInput(data, "t"))
    session.commit()
