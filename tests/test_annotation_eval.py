"""Precision and recall of the annotator on hand-judged passages of real documents.

tests/data/annotation_eval.json: whole paragraphs of ../shared/corpus/dated with every candidate
link judged by hand (docs/annotation-evaluation.md says how). The real annotator runs over each
passage through POST /api/v1/annotate on the seeded glossary; the figures are printed with the
wrong and the missed links, and each must stay at or above its floor (a ratchet: raise a floor
when the annotator gets better, never lower it to let a change through).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared

DATA = Path(__file__).parent / "data" / "annotation_eval.json"
DATED = SHARED / "corpus" / "dated"

# Targets (issue 17): high precision ≥ 99.5%, recall ≥ 98%. Floors: the figures measured on
# 2026-12-03 with the annotator of that day (each passage given its document's date, as corpus
# documents have it), rounded down: 99.80%, 98.28%, 99.19%.
HIGH_PRECISION_FLOOR = 0.997
ALL_PRECISION_FLOOR = 0.982
RECALL_FLOOR = 0.991
MINIMUM_JUDGEMENTS = 2900

Key = tuple[int, int, int, str]  # passage index, start, end, slug


def load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@dataclass
class Figures:
    """What the annotator got right and wrong on the set, with the items behind each count."""

    high_right: int = 0
    high_wrong: list[str] = field(default_factory=list)
    low_right: int = 0
    low_wrong: list[str] = field(default_factory=list)
    found: int = 0
    missed: list[str] = field(default_factory=list)
    ignored: int = 0  # matches of entries added after the set was judged

    @property
    def high_precision(self) -> float:
        return self.high_right / ((self.high_right + len(self.high_wrong)) or 1)

    @property
    def all_precision(self) -> float:
        right = self.high_right + self.low_right
        return right / ((right + len(self.high_wrong) + len(self.low_wrong)) or 1)

    @property
    def recall(self) -> float:
        return self.found / ((self.found + len(self.missed)) or 1)

    def report(self) -> str:
        high = self.high_right + len(self.high_wrong)
        lines = [
            f"high precision {self.high_precision:.2%} ({self.high_right}/{high})",
            f"all precision  {self.all_precision:.2%} "
            f"({self.high_right + self.low_right}/{high + self.low_right + len(self.low_wrong)})",
            f"recall         {self.recall:.2%} ({self.found}/{self.found + len(self.missed)})",
            f"matches of entries judged later, ignored: {self.ignored}",
            "wrong high:",
            *self.high_wrong,
            "wrong low:",
            *self.low_wrong,
            "missed (no high match of this span and entry):",
            *self.missed,
        ]
        return "\n".join(lines)


def date_of(passage: dict) -> str:
    """A passage's document date: the dated corpus's file names start with it."""
    return passage["file"][:10]


def measure(data: dict, annotate) -> Figures:
    """Scores ``annotate(text, date) -> [{start, end, slug, confidence}]`` against the judgements."""
    judged: dict[Key, dict] = {}
    for index, passage in enumerate(data["passages"]):
        for j in passage["judgements"]:
            judged[(index, j["start"], j["end"], j["slug"])] = j
    known = set(data["entries"])
    figures = Figures()
    high_found: set[Key] = set()
    for index, passage in enumerate(data["passages"]):
        text = passage["text"]
        for m in annotate(text, date_of(passage)):
            if m["slug"] not in known:
                figures.ignored += 1
                continue
            key = (index, m["start"], m["end"], m["slug"])
            j = judged.get(key)
            where = f"{passage['file']}@{passage['start'] + m['start']}"
            context = f"{text[max(0, m['start'] - 8) : m['start']]}【{m['surface']}】{text[m['end'] : m['end'] + 8]}"
            if m["confidence"] == "high":
                high_found.add(key)
            if j is not None and j["link"]:
                if m["confidence"] == "high":
                    figures.high_right += 1
                else:
                    figures.low_right += 1
                continue
            why = j["reason"] if j is not None else "never judged: a span no candidate had"
            wrong = f"  {m['slug']} {context} {where}: {why}"
            (figures.high_wrong if m["confidence"] == "high" else figures.low_wrong).append(wrong)
    for key, j in judged.items():
        if not j["link"]:
            continue
        if key in high_found:
            figures.found += 1
        else:
            passage = data["passages"][key[0]]
            text = passage["text"]
            context = f"{text[max(0, j['start'] - 8) : j['start']]}【{j['surface']}】{text[j['end'] : j['end'] + 8]}"
            figures.missed.append(f"  {j['slug']} {context} {passage['file']}@{passage['start'] + j['start']}")
    return figures


def test_every_judgement_is_whole_and_gives_its_reason() -> None:
    data = load()
    count = 0
    for passage in data["passages"]:
        for j in passage["judgements"]:
            count += 1
            where = f"{passage['file']}@{passage['start']}: {j}"
            assert passage["text"][j["start"] : j["end"]] == j["surface"], where
            assert isinstance(j["link"], bool), where
            assert len(j["reason"]) >= 10, where
            assert j["slug"] in data["entries"], where
    assert count >= MINIMUM_JUDGEMENTS
    assert {p["kind"] for p in data["passages"]} >= {"congress-report", "government-work-report", "law", "speech"}


@needs_shared()
def test_passages_are_verbatim_paragraphs_of_the_dated_corpus() -> None:
    for passage in load()["passages"]:
        document = (DATED / passage["file"]).read_text(encoding="utf-8")
        assert document[passage["start"] : passage["end"]] == passage["text"], passage["file"]
        assert document[passage["start"] - 1 : passage["start"]] in ("", "\n"), passage["file"]
        assert document[passage["end"] : passage["end"] + 1] in ("", "\n"), passage["file"]


def test_measure_counts_wrong_missed_and_unjudged_matches() -> None:
    """The scoring itself, on a made-up set: a right high match, a wrong one, a low one, a
    match no one judged, an entry judged later, and a link the annotator did not make."""
    data = {
        "entries": ["a", "b"],
        "passages": [
            {
                "file": "f.txt",
                "start": 0,
                "text": "一二三四五六",
                "judgements": [
                    {"start": 0, "end": 2, "surface": "一二", "slug": "a", "link": True, "reason": "r"},
                    {"start": 2, "end": 4, "surface": "三四", "slug": "b", "link": False, "reason": "ordinary word"},
                    {"start": 4, "end": 6, "surface": "五六", "slug": "a", "link": True, "reason": "r"},
                ],
            }
        ],
    }

    def annotate(text: str, date: str) -> list[dict]:
        assert date == "f.txt"  # the file name's first ten characters (here the whole name)
        spans = [(0, 2, "a", "high"), (2, 4, "b", "high"), (4, 6, "a", "low"), (1, 3, "b", "low"), (3, 5, "c", "high")]
        return [{"start": s, "end": e, "slug": g, "confidence": c, "surface": text[s:e]} for s, e, g, c in spans]

    figures = measure(data, annotate)
    assert (figures.high_right, figures.low_right, figures.found, figures.ignored) == (1, 1, 1, 1)
    assert figures.high_precision == 0.5
    assert figures.all_precision == 0.5  # 2 right of 4 judged or unjudged matches
    assert figures.recall == 0.5  # 五六 was found only as "low"
    assert "ordinary word" in figures.high_wrong[0]
    assert "never judged" in figures.low_wrong[0]
    assert "五六" in figures.missed[0]


@pytest.fixture
def annotate_through_api(seeded, client):
    def annotate(text: str, date: str) -> list[dict]:
        r = client.post("/api/v1/annotate", json={"text": text, "date": date})
        assert r.status_code == 200, r.get_data(as_text=True)
        return r.get_json()["matches"]

    return annotate


def test_precision_and_recall_on_real_documents_hold(annotate_through_api, capsys) -> None:
    data = load()
    figures = measure(data, annotate_through_api)
    with capsys.disabled():
        print("\nannotation evaluation (tests/data/annotation_eval.json)\n" + figures.report())
        for draw in sorted({p["held_out"] for p in data["passages"] if p.get("held_out")}):
            held = measure(
                data | {"passages": [p for p in data["passages"] if p.get("held_out") == draw]}, annotate_through_api
            )
            print(
                f"\nheld-out draw {draw} (see docs/annotation-evaluation.md for which rules it saw)\n" + held.report()
            )
    assert figures.high_precision >= HIGH_PRECISION_FLOOR, figures.report()
    assert figures.all_precision >= ALL_PRECISION_FLOOR, figures.report()
    assert figures.recall >= RECALL_FLOOR, figures.report()
