"""Reporting periods: a month, a quarter, year to date or a year; the programme year is the calendar year."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["month", "quarter", "ytd", "year"]


class InvalidPeriod(ValueError):
    """A period that is empty, runs backwards or spans two programme years."""


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """Dates from `start` to `end`, both included, inside programme year `year`."""

    start: dt.date
    end: dt.date
    year: int
    kind: PeriodKind = "ytd"

    def __post_init__(self) -> None:
        if self.start > self.end or not self.start.year == self.end.year == self.year:
            raise InvalidPeriod(f"{self.start}..{self.end} is not a period inside {self.year}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month."""
        if not 1 <= month <= 12:
            raise InvalidPeriod(f"month {month}")
        return cls(dt.date(year, month, 1), month_end(year, month), year, "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1 to 4 of a year."""
        if not 1 <= quarter <= 4:
            raise InvalidPeriod(f"quarter {quarter}")
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), month_end(year, first + 2), year, "quarter")

    @classmethod
    def ytd(cls, as_of: dt.date) -> Period:
        """From 1 January to `as_of`, both included."""
        return cls(dt.date(as_of.year, 1, 1), as_of, as_of.year, "ytd")

    @classmethod
    def full_year(cls, year: int) -> Period:
        """The whole programme year."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), year, "year")

    @property
    def year_start(self) -> dt.date:
        """1 January of the programme year: contacts before it do not bring anyone into the indicator."""
        return dt.date(self.year, 1, 1)

    @property
    def quarter_number(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def months_to_date(self) -> list[int]:
        """Months from January to the period's last month (the x axis of the monthly series)."""
        return list(range(1, self.end.month + 1))

    def cutoff(self, month: int) -> dt.date:
        """The end of `month`, or the period's end if that comes first (a year-to-date line stops today)."""
        return min(month_end(self.year, month), self.end)
