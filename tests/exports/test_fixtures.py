"""Hand-counted programmes give exactly the expected cells: primary and secondary suppression, pooling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask

from caseapp.extensions import db
from tests.exports.helpers import (
    JAN,
    OUTSIDE_WARD,
    WARD_C,
    january_programme,
    run_export,
    statistics_by_row,
)
from tests.factories import WARD_A, WARD_B, make_client, make_contact, programme_wards

FIGURES = ("contacts", "anonymous_contacts", "clients_contacted", "new_clients")


def cells(*values: str) -> dict[str, str]:
    """Expected figures in FIGURES order: contacts, anonymous, clients contacted, new clients."""
    return dict(zip(FIGURES, values, strict=True))


def figures(row: dict[str, str], period: str = "month") -> dict[str, str]:
    return {name: row[f"{period}_{name}"] for name in FIGURES}


def test_january_cells_are_exactly_the_hand_counted_ones(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    out = tmp_path / "jan.csv"
    code, output = run_export(app, out, "--month", "2026-01")
    assert code == 0, output
    rows = statistics_by_row(out.read_bytes())
    # A (12 clients) and B (15) have k=10 people each: rows of their own. C (3) and the outside ward (2)
    # are pooled: "other wards" holds 5 clients, so each of its counts is under 10.
    assert list(rows) == ["00004", "00008", "other_wards", "cohort-2025", "cohort-2026", "city"]
    expected = {
        # new clients: other wards' 5 is primary; city 32 = A + B + other, so one more term of that sum
        # (A, the cheaper ward) goes, and cohort 2025 = A + B then loses its A to a subtraction: it goes too
        "00004": cells("12", "0", "12", "<10"),
        # B's 2 anonymous contacts are primary; its 17 contacts = 15 linked + 2 anonymous, and linked contacts
        # cannot fall below the 15 clients contacted (shown), so the contacts total would give the 2 away
        "00008": cells("<10", "<10", "15", "15"),
        "other_wards": cells("<10", "0", "<10", "<10"),
        "cohort-2025": cells("<10", "<10", "27", "<10"),
        "cohort-2026": cells("<10", "0", "<10", "<10"),
        # the city's 32 clients contacted would be 27 + other wards: suppressed with them
        "city": cells("<10", "<10", "<10", "32"),
    }
    assert {key: figures(row) for key, row in rows.items()} == expected
    # in January the year to date is the month
    assert {key: figures(row, "ytd") for key, row in rows.items()} == expected
    for row in rows.values():
        assert row["ytd_indicator_numerator"] == row["ytd_indicator_denominator"] == "0"
        assert row["ytd_indicator_percent"] == ""  # no denominator: no percentage
        assert {row[f"month_referred_{c}"] for c in ("health", "legal")} == {"0"}
    assert rows["00004"]["row_name"] == "Phường Ba Đình" and rows["00004"]["cohort"] == "2025"


def test_a_cohort_never_has_exactly_one_pooled_ward(app: Flask, tmp_path: Path) -> None:
    """A cohort of A (12), B (15) and C (3): pooling C alone would give C = cohort - A - B, so the smaller
    shown ward (A) is pooled with it."""
    with app.app_context():
        programme_wards(2025, [WARD_A, WARD_B, WARD_C])
        for ward, clients in ((WARD_A, 12), (WARD_B, 15), (WARD_C, 3)):
            for _ in range(clients):
                make_contact(JAN, client=make_client(ward, registered_on=JAN))
        db.session.remove()
    out = tmp_path / "pool.csv"
    assert run_export(app, out, "--month", "2026-01")[0] == 0
    rows = statistics_by_row(out.read_bytes())
    assert list(rows) == ["00008", "other_wards", "cohort-2025", "cohort-2026", "city"]
    assert rows["00008"]["month_clients_contacted"] == "15"
    assert rows["other_wards"]["month_clients_contacted"] == "15"  # A's 12 and C's 3 together
    # cohort 2025 = B + other wards: no cell of that sum is suppressed alone
    assert rows["cohort-2025"]["month_clients_contacted"] == "30"


def test_a_percentage_on_a_suppressed_count_is_suppressed(app: Flask, tmp_path: Path) -> None:
    """Ward A: 12 clients contacted, 12 eligible with a need, 4 of them served: 4 is under k."""
    from tests.factories import make_need, make_referral

    with app.app_context():
        programme_wards(2025, [WARD_A, WARD_B])
        for ward in (WARD_A, WARD_B):
            for i in range(12):
                client = make_client(ward, registered_on=JAN)
                make_contact(JAN, client=client)
                make_need(client, "health", decided_on=JAN)
                if ward == WARD_B or i < 4:
                    make_referral(client, "health", referred_on=JAN, on=JAN + dt.timedelta(days=3))
        db.session.remove()
    out = tmp_path / "pct.csv"
    assert run_export(app, out, "--month", "2026-01")[0] == 0
    rows = statistics_by_row(out.read_bytes())
    indicator = {
        key: (r["ytd_indicator_numerator"], r["ytd_indicator_denominator"], r["ytd_indicator_percent"])
        for key, r in rows.items()
    }
    # A's 4 served is primary; the city's 16 = A + B (other wards 0), so B's 12 goes too. With both
    # denominators shown (12 each) A's numerator could only be 4..12, 9 values: the denominators go as well.
    # Every percentage on them is suppressed; the totals' 16 of 24 are shown with their percentage.
    assert indicator == {
        "00004": ("<10", "<10", "<10"),
        "00008": ("<10", "<10", "<10"),
        "other_wards": ("0", "0", ""),
        "cohort-2025": ("16", "24", "66.7"),
        "cohort-2026": ("0", "0", ""),
        "city": ("16", "24", "66.7"),
    }


def test_zero_is_shown_and_a_higher_threshold_suppresses_more(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    out5, out20 = tmp_path / "k5.csv", tmp_path / "k20.csv"
    assert run_export(app, out5, "--month", "2026-01", "--threshold", "5")[0] == 0
    assert run_export(app, out20, "--month", "2026-01", "--threshold", "20")[0] == 0
    k5, k20 = statistics_by_row(out5.read_bytes()), statistics_by_row(out20.read_bytes())
    # at k=5 the 5 pooled clients are a count of 5, shown; at 20 no ward has 20 people: totals only
    assert k5["other_wards"]["month_new_clients"] == "5"
    assert list(k20) == ["cohort-2025", "cohort-2026", "city"]
    # the city's 32 = cohort 2025 (27) + cohort 2026 (3) + 2 outside: shown, it would leave 5 for the
    # suppressed cohort, which could then take only 5 values (< 20)
    assert {key: row["month_new_clients"] for key, row in k20.items()} == {
        "cohort-2025": "27",
        "cohort-2026": "<20",
        "city": "<20",
    }
    assert k20["city"]["month_referred_health"] == "0"


def test_bad_requests_write_nothing_and_say_why(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    out = tmp_path / "x.csv"
    for args, message in (
        (("--month", "2026-13"), "must look like 2026-03"),
        (("--month", "march"), "must look like 2026-03"),
        (("--month", "2024-12"), "start in 2025"),
        (("--month", "2099-01"), "has not started"),
        (("--month", "2026-01", "--threshold", "4"), "at least 5"),
    ):
        code, output = run_export(app, out, *args)
        assert code != 0 and message in output, (args, output)
        assert not out.exists()
    out.write_bytes(b"keep me")
    code, output = run_export(app, out, "--month", "2026-01")
    assert code != 0 and "already exists" in output and out.read_bytes() == b"keep me"


def test_outside_wards_are_never_a_row_of_their_own(app: Flask, tmp_path: Path) -> None:
    january_programme(app)
    with app.app_context():
        for _ in range(30):
            make_contact(JAN, client=make_client(OUTSIDE_WARD, registered_on=JAN))
        db.session.remove()
    out = tmp_path / "o.csv"
    assert run_export(app, out, "--month", "2026-01")[0] == 0
    rows = statistics_by_row(out.read_bytes())
    assert f"{OUTSIDE_WARD:05d}" not in rows and "other_wards" in rows
    assert rows["other_wards"]["month_clients_contacted"] == "35"


def test_an_unprotectable_month_writes_nothing(app: Flask, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Never expected (the fallback publishes totals only), but if it happens: a message and no file."""
    from caseapp.exports import service
    from caseapp.exports.suppression import ExportUnsafe

    def unsafe(_data, _k):  # type: ignore[no-untyped-def]
        raise ExportUnsafe("month 1 of 2026 could not be protected")

    january_programme(app)
    monkeypatch.setattr(service, "publish", unsafe)
    out = tmp_path / "u.csv"
    code, output = run_export(app, out, "--month", "2026-01")
    assert code != 0 and "nothing was written" in output and not out.exists()
