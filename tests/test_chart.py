"""The server-side chart: years without documents are gaps (never zeros), values scale to a
nice maximum, and the documents-per-year band shows how uneven the corpus is."""

from __future__ import annotations

import pytest

from glossary.web.chart import LEFT, PLOT_HEIGHT, RIGHT, TOP, WIDTH, Series, line_chart, nice_max, number, year_ticks


def test_years_without_documents_break_the_line_and_are_shaded_not_drawn_as_zero() -> None:
    chart = line_chart([Series("国家安全", {2000: 4.0, 2001: 2.0, 2004: 1.0, 2005: 0.0})],
                       {2000: 1, 2001: 2, 2004: 1, 2005: 3}, "per 100k")  # fmt: skip
    (line,) = chart.lines
    assert len(line.segments) == 2  # 2000–2001 and 2004–2005, nothing drawn across 2002–2003
    assert [d.year for d in line.dots] == [2000, 2001, 2004]  # 2005 is a zero: on the line, without a dot
    assert 2002 not in {d.year for d in line.dots}
    (gap,) = chart.gaps
    slot = (WIDTH - RIGHT - LEFT) / 6
    assert gap == (pytest.approx(LEFT + 2 * slot, abs=0.1), pytest.approx(LEFT + 4 * slot, abs=0.1))
    first, second = (segment.split() for segment in line.segments)
    assert float(first[-1].split(",")[0]) < gap[0] < gap[1] < float(second[0].split(",")[0])
    # a year with documents and no use is a real zero: the line reaches the baseline there
    assert float(second[-1].split(",")[1]) == TOP + PLOT_HEIGHT


def test_a_lone_year_between_gaps_is_a_dot_without_a_line() -> None:
    chart = line_chart([Series("a", {1990: 1.0, 1995: 2.0, 1996: 3.0})], {1990: 1, 1995: 1, 1996: 1}, "u")
    (line,) = chart.lines
    assert len(line.segments) == 1 and len(line.segments[0].split()) == 2  # 1995–1996 only
    assert [d.year for d in line.dots] == [1990, 1995, 1996]


def test_values_scale_to_a_nice_maximum_and_the_top_value_reaches_the_top() -> None:
    chart = line_chart([Series("a", {2000: 180.0, 2001: 45.0})], {2000: 1, 2001: 1}, "u")
    assert [label for _, label in chart.y_ticks] == ["0", "50", "100", "150", "200"]
    peak = line_chart([Series("a", {2000: 566.0})], {2000: 1}, "u")
    assert [label for _, label in peak.y_ticks] == ["0", "150", "300", "450", "600"]
    top, middle = chart.lines[0].dots
    assert top.y == pytest.approx(TOP + PLOT_HEIGHT * (1 - 180 / 200), abs=0.1)
    assert middle.y == pytest.approx(TOP + PLOT_HEIGHT * (1 - 45 / 200), abs=0.1)
    assert [nice_max(v) for v in (0, 0.03, 1, 1.2, 2.2, 3, 5, 7, 566, 10.5)] == [1, 0.03, 1, 2, 3, 3, 6, 8, 600, 20]
    assert [number(v) for v in (0, 2.5, 1000, 0.025)] == ["0", "2.5", "1,000", "0.025"]


def test_several_series_share_the_scale_and_differ_by_colour_and_dash() -> None:
    chart = line_chart([Series("a", {2000: 1.0}), Series("b", {2000: 4.0})], {2000: 2}, "u")
    a, b = chart.lines
    assert a.colour != b.colour and a.dash != b.dash
    assert b.dots[0].y == TOP and a.dots[0].y == pytest.approx(TOP + PLOT_HEIGHT * 0.75)


def test_the_band_shows_documents_per_year_scaled_to_the_busiest_year() -> None:
    chart = line_chart([Series("a", {})], {2000: 40, 2010: 10}, "u")
    busy, quiet = chart.bars
    assert (busy.documents, quiet.documents, chart.max_documents) == (40, 10, 40)
    assert busy.height == pytest.approx(4 * quiet.height)
    assert busy.y + busy.height == chart.band_bottom
    assert chart.lines[0].dots == [] and chart.y_ticks[-1][1] == "1"  # nothing used: a 0–1 scale, no line


def test_year_ticks_stay_few_enough_to_read_on_a_phone() -> None:
    assert year_ticks(1954, 2025) == [1960, 1980, 2000, 2020]
    assert year_ticks(2014, 2016) == [2014, 2015, 2016]
    assert year_ticks(2020, 2020) == [2020]
    assert all(len(year_ticks(a, a + span)) <= 6 for a in (1949, 1954) for span in range(0, 90))


def test_no_documents_no_chart() -> None:
    assert line_chart([Series("a", {})], {}, "u") is None
