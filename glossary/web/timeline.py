"""The timeline page: first-use dates drawn as inline SVG, laid out here so it needs no JavaScript.

Each term is a bar as wide as its date's precision (a year, a month or a day) with a dot in the
middle and its label beside it; labels are packed into rows so none overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import render_template, request

from ..extensions import db
from ..services.timeline import Point, first_uses, tags_with_first_uses
from . import bp

WIDTH = 960
MARGIN = 24
ROW = 36
TOP = 16
AXIS = 32
GAP = 8  # between a bar and its label, and between neighbours in a row
STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


@dataclass(frozen=True)
class Placed:
    point: Point
    x1: float  # the bar
    x2: float
    cx: float  # the dot
    y: float
    label_x: float
    anchor: str  # start: label right of the bar; end: left of it
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    axis_y: float
    ticks: list[tuple[float, str]]
    placed: list[Placed]


def label_width(text: str) -> float:
    """Rough rendered width at the chart's 14px font: CJK characters are square, Latin ones half."""
    return sum(14.0 if ord(c) > 0x2E80 else 7.6 for c in text)


def _ticks(t0: float, t1: float) -> list[int]:
    step = next((s for s in STEPS if (t1 - t0) / s <= 10), STEPS[-1])
    first = math.ceil(t0 / step) * step
    return list(range(first, math.floor(t1) + 1, step))


def layout(points: list[Point], width: int = WIDTH) -> Chart | None:
    if not points:
        return None
    t0 = math.floor(min(p.start for p in points)) - 1
    t1 = math.ceil(max(p.end for p in points)) + 1
    plot = width - 2 * MARGIN

    def x(t: float) -> float:
        return round(MARGIN + (t - t0) / (t1 - t0) * plot, 1)

    rows: list[float] = []  # the right edge of what each row holds so far
    placed = []
    for p in points:
        x1, x2 = x(p.start), max(x(p.end), x(p.start) + 3)
        label = f"{p.simplified} {p.date}"
        w = label_width(label)
        right = x2 + GAP + w <= width - 4
        left_edge = x1 if right else x1 - GAP - w
        right_edge = x2 + GAP + w if right else x2
        row = next((i for i, edge in enumerate(rows) if edge + GAP <= left_edge), None)
        if row is None:
            rows.append(right_edge)
            row = len(rows) - 1
        else:
            rows[row] = right_edge
        placed.append(
            Placed(
                point=p,
                x1=x1,
                x2=x2,
                cx=round((x1 + x2) / 2, 1),
                y=TOP + row * ROW + ROW / 2,
                label_x=x2 + GAP if right else x1 - GAP,
                anchor="start" if right else "end",
                label=label,
            )
        )
    axis_y = TOP + len(rows) * ROW + 8
    ticks = [(x(year), str(year)) for year in _ticks(t0, t1)]
    return Chart(width, int(axis_y + AXIS), axis_y, ticks, placed)


@bp.get("/timeline")
def timeline() -> str:
    session = db.session
    tags = tags_with_first_uses(session)
    tag = request.args.get("tag") or None
    points = first_uses(session, tag) if tag is None or tag in tags else []
    return render_template("timeline.html", chart=layout(points), points=points, tags=tags, tag=tag)
