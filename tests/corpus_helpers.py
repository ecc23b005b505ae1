"""Small corpora written into a test's tmp directory: files and their MANIFEST.tsv."""

from __future__ import annotations

import random
from pathlib import Path

COLUMNS = ["file", "date", "kind", "language", "title_zh", "title_en", "chars", "source_repo", "source_path",
           "copyright", "license_note"]  # fmt: skip


def filler(seed: int, length: int) -> str:
    """Text that shares no 8-character run with other seeds' (so no overlap is found by chance)
    and holds no glossary form: characters from U+9E00–U+9F9F, which no test term uses."""
    rng = random.Random(seed)
    return "".join(chr(0x9E00 + rng.randrange(0x1A0)) for _ in range(length))


def write_corpus(directory: Path, docs: list[dict], extra_columns: tuple[str, ...] = ()) -> Path:
    """docs: {file, date, kind, text (str or bytes), title_zh?, …}; writes the files and the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    columns = COLUMNS + list(extra_columns)
    lines = ["\t".join(columns)]
    for doc in docs:
        text = doc.get("text")
        if text is not None:
            data = text.encode() if isinstance(text, str) else text
            (directory / doc["file"]).write_bytes(data)
        row = {"language": "zh", "title_zh": f"标题 {doc['file']}", "copyright": "official-document", **doc}
        lines.append("\t".join(str(row.get(c, "")) for c in columns))
    (directory / "MANIFEST.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return directory
