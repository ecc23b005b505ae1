"""Write seed/corpus-sources.json: a glossary/1 source record for each document of the dated corpus
(../shared/corpus/dated) and of its official English translations (../shared/corpus/en), so seed
entries can cite them by file (doc-… / docen-…, see tests/seedcheck.py). Metadata comes from the
corpora's MANIFEST.tsv only; nothing is filled in by guess. Sources no seed entry cites are left
out (--all keeps them).

    python tools/corpus_sources.py [--all]
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "tests"))
from seedcheck import corpus_source_id  # noqa: E402

OUT = ROOT / "seed" / "corpus-sources.json"


def records(folder: Path, english: bool) -> list[dict]:
    out = []
    with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            speaker = re.search(r"speaker: ([^;)]+)", row["title_en"])
            url = row.get("original_url") or None
            repo = row["source_repo"].removeprefix("https://github.com/").strip()
            taken = f"{repo} ({row['source_path']})" if repo else row["source_path"]
            note = " ".join(
                f"{row['title_en']}. Held in the reference corpus as corpus/{folder.name}/{row['file']}; "
                f"text taken from {taken}. {row['license_note']}".split()
            )
            out.append(
                {
                    "id": corpus_source_id(row["file"], english),
                    "title": row["title_en"].split(";")[0].strip() if english else row["title_zh"],
                    "author": speaker.group(1).strip() if speaker else None,
                    "publisher": None,
                    "container": None,
                    "date": row["date"],
                    "url": url if url and url.startswith(("http://", "https://")) else None,
                    "language": "en" if english else row["language"],
                    "note": note,
                }
            )
    return out


def cited(seed_dir: Path) -> set[str]:
    ids: set[str] = set()
    for path in seed_dir.glob("*.json"):
        if path == OUT:
            continue
        for term in json.loads(path.read_text("utf-8")).get("terms", []):
            for key in ("translations", "definitions", "excerpts"):
                ids |= {x.get("source") for x in term.get(key, [])}
            ids.add((term.get("first_use") or {}).get("source"))
    return ids


def main(argv: list[str]) -> int:
    sources = records(SHARED / "dated", False) + records(SHARED / "en", True)
    if "--all" not in argv:
        used = cited(ROOT / "seed")
        sources = [s for s in sources if s["id"] in used]
    doc = {"format": "glossary/1", "sources": sources, "terms": []}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
