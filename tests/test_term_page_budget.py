"""Issue #18's budget: a term page's HTML is at most 60 KB, for every published seed entry, with
the default corpus loaded (what `glossary init` loads). The corpus section grows with the corpus
(a chart over 70 years, a row a year, concordance lines), so the budget is checked on real data,
not on a page made small for the test; bench/termpage.py prints the figures."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import ROOT

from glossary.extensions import db
from glossary.models import Term
from glossary.services import corpus

BUDGET = 60_000


def test_every_published_entrys_term_page_is_within_the_budget_with_the_default_corpus(seeded) -> None:
    with seeded.app_context():
        report = corpus.import_directory(db.session, ROOT / "corpus")
        assert report.errors == [] and report.documents >= 100
        slugs = list(db.session.scalars(sa.select(Term.slug).where(Term.status == "published")))
    assert len(slugs) > 300  # the whole seed glossary, not a sample
    client = seeded.test_client()
    sizes = {}
    for slug in slugs:
        response = client.get(f"/terms/{slug}")
        assert response.status_code == 200, slug
        sizes[slug] = len(response.data)
    over = sorted(((size, slug) for slug, size in sizes.items() if size > BUDGET), reverse=True)
    assert over == [], f"{len(over)} term pages over {BUDGET:,} bytes, largest first: {over[:10]}"
    # the pages measured carry the corpus section filled: a chart and concordance lines
    largest = max(sizes, key=sizes.__getitem__)
    page = client.get(f"/terms/{largest}").get_data(as_text=True)
    assert '<svg class="chart"' in page and 'class="kwic-line"' in page
