"""Write glossary/data/cedict-chars.tsv: the CC-CEDICT entries of the single characters that the
glossary's forms use (simplified, traditional and curated forms in seed/*.json), for the term
page's character breakdown. Only those entries are kept, so the bundled file stays small; its
header names the source, version and licence (CC BY-SA 4.0: the derived file is shared alike).

    python tools/cedict_chars.py path/to/cedict_1_0_ts_utf-8_mdbg.txt

The CC-CEDICT file is published by MDBG (https://www.mdbg.net/chinese/dictionary?page=cc-cedict).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "glossary" / "data" / "cedict-chars.tsv"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")


def glossary_characters() -> set[str]:
    """Every Han character in a seed entry's simplified, traditional or curated forms."""
    chars: set[str] = set()
    for path in sorted((ROOT / "seed").glob("*.json")):
        for term in json.loads(path.read_text(encoding="utf-8")).get("terms", []):
            texts = [term.get("simplified") or "", term.get("traditional") or ""]
            texts += [form.get("text") or "" for form in term.get("forms") or []]
            chars.update(c for text in texts for c in text if HAN.match(c))
    return chars


def main(cedict: Path) -> None:
    wanted = glossary_characters()
    header: dict[str, str] = {}
    rows: list[str] = []
    for line in cedict.read_text(encoding="utf-8").splitlines():
        if line.startswith("#!"):
            key, _, value = line[2:].strip().partition("=")
            header[key] = value
            continue
        found = LINE.match(line)
        if line.startswith("#") or not found:
            continue
        traditional, simplified, reading, senses = found.groups()
        if len(simplified) == 1 and (simplified in wanted or traditional in wanted):
            rows.append("\t".join((simplified, traditional, reading, senses)))
    if "date" not in header:
        sys.exit(f"{cedict}: no '#! date=' line: is this a CC-CEDICT file?")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Single-character entries of CC-CEDICT for the characters used in this glossary's forms.",
        "# Source: CC-CEDICT, published by MDBG, https://www.mdbg.net/chinese/dictionary?page=cc-cedict",
        f"# Version: CC-CEDICT {header.get('version', '?')}.{header.get('subversion', '?')}, "
        f"released {header['date']} ({header.get('entries', '?')} entries); {len(rows)} kept here.",
        "# Licence: Creative Commons Attribution-ShareAlike 4.0 International, "
        "https://creativecommons.org/licenses/by-sa/4.0/ ; this derived file is under the same licence.",
        "# Attribution: CC-CEDICT contributors (cc-cedict.org); "
        "based on CEDICT, (C) 1997, 1998 Paul Andrew Denisowski.",
        "# Made by tools/cedict_chars.py (rows kept whole: simplified, traditional, pinyin, senses).",
        "# simplified\ttraditional\tpinyin\tsenses",
        *rows,
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} entries for {len(wanted)} characters")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
