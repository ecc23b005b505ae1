"""A ready-to-paste citation of a glossary entry, pinned to the revision the reader saw."""

from __future__ import annotations

from datetime import date

from ..models import Term
from ..services.representation import preferred

SITE_NAME = "CCP Political Language Glossary"


def _bibtex_value(text: str) -> str:
    """BibTeX breaks on unbalanced braces; the entry never needs them, so drop them."""
    return text.replace("{", "").replace("}", "").replace("\\", "")


def citations(term: Term, revision: int | None, revised: date, url: str, accessed: date) -> dict[str, str]:
    """Plain-text and BibTeX citations; url should be the permanent link of that revision."""
    gloss = preferred(term, "en")[0]
    heading = f"{term.simplified} ({term.pinyin})"
    if gloss:
        heading += f", ‘{gloss}’"
    version = f"revision {revision} of {revised.isoformat()}" if revision else f"version of {revised.isoformat()}"
    plain = f"“{heading}.” {SITE_NAME}, {version}. {url} (accessed {accessed.isoformat()})."
    title = f"{term.simplified} ({term.pinyin})" + (f": {gloss}" if gloss else "")
    fields = {
        "title": title,
        "howpublished": SITE_NAME,
        "note": version[0].upper() + version[1:],
        "year": str(revised.year),
        "url": url,
        "urldate": accessed.isoformat(),
    }
    body = ",\n".join(f"  {key} = {{{_bibtex_value(value)}}}" for key, value in fields.items())
    bibtex = f"@misc{{glossary-{term.slug},\n{body}\n}}"
    return {"plain": plain, "bibtex": bibtex}
