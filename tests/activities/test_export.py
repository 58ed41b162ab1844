"""The monthly export's activity section: per ward, other wards and city, for the month and year to date."""

from __future__ import annotations

import pytest
from flask import Flask

from caseapp.activities.export import FIGURE_COLUMNS, SUPPRESSION_NOTE, activity_export_rows
from tests.activities.helpers import WARD_C, WARD_D, seed_2025
from tests.factories import WARD_A, WARD_B

# FIGURE_COLUMNS: activities, training_courses, participants residents, establishment workers,
# industrial-park workers, students, staff/volunteers, trained. From seed_2025(), March 2025, by hand:
EXPECTED = {
    # ward A: March = training 30 + peer group 12 (establishment); YTD adds Jan residents 40, students 500
    WARD_A: ([2, 1, 0, 12, 0, 0, 0, 30], [4, 1, 40, 12, 0, 500, 0, 30]),
    # ward B: March = residents 60 + training of 25 residents; YTD adds Feb 1 industrial park 300
    WARD_B: ([2, 1, 60, 0, 0, 0, 0, 25], [3, 1, 60, 0, 300, 0, 0, 25]),
    # other wards: C's training on 31 March (the month's last day); D's April session is not in March
    "other_wards": ([1, 1, 0, 0, 0, 0, 0, 20], [1, 1, 0, 0, 0, 0, 0, 20]),
    "city": ([5, 3, 60, 12, 0, 0, 0, 75], [8, 3, 100, 12, 300, 500, 0, 75]),
}


def cells(row):  # type: ignore[no-untyped-def]
    return row.month.cells(), row.year_to_date.cells()


def test_hand_checked_month_and_year_to_date(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        rows = activity_export_rows(2025, 3, {WARD_A, WARD_B})
    assert [(r.level, r.ward_code) for r in rows] == [
        ("ward", WARD_A),
        ("ward", WARD_B),
        ("other_wards", None),
        ("city", None),
    ]
    assert rows[0].ward_name == "Phường Ba Đình"
    assert {r.ward_code or r.level: cells(r) for r in rows} == EXPECTED
    assert len(FIGURE_COLUMNS) == 8 and FIGURE_COLUMNS[2] == "participants_residents"


def test_ward_rows_and_other_wards_add_up_to_the_city(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        for month in (1, 3, 4, 12):
            rows = activity_export_rows(2025, month, {WARD_A, WARD_D})
            parts, city = rows[:-1], rows[-1]
            for period in ("month", "year_to_date"):
                summed = [sum(col) for col in zip(*(getattr(r, period).cells() for r in parts), strict=True)]
                assert summed == getattr(city, period).cells(), (month, period)


def test_every_ward_when_no_set_is_given(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        rows = activity_export_rows(2025, 4, None)
    assert len(rows) == 127 and rows[-1].level == "city" and "other_wards" not in {r.level for r in rows}
    by_code = {r.ward_code: r for r in rows}
    assert by_code[WARD_D].month.cells() == [1, 0, 0, 0, 0, 1000, 0, 0]
    assert by_code[WARD_C].year_to_date.trained == 20 and rows[-1].year_to_date.activities == 9


def test_other_years_do_not_leak_in_and_bad_months_are_refused(app: Flask) -> None:
    with app.app_context():
        seed_2025()
        january_2026 = activity_export_rows(2026, 1, {WARD_A})
        assert january_2026[0].month.cells() == [1, 0, 999, 0, 0, 0, 0, 0]
        assert january_2026[-1].year_to_date.activities == 1
        with pytest.raises(ValueError):
            activity_export_rows(2025, 13, None)


def test_the_section_says_suppression_does_not_apply() -> None:
    assert "not clients" in SUPPRESSION_NOTE and "suppression does not apply" in SUPPRESSION_NOTE
