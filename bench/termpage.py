"""Term page HTML sizes: every published entry's page, as Flask renders it, against the budget.

The issue's budget is 60 KB of HTML a term page. This prints, for the seed glossary with the
default corpus (corpus/, what `glossary init` loads) and optionally with ../shared/corpus/dated
imported as well: the largest page and its entry, the median, how many are over budget, and the
largest page's bytes by section, so a regression can be traced to the part that grew.

    python bench/termpage.py [--dated] [--save largest.html]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from glossary import create_app  # noqa: E402
from glossary.extensions import db, make_engine  # noqa: E402
from glossary.models import Term  # noqa: E402
from glossary.services import corpus, interchange, migrate  # noqa: E402
from glossary.services.seed import load_seed  # noqa: E402

BUDGET = 60_000
DATED = ROOT.parent / "shared" / "corpus" / "dated"
SECTIONS = re.compile(r'<(?:section|header|aside|footer)\b[^>]*(?:aria-labelledby|id|class)="([^"]+)"')


def sections(html: str) -> list[tuple[str, int]]:
    """Bytes from each section's opening tag to the next one's, largest first."""
    marks = [(m.start(), m.group(1)) for m in SECTIONS.finditer(html)]
    ends = [start for start, _ in marks[1:]] + [len(html)]
    sizes = [(name, len(html[start:end].encode())) for (start, name), end in zip(marks, ends, strict=True)]
    return sorted(sizes, key=lambda item: -item[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dated", action="store_true", help=f"also import {DATED}")
    parser.add_argument("--save", type=Path, help="write the largest page's HTML to this file")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="termpage-bench-")
    url = f"sqlite:///{scratch.name}/bench.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    os.environ["GLOSSARY_DATABASE_URL"] = url
    os.environ["GLOSSARY_INSTANCE_PATH"] = scratch.name
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "CORPUS_REINDEX": "inline"})
    with app.app_context():
        interchange.load(db.session, load_seed(), "seed", keep_existing=True)
        db.session.commit()
        print("default corpus:", corpus.import_directory(db.session, ROOT / "corpus").summary())
        if args.dated:
            print("dated corpus:", corpus.import_directory(db.session, DATED).summary())
        slugs = list(db.session.scalars(sa.select(Term.slug).where(Term.status == "published").order_by(Term.slug)))
    client = app.test_client()
    pages = {slug: client.get(f"/terms/{slug}").get_data(as_text=True) for slug in slugs}
    sizes = {slug: len(html.encode()) for slug, html in pages.items()}
    largest = max(sizes, key=sizes.__getitem__)
    over = sorted(slug for slug, size in sizes.items() if size > BUDGET)
    print(f"{len(sizes)} published term pages: largest {sizes[largest]:,} bytes ({largest}), "
          f"median {statistics.median(sizes.values()):,.0f}, over {BUDGET:,}: {len(over)} {over[:5]}")  # fmt: skip
    if args.save:
        args.save.write_text(pages[largest], encoding="utf-8")
    for name, size in sections(pages[largest])[:8]:
        print(f"  {name:24} {size:>7,}")


if __name__ == "__main__":
    main()
