"""The seed glossary shipped in seed/: read as one document, loaded without overwriting edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..formats import FormatError
from ..formats.glossary1 import parse, validate_document
from .errors import Invalid
from .interchange import ImportReport, Progress, load, refresh_statistics
from .terms import begin_write

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


def load_seed(folder: Path = SEED_DIR) -> dict[str, Any]:
    """All seed/*.json files merged into one glossary/1 document; Invalid names the file at fault
    (a source defined twice must be defined the same way, since entries in any file cite it)."""
    sources: dict[str, dict[str, Any]] = {}
    terms: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        try:
            doc = parse(path.read_bytes())
        except FormatError as exc:
            raise Invalid(f"{path.name}: {exc}", exc.errors) from None
        for src in doc.get("sources", []):
            if src["id"] in sources and sources[src["id"]] != src:
                raise Invalid(f"{path.name}: source {src['id']} differs from its earlier definition")
            sources[src["id"]] = src
        terms += doc["terms"]
    merged = {"format": "glossary/1", "sources": list(sources.values()), "terms": terms}
    try:
        validate_document(merged)
    except FormatError as exc:
        raise Invalid(f"seed: {exc}", exc.errors) from None
    return merged


def load_into(session: Session, progress: Progress | None = None) -> ImportReport:
    """Load the seed in one write transaction, keeping every term that already exists (so a
    second `glossary init` changes nothing and edits made since survive), then ANALYZE."""
    begin_write(session)
    report = load(session, load_seed(), "seed", keep_existing=True, progress=progress)
    session.commit()
    refresh_statistics(session)
    return report
