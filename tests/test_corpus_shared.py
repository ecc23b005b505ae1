"""The stored occurrences of a handful of seed terms agree with a plain substring count over the
dated corpus files, and every difference has its reason: a short form the boundary rule rejects
(系统 inside the word 系统性, 台独 inside 反台独, as jieba cuts them), a long one cut out of a boundary
word (国家安全 in 国家安全部, 国家安全法), a match hidden because a longer term's
match runs across it (leftmost-longest), or a variant (another script, a regional form, a line
break inside the term) that a substring count of the simplified form cannot see."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa
from conftest import SHARED, needs_shared

from glossary.models import Document, Occurrence, Term
from glossary.services import corpus
from glossary.services.corpus_queries import attestations
from glossary.text.annotate import SHORT
from glossary.text.boundary import boundary_words
from glossary.text.fold import compact, fold

TERMS = ["国家安全", "中国梦", "一带一路", "中国特色社会主义", "台独", "系统", "脱钩"]


def boundary_word_across(text: str, start: int, end: int) -> bool:
    """Whether a boundary word is written across text[start:end]'s start or end."""
    for word in boundary_words():
        for edge in (start, end):
            at = text.find(word, max(0, edge - len(word) + 1), edge + len(word) - 1)
            while at != -1 and at < edge:
                if at < edge < at + len(word):
                    return True
                at = text.find(word, at + 1, edge + len(word) - 1)
    return False


@pytest.mark.slow
@needs_shared()
def test_stored_occurrences_agree_with_a_substring_count_every_difference_explained(seeded) -> None:
    from glossary.extensions import db

    with seeded.app_context():
        session = db.session
        report = corpus.import_directory(session, SHARED / "corpus" / "dated")
        assert report.errors == [] and report.documents == 221
        texts = dict(session.execute(sa.select(Document.id, Document.text)).all())
        spans_by_doc: dict[int, list[tuple[int, int, int]]] = {}
        for term_id, doc_id, start, end in session.execute(
            sa.select(Occurrence.term_id, Occurrence.document_id, Occurrence.start, Occurrence.end)
        ):
            spans_by_doc.setdefault(doc_id, []).append((term_id, start, end))
        breakdown = {}
        for simplified in TERMS:
            term = session.scalar(sa.select(Term).where(Term.simplified == simplified))
            keys = {compact(fold(f)).text for f in (term.simplified, term.traditional, *(f.text for f in term.forms))}
            why: Counter[str] = Counter()
            stored = session.execute(
                sa.select(Occurrence.document_id, Occurrence.start, Occurrence.surface).where(
                    Occurrence.term_id == term.id
                )
            ).all()
            plain = {(d, s) for d, s, surface in stored if surface == simplified}
            for _d, _s, surface in stored:
                if surface != simplified:
                    assert compact(fold(surface)).text in keys, (simplified, surface)
                    why["variant"] += 1
            for doc_id, text in texts.items():
                start = text.find(simplified)
                while start != -1:
                    why["substring"] += 1
                    end = start + len(simplified)
                    if (doc_id, start) not in plain:
                        hidden = any(
                            other != term.id and s < end and e > start and not (s <= start and e >= end)
                            for other, s, e in spans_by_doc.get(doc_id, [])
                        )
                        if hidden:
                            why["hidden by a longer match across it"] += 1
                        elif len(simplified) <= SHORT or boundary_word_across(text, start, end):
                            why["rejected at a word boundary"] += 1
                        else:
                            pytest.fail(f"{simplified} at {start} in document {doc_id} is not stored, for no reason")
                    start = text.find(simplified, start + 1)
            assert len(stored) == (
                why["substring"]
                - why["hidden by a longer match across it"]
                - why["rejected at a word boundary"]
                + why["variant"]
            )
            breakdown[simplified] = dict(why, stored=len(stored))
        print(breakdown)  # shown with -s: the figures behind the assertion
        assert breakdown["国家安全"]["stored"] > 500
        assert breakdown["国家安全"]["rejected at a word boundary"] > 0  # 国家安全部, 国家安全法
        assert breakdown["系统"].get("rejected at a word boundary", 0) > 0  # 系统性风险: 系统性 is one word


@pytest.mark.slow
@needs_shared()
def test_the_earliest_attestation_of_national_security_is_not_the_ministry(seeded) -> None:
    # 1983: 大会批准成立国家安全部 names the Ministry of State Security, a boundary word
    from glossary.extensions import db

    with seeded.app_context():
        session = db.session
        assert corpus.import_directory(session, SHARED / "corpus" / "dated").documents == 221
        slug = session.scalar(sa.select(Term.slug).where(Term.simplified == "国家安全"))
        earliest = attestations(session, slug)["earliest"]
        excerpt, at = earliest["excerpt"], earliest["start"] - earliest["excerpt_start"]
        assert excerpt[at : at + 4] == "国家安全"
        assert excerpt[at : at + 5] not in boundary_words()
        print(earliest["date"], excerpt)
