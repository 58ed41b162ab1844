"""Chart geometry for server-side SVG: nothing is drawn in the browser and nothing comes from another host.

The templates (indicators/_charts.html) only place the shapes computed here. The drawing is sized for a
phone: a 360-unit-wide view box scales to the screen, so text stays legible at 375 px.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseapp.indicators.queries import MonthPoint

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 34, 36, 12, 28
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    month: int
    value: int


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    month: int
    percent: float


@dataclass(frozen=True)
class MonthlyChart:
    """Bars: contacts per month (left axis). Line: the cumulative indicator in percent (right axis)."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    line: str
    dots: list[Dot]
    target_y: float
    target_pct: int
    count_ticks: list[Tick]
    percent_ticks: list[Tick]
    month_ticks: list[Tick]


@dataclass(frozen=True)
class Meter:
    """A progress bar: the filled share (0-1), and where the target sits on it (0-1), if drawn."""

    fill: float
    marker: float | None = None

    @property
    def fill_width(self) -> float:
        return round(100 * self.fill, 2)

    @property
    def marker_x(self) -> float | None:
        return None if self.marker is None else round(100 * self.marker, 2)


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `value` (at least 5: a 0-5 scale)."""
    value = max(value, 5)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def monthly_chart(series: list[MonthPoint], target_pct: int) -> MonthlyChart:
    """Place the bars, the indicator line and the target line for January to the last month of `series`."""
    slot = PLOT_W / 12  # always twelve slots, so months keep their place as the year goes on
    top_count = nice_ceiling(max((p.contacts for p in series), default=0))
    bottom = TOP + PLOT_H

    def count_y(value: float) -> float:
        return round(bottom - PLOT_H * value / top_count, 2)

    def pct_y(value: float) -> float:
        return round(bottom - PLOT_H * value / 100, 2)

    bars = [
        Bar(
            round(LEFT + slot * (p.month - 1) + slot * 0.15, 2),
            count_y(p.contacts),
            round(slot * 0.7, 2),
            round(bottom - count_y(p.contacts), 2),
            p.month,
            p.contacts,
        )
        for p in series
    ]
    dots = [
        Dot(round(LEFT + slot * (p.month - 0.5), 2), pct_y(p.percent), p.month, p.percent)
        for p in series
        if p.percent is not None
    ]
    return MonthlyChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=LEFT + PLOT_W,
        top=TOP,
        bottom=bottom,
        bars=bars,
        line=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        target_y=pct_y(target_pct),
        target_pct=target_pct,
        count_ticks=[
            Tick(count_y(v), str(v)) for v in (0, top_count // 2, top_count) if 2 * v % top_count == 0
        ],
        percent_ticks=[Tick(pct_y(v), f"{v}%") for v in (0, 25, 50, 75, 100)],
        month_ticks=[Tick(round(LEFT + slot * (m - 0.5), 2), str(m)) for m in range(1, 13)],
    )


def contacts_meter(contacts: int, target: int) -> Meter:
    """Contacts against the year's target (full when reached)."""
    return Meter(min(contacts / target, 1.0) if target else 1.0)


def indicator_meter(percent: float | None, target_pct: int) -> Meter:
    """The indicator on a 0-100 % scale, with a marker at the target."""
    return Meter(min((percent or 0.0) / 100, 1.0), target_pct / 100)
