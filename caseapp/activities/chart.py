"""Geometry for the server-side SVG chart of cumulative reach (no JavaScript, nothing from other hosts).

The chart plots each measure's cumulative percentage of its target by month, so groups with targets of
3,500 and 100,000 share one scale; the table beside it gives the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseapp.activities.reach import MONTHS, Measure

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 12, 40
STEP = 25  # percent between horizontal grid lines


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    month: int
    value: int
    percent: float


@dataclass(frozen=True)
class Series:
    key: str
    index: int  # picks the series colour (CSS class act-series-N)
    points: list[Point]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, int]]
    target_y: float
    series: list[Series]


def _x(month: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (month - 0.5) / MONTHS


def cumulative_chart(measures: list[Measure]) -> Chart:
    """Lines of cumulative percent of target, one per measure that has a target."""
    charted = [(i, m) for i, m in enumerate(measures) if m.target]
    highest = max((100.0 * v / (m.target or 1) for _i, m in charted for v in m.cumulative), default=0.0)
    top_percent = max(100, math.ceil(highest / STEP) * STEP)
    plot_h = HEIGHT - TOP - BOTTOM

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - percent / top_percent)

    series = []
    for index, measure in charted:
        points = []
        for month, value in enumerate(measure.cumulative, start=1):
            percent = 100.0 * value / (measure.target or 1)
            points.append(Point(_x(month), y(percent), month, value, percent))
        series.append(Series(measure.key, index, points))
    y_ticks = [(y(p), p) for p in range(0, top_percent + 1, STEP)]
    x_ticks = [(_x(month), month) for month in range(1, MONTHS + 1)]
    return Chart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, x_ticks, y_ticks, y(100), series)
