"""The sources page's grouping: each source under its publisher (the outlet, read from the source's
URL where the record names none or names it in several spellings), each publisher under a kind —
primary (the PRC's party, state and state media: official wording) or analysis (research,
journalism and other outside publishers) — with how many published entries cite each."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from .browse import SourceSummary, sources

PRIMARY, ANALYSIS, UNRECORDED = "primary", "analysis", "unrecorded"
KIND_LABELS = {
    PRIMARY: "Primary: official sources (party, state and state media of the PRC)",
    ANALYSIS: "Analysis: research, journalism and other outside publishers",
    UNRECORDED: "Publisher not recorded",
}
# registrable domains of PRC official outlets, and the name the page groups them under
OFFICIAL_DOMAINS = {
    "fmprc.gov.cn": "Ministry of Foreign Affairs of the PRC",
    "mfa.gov.cn": "Ministry of Foreign Affairs of the PRC",
    "scio.gov.cn": "State Council Information Office",
    "gov.cn": "PRC government websites (gov.cn)",
    "china-consulate.org": "PRC embassies and consulates",
    "chineseconsulate.org": "PRC embassies and consulates",
    "chineseembassy.org": "PRC embassies and consulates",
    "china-embassy.org": "PRC embassies and consulates",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "people.com.cn": "People's Daily",
    "peopledaily.com.cn": "People's Daily",
    "people.cn": "People's Daily",
    "china.org.cn": "China.org.cn",
    "chinagate.cn": "China.org.cn",
    "fwswk.com": "China.org.cn",
    "chinadaily.com.cn": "China Daily",
    "tibet.cn": "China Daily",
    "cgtn.com": "CGTN",
    "cctv.com": "CCTV",
    "cri.cn": "China Radio International",
    "qstheory.cn": "Qiushi",
    "theorychina.org": "Theory China",
    "theorychina.org.cn": "Theory China",
    "beijingreview.com.cn": "Beijing Review",
    "pekinshuho.com": "Beijing Review",
    "chinatoday.com.cn": "China Today",
    "peoplechina.com.cn": "People's China",
    "globaltimes.cn": "Global Times",
    "eastday.com": "Eastday",
    "shine.cn": "Shanghai Daily",
    "dbw.cn": "Northeast News (dbw.cn)",
    "taiwan.cn": "Taiwan.cn",
}
CORPUS_PUBLISHER = "This glossary's reference corpus (official documents)"
CORPUS_PREFIXES = ("doc-", "docen-")  # ids of the corpus's own sources (tools/corpus_sources.py)


@dataclass
class Publisher:
    name: str
    kind: str
    sources: list[SourceSummary] = field(default_factory=list)
    entries: int = 0  # published entries citing any of its sources (an entry citing two counts once)


@dataclass
class Kind:
    kind: str
    label: str
    publishers: list[Publisher]
    sources: int
    entries: int


def _domain(url: str | None) -> str:
    host = (urlsplit(url).hostname or "").rstrip(".").lower() if url else ""
    return next(
        (d for d in sorted(OFFICIAL_DOMAINS, key=len, reverse=True) if host == d or host.endswith("." + d)), host
    )


def publisher_of(source_id: str, publisher: str | None, container: str | None, url: str | None) -> tuple[str, str]:
    """(publisher name, kind) of a source: an official outlet is known by its URL's domain (or a
    publisher spelled as one, 'french.china.org.cn'); otherwise the recorded publisher, then the
    container (a journal), then the URL's host, is the publisher and the kind is analysis."""
    if source_id.startswith(CORPUS_PREFIXES):
        return CORPUS_PUBLISHER, PRIMARY
    for candidate in (url, f"http://{publisher}" if publisher and " " not in publisher else None):
        domain = _domain(candidate)
        if domain in OFFICIAL_DOMAINS:
            return OFFICIAL_DOMAINS[domain], PRIMARY
    if publisher:
        return publisher, ANALYSIS
    if container:
        return container.split(",")[0].strip(), ANALYSIS
    if url:
        return _domain(url).removeprefix("www."), ANALYSIS
    return "Not recorded", UNRECORDED


def grouped_sources(session: Session) -> list[Kind]:
    """Kinds in a fixed order; publishers by the number of entries citing them, then by name."""
    publishers: dict[tuple[str, str], Publisher] = {}
    entry_ids: dict[tuple[str, str], set[int]] = {}
    for summary in sources(session):
        s = summary.source
        name, kind = publisher_of(s.id, s.publisher, s.container, s.url)
        publishers.setdefault((kind, name), Publisher(name, kind)).sources.append(summary)
        entry_ids.setdefault((kind, name), set()).update(summary.term_ids)
    out = []
    for kind, label in KIND_LABELS.items():
        members = [p for key, p in publishers.items() if key[0] == kind]
        for p in members:
            p.entries = len(entry_ids[(kind, p.name)])
        if members:
            members.sort(key=lambda p: (-p.entries, p.name.casefold()))
            entries = len(set().union(*(entry_ids[(kind, p.name)] for p in members)))
            out.append(Kind(kind, label, members, sum(len(p.sources) for p in members), entries))
    return out
