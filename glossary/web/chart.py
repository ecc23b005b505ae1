"""Line charts of figures per year, laid out here and drawn as inline SVG by ``_chart.html``.

No chart library or CDN: the page works without JavaScript and the layout is unit-tested.
A year without documents is a gap — the line breaks and the year is shaded — never a zero,
since a missing report says nothing about a term's use. A year with documents and no use is a
zero: the line runs along the baseline there, without a dot (a dot per year would cost a term
page in a 70-year corpus several kilobytes); pages say in words which years those are. Under
the plot, a band of bars shows how many documents each year has, because the corpus is uneven
and a rate from one document means less than a rate from forty.

The drawing is 600 units wide and scales to its box; the stylesheet enlarges the text on
narrow screens so labels stay readable at 390 px.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 600
LEFT = 64  # room for the value labels
RIGHT = 14
TOP = 14
PLOT_HEIGHT = 220
AXIS = 34  # year labels under the plot
BAND = 56  # documents-per-year bars
BAND_GAP = 22
MAX_X_TICKS = 6
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)
# dark enough for 3:1 against the white plot (WCAG non-text contrast); dashes tell lines apart without colour
COLOURS = ("#9b1c1c", "#1a5fd0", "#1e6b35", "#8a5a00", "#6b2fa0", "#00727a", "#b23c00", "#4b5563")
DASHES = ("", "7 4", "2 3", "9 3 2 3")


@dataclass(frozen=True)
class Series:
    label: str
    values: dict[int, float]  # year → value, for years that have documents


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    year: int
    value: float


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    segments: list[str]  # SVG polyline points, one per run of consecutive years with documents
    dots: list[Dot]  # the years with a value above zero


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    year: int
    documents: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float  # the plot's baseline (value 0)
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    gaps: list[tuple[float, float]]  # shaded x ranges: years without documents
    lines: list[Line]
    bars: list[Bar]
    band_top: float
    band_bottom: float
    max_documents: int
    unit: str


def nice_max(value: float) -> float:
    """The smallest 1, 2, 3, 4, 6 or 8 × 10^k at or above value (1 when there is nothing to show):
    close enough that a peak fills most of the plot, and a quarter of it is still a round number."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 3, 4, 6, 8, 10):
        if factor * power >= value - 1e-12:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def number(value: float) -> str:
    """A value label: no needless decimals (0, 2.5, 1,000)."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.3g}" if value < 1 else f"{value:,.1f}".rstrip("0").rstrip(".")


def _runs(years: list[int]) -> list[list[int]]:
    """Sorted years split where a year is missing."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def _short(value: float) -> float:
    """A coordinate to a tenth, and a whole number without its ".0": some sixty bars a chart."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _polyline(points: list[tuple[float, float]]) -> str:
    """SVG points, leaving out those inside a level stretch (a run of zero years on the baseline
    is one straight line, whatever its length: two points, not seventy)."""
    last = len(points) - 1
    kept = [p for i, p in enumerate(points) if i in (0, last) or not points[i - 1][1] == p[1] == points[i + 1][1]]
    return " ".join(f"{px},{py}" for px, py in kept)


def year_ranges(years: list[int]) -> str:
    """Sorted years as runs, for a chart's text: 1954–1977, 1980, 1982–1990."""
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in _runs(years))


def year_ticks(first: int, last: int) -> list[int]:
    span = max(1, last - first)
    step = next((s for s in YEAR_STEPS if span / s <= MAX_X_TICKS - 1), YEAR_STEPS[-1])
    start = math.ceil(first / step) * step
    ticks = list(range(start, last + 1, step))
    return ticks or [first]


def line_chart(series: list[Series], documents: dict[int, int], unit: str) -> Chart | None:
    """Lay out the series over the years that have documents (``documents``: year → how many).

    None when the corpus has no documents at all.
    """
    if not documents:
        return None
    years = sorted(documents)
    first, last = years[0], years[-1]
    right = WIDTH - RIGHT
    plot_width = right - LEFT
    slot = plot_width / (last - first + 1)  # each year owns a slot; its point sits in the middle

    def x(year: float) -> float:
        return _short(LEFT + (year - first + 0.5) * slot)

    bottom = TOP + PLOT_HEIGHT
    top_value = nice_max(max((v for s in series for v in s.values.values()), default=0.0))

    def y(value: float) -> float:
        return _short(bottom - value / top_value * PLOT_HEIGHT)

    y_ticks = [(y(top_value * i / 4), number(top_value * i / 4)) for i in range(5)]
    x_ticks = [(x(year), str(year)) for year in year_ticks(first, last)]
    present = set(years)
    missing = [year for year in range(first, last + 1) if year not in present]
    gaps = [(round(LEFT + (run[0] - first) * slot, 1), round(LEFT + (run[-1] - first + 1) * slot, 1))
            for run in _runs(missing)]  # fmt: skip

    lines = []
    for i, s in enumerate(series):
        had = sorted(year for year in s.values if year in present)
        segments = [_polyline([(x(year), y(s.values[year])) for year in run]) for run in _runs(had) if len(run) > 1]
        dots = [Dot(x(year), y(s.values[year]), year, s.values[year]) for year in had if s.values[year] > 0]
        lines.append(Line(s.label, COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)], segments, dots))

    band_top = bottom + AXIS + BAND_GAP
    band_bottom = band_top + BAND
    most = max(documents.values())
    bar_width = round(max(1.0, slot * 0.7), 1)
    bars = []
    for year in years:
        height = round(max(1.0, documents[year] / most * BAND), 1)
        bars.append(Bar(_short(x(year) - bar_width / 2), _short(band_bottom - height), bar_width, _short(height),
                        year, documents[year]))  # fmt: skip
    return Chart(
        width=WIDTH,
        height=int(band_bottom + 8),
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        gaps=gaps,
        lines=lines,
        bars=bars,
        band_top=band_top,
        band_bottom=band_bottom,
        max_documents=most,
        unit=unit,
    )
