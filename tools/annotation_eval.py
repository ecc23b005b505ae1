"""Build the annotation evaluation set (tests/data/annotation_eval.json) from ../shared/corpus/dated.

Not part of the service: run by hand when the set is extended. ``sample`` draws whole paragraphs
(one a line in each document) with a fixed seed, round-robin over (kind, decade) strata, and
lists every candidate in them: each occurrence of each form of each published seed entry (any
policy, found by plain substring search) and each match the current annotator reports. The
candidates go to a work file *without* the annotator's verdict, to be judged by hand (see
docs/annotation-evaluation.md); ``merge`` joins the judgement files (TSV: id, 1/0, reason) with
the passages into the test data. Usage:

    .venv/bin/python tools/annotation_eval.py sample WORK.json
    .venv/bin/python tools/annotation_eval.py held-out WORK.json SEED TARGET   (a later draw, see sample())
    .venv/bin/python tools/annotation_eval.py show WORK.json [FIRST LAST]
    .venv/bin/python tools/annotation_eval.py merge WORK.json JUDGEMENTS.tsv... > tests/data/annotation_eval.json
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATED = ROOT.parent / "shared" / "corpus" / "dated"
SEED = 17  # the sample is fixed: same corpus, same glossary, same passages
TARGET = 1800  # candidates to reach (and so about 1,600 of the annotator's matches)
DATA = ROOT / "tests" / "data" / "annotation_eval.json"
JUDGED = ROOT / "tests" / "data" / "annotation_eval"  # judgement files and own_sense.tsv
LONGEST = 700  # characters: longer paragraphs are skipped, so that no one passage dominates


def _entries() -> list:
    """The published entries of the seed glossary, as the service gives them to the annotator."""
    from sqlalchemy.orm import sessionmaker

    from glossary.extensions import make_engine
    from glossary.services import interchange, migrate
    from glossary.services.annotation import entries
    from glossary.services.seed import load_seed

    path = Path(tempfile.mkdtemp()) / "glossary.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with sessionmaker(engine)() as session:
        interchange.load(session, load_seed(), "seed", keep_existing=True)
        session.commit()
        found = entries(session)
    engine.dispose()
    return found


def _strata() -> dict[tuple[str, str], list[tuple[str, int, str]]]:
    """(kind, decade) → every paragraph (file, offset, text) of the documents of that stratum."""
    out: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
    with open(DATED / "MANIFEST.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            text = (DATED / row["file"]).read_text(encoding="utf-8")
            offset = 0
            for line in text.split("\n"):
                if len(line.strip()) >= 20 and len(line) <= LONGEST:
                    out[(row["kind"], row["date"][:3] + "0s")].append((row["file"], offset, line))
                offset += len(line) + 1
    return out


def sample(work: Path, seed: int = SEED, target: int = TARGET, held_out: bool = False) -> None:
    """Draw passages (see the module's docstring). ``held_out``: a new draw with its own seed that
    skips the passages already in the test data and lists candidates of the entries the test data
    was judged with only, so that its figures measure rules chosen on the first set."""
    from glossary.text.annotate import Annotator
    from glossary.text.segment import shared_segmenter

    entries = _entries()
    taken: set[tuple[str, int]] = set()
    if held_out:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        judged = set(data["entries"])
        entries = [e for e in entries if e.slug in judged]
        taken = {(p["file"], p["start"]) for p in data["passages"]}
    annotator = Annotator(entries, shared_segmenter())
    forms = sorted(
        {(form, e.slug) for e in entries for form in (e.simplified, e.traditional, *e.forms) if form},
    )
    strata = _strata()
    rng = random.Random(seed)
    for paragraphs in strata.values():
        rng.shuffle(paragraphs)
    order = sorted(strata)
    passages, total, cid = [], 0, 100000 * (seed - SEED) if held_out else 0  # ids unique across draws
    while total < target and any(strata.values()):
        for key in order:
            if not strata[key] or total >= target:
                continue
            file, offset, text = strata[key].pop()
            if (file, offset) in taken:
                continue
            found = {(m.start, m.end, m.entry.slug) for m in annotator.annotate(text).matches}
            for form, slug in forms:
                at = text.find(form)
                while at >= 0:
                    found.add((at, at + len(form), slug))
                    at = text.find(form, at + 1)
            if not found:
                continue  # nothing to judge: it cannot change precision or recall
            candidates = []
            for start, end, slug in sorted(found):
                cid += 1
                candidates.append({"id": cid, "start": start, "end": end, "surface": text[start:end], "slug": slug})
            passages.append(
                {
                    **({"held_out": seed} if held_out else {}),
                    "file": file,
                    "kind": key[0],
                    "decade": key[1],
                    "start": offset,
                    "end": offset + len(text),
                    "text": text,
                    "candidates": candidates,
                }
            )
            total += len(candidates)
    primary = {e.slug: [e.simplified, e.traditional] for e in entries}
    work.write_text(
        json.dumps(
            {"entries": sorted(primary), "primary": primary, "passages": passages}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    print(f"{len(passages)} passages, {total} candidates", file=sys.stderr)


def show(work: Path, first: int = 1, last: int = 10**9) -> None:
    """Each candidate with its context, grouped by passage, for judging (no annotator verdicts)."""
    data = json.loads(work.read_text(encoding="utf-8"))
    for p in data["passages"]:
        cands = [c for c in p["candidates"] if first <= c["id"] <= last]
        if not cands:
            continue
        print(f"## {p['file']} @{p['start']}")
        text = p["text"]
        for c in cands:
            left, right = text[max(0, c["start"] - 14) : c["start"]], text[c["end"] : c["end"] + 14]
            print(f"{c['id']}\t{c['slug']}\t{left}【{c['surface']}】{right}")


def _judgements(paths: list[Path]) -> dict[int, tuple[bool, str]]:
    """id → (link, reason) from the judgement files. A file may say ``# judged: A-B``: every
    id in that range it does not list is link:true for its entry's reason in own_sense.tsv
    (filled in by :func:`merge`, which knows the slugs); a reason of ``"`` repeats the one above."""
    verdicts: dict[int, tuple[bool, str]] = {}
    for path in paths:
        reason = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if found := re.match(r"# judged: (\d+)-(\d+)", line):
                for cid in range(int(found[1]), int(found[2]) + 1):
                    verdicts.setdefault(cid, (True, ""))
            elif line.strip() and not line.startswith("#"):
                cid, link, given = line.split("\t", 2)
                reason = reason if given.strip() == '"' else given.strip()
                verdicts[int(cid)] = (link == "1", reason)
    return verdicts


def _dump(out: dict) -> str:
    """The set as JSON with one judgement a line: readable in a diff, a third of indent=1's size."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = ",\n".join(f" {one(k)}: {one(v)}" for k, v in out.items() if k != "passages")
    passages = []
    for p in out["passages"]:
        fields = ", ".join(f"{one(k)}: {one(v)}" for k, v in p.items() if k != "judgements")
        rows = ",\n".join(f"   {one(j)}" for j in p["judgements"])
        passages.append(f'  {{{fields},\n  "judgements": [\n{rows}\n  ]}}')
    return "{\n" + head + ',\n "passages": [\n' + ",\n".join(passages) + "\n ]\n}"


def merge(work: Path, judgement_files: list[Path]) -> None:
    data = json.loads(work.read_text(encoding="utf-8"))
    own = dict(
        line.split("\t", 1)
        for line in (JUDGED / "own_sense.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    verdicts = _judgements(judgement_files)
    primary = {slug: forms for slug, forms in data["primary"].items()}
    passages = []
    for p in data["passages"]:
        if any(c["id"] not in verdicts for c in p["candidates"]):
            continue  # not judged yet (the set is built up in batches)
        judged = []
        for c in p["candidates"]:
            link, reason = verdicts[c["id"]]
            if not reason:  # a use in the entry's own sense; say so when a form other than its own
                reason = own[c["slug"]] + ("" if c["surface"] in primary[c["slug"]] else f" (the form {c['surface']})")
            judged.append({k: c[k] for k in ("start", "end", "surface", "slug")} | {"link": link, "reason": reason})
        keys = ("held_out", "file", "kind", "decade", "start", "end", "text")
        passages.append({k: p[k] for k in keys if k in p} | {"judgements": judged})
    draw = data["passages"][0].get("held_out") if data["passages"] else None
    if draw:  # a held-out draw (held_out: its seed) is added to the set, or replaces its earlier merge
        passages = [
            p for p in json.loads(DATA.read_text(encoding="utf-8"))["passages"] if p.get("held_out") != draw
        ] + passages
    out = {
        "about": "Hand-judged annotation evaluation set; see docs/annotation-evaluation.md.",
        "judged_on": date.today().isoformat(),
        "entries": data["entries"],
        "passages": passages,
    }
    print(_dump(out))
    judged = sum(1 for p in passages if p.get("held_out") == draw)
    print(f"{judged} of {len(data['passages'])} passages judged whole", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    command, work_file, *rest = sys.argv[1:]
    if command == "sample":
        sample(Path(work_file))
    elif command == "held-out":  # held-out SEED TARGET: a second draw, see sample()
        sample(Path(work_file), int(rest[0]), int(rest[1]), held_out=True)
    elif command == "show":
        show(Path(work_file), *map(int, rest))
    elif command == "merge":
        merge(Path(work_file), [Path(r) for r in rest])
    else:
        sys.exit(f"unknown command {command!r}: sample, show or merge")
