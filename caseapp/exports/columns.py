"""THE allowlist: every column the monthly export may contain, declared once.

Nothing reaches a file unless it is a column below, and a column is either a public label of its row
(month, row type, ward code and official name, cohort) or an aggregate count computed by the database.
`check_allowlist()` reads the personal-column registry (caseapp/core/crypto/registry.py, DESIGN §5): a label
column may only come from a column that the registry does not call personal and that is in PUBLIC_LABELS;
tests/exports/test_allowlist.py enumerates the columns of real files and fails on anything else.

Headers are in Vietnamese (the file is for the city's staff); the second header row holds the stable
machine codes below, which never change meaning (docs/export.md lists them with their definitions).
"""

from __future__ import annotations

from dataclasses import dataclass

from caseapp.activities.export import FIGURE_COLUMNS as ACTIVITY_FIGURES
from caseapp.core.crypto.registry import is_personal
from caseapp.exports.measures import CATEGORIES, MEASURES, MONTH, YTD

LABEL, COUNT, PERCENT = "label", "count", "percent"

# the only database columns whose values may appear in a file as they are: public facts about wards
PUBLIC_LABELS = frozenset({"wards.code", "wards.name", "wards.cohort"})


@dataclass(frozen=True)
class Column:
    """One column: machine code, Vietnamese header, and where its values come from.

    kind LABEL: `source` is a public table.column (or "month", the reporting month as YYYY-MM);
    kind COUNT: `source` is "<measure>:<period>" (an aggregate of caseapp/exports/measures.py) or
    "activity:<figure>:<period>"; kind PERCENT: the indicator's numerator over its denominator.
    """

    code: str
    header: str
    kind: str
    source: str


CATEGORY_VI = {
    "social_assistance": "Trợ giúp xã hội",
    "psychological": "Hỗ trợ tâm lý",
    "legal": "Trợ giúp pháp lý",
    "health": "Chăm sóc y tế",
    "vocational_training": "Đào tạo nghề",
    "job_placement": "Giới thiệu việc làm",
}
PERIOD_VI = {MONTH: "Trong tháng", YTD: "Lũy kế từ đầu năm"}
MEASURE_VI = {
    "contacts": "Lượt tiếp cận, tư vấn",
    "anonymous_contacts": "Lượt tiếp cận ẩn danh",
    "new_clients": "Thân chủ mới đăng ký",
    "indicator_numerator": "Chỉ số tiếp cận dịch vụ: tử số",
    "indicator_denominator": "Chỉ số tiếp cận dịch vụ: mẫu số",
    **{f"referred_{c}": f"Lượt chuyển gửi: {label}" for c, label in CATEGORY_VI.items()},
    **{f"received_{c}": f"Lượt đã sử dụng dịch vụ: {label}" for c, label in CATEGORY_VI.items()},
}
# people are not additive over months: the month counts those contacted for the first time this year
CLIENTS_VI = {
    MONTH: "Thân chủ được tiếp cận lần đầu trong năm",
    YTD: "Thân chủ được tiếp cận (mỗi người tính một lần)",
}
AUDIENCE_VI = {
    "residents": "Người dân",
    "establishment_workers": "Người lao động tại cơ sở kinh doanh dịch vụ dễ bị lợi dụng",
    "industrial_park_workers": "Công nhân khu công nghiệp",
    "students": "Học sinh, sinh viên",
    "staff_volunteers": "Cán bộ, công chức, tình nguyện viên",
}
ACTIVITY_VI = {
    "activities": "Số hoạt động truyền thông, tập huấn",
    "training_courses": "Số lớp tập huấn",
    "trained": "Số người được tập huấn",
    **{f"participants_{a}": f"Người tham dự truyền thông: {label}" for a, label in AUDIENCE_VI.items()},
}

ROW_LABELS: tuple[Column, ...] = (
    Column("month", "Tháng báo cáo", LABEL, "month"),
    Column("row_type", "Loại dòng", LABEL, "row_type"),
    Column("ward_code", "Mã phường, xã", LABEL, "wards.code"),
    Column("row_name", "Tên phường, xã hoặc nhóm", LABEL, "wards.name"),
    Column("cohort", "Năm tham gia chương trình", LABEL, "wards.cohort"),
)


def _figure(period: str, code: str) -> Column:
    header = CLIENTS_VI[period] if code == "clients_contacted" else MEASURE_VI[code]
    return Column(f"{period}_{code}", f"{PERIOD_VI[period]}: {header}", COUNT, f"{code}:{period}")


FIGURES: tuple[Column, ...] = tuple(
    _figure(period, m.code) for period in (MONTH, YTD) for m in MEASURES if m.kinds(period)
)
PERCENT_COLUMN = Column(
    "ytd_indicator_percent", f"{PERIOD_VI[YTD]}: Chỉ số tiếp cận dịch vụ (%)", PERCENT, "indicator:ytd"
)
# the statistics sheet: labels, month figures, year-to-date figures, the indicator in percent
EXPORT_COLUMNS: tuple[Column, ...] = (*ROW_LABELS, *FIGURES, PERCENT_COLUMN)

# the activities sheet (not suppressed: counts of participants at public events, not of clients)
ACTIVITY_COLUMNS: tuple[Column, ...] = (
    *ROW_LABELS[:4],
    *(
        Column(
            f"{period}_{figure}",
            f"{PERIOD_VI[period]}: {ACTIVITY_VI[figure]}",
            COUNT,
            f"activity:{figure}:{period}",
        )
        for period in (MONTH, YTD)
        for figure in ACTIVITY_FIGURES
    ),
)

ALLOWED_CODES = frozenset(c.code for c in (*EXPORT_COLUMNS, *ACTIVITY_COLUMNS))
# the only values a label column "row_type" takes
ROW_TYPES = ("ward", "other_wards", "cohort", "city")


class AllowlistError(RuntimeError):
    """A column is declared that could let personal data into a file."""


def check_allowlist(columns: tuple[Column, ...] = (*EXPORT_COLUMNS, *ACTIVITY_COLUMNS)) -> None:
    """Refuse any label column that is personal in the registry or not a public ward fact."""
    for column in columns:
        if column.kind != LABEL or column.source in ("month", "row_type"):
            continue
        table, _, name = column.source.partition(".")
        if is_personal(table, name) or column.source not in PUBLIC_LABELS:
            raise AllowlistError(f"column {column.code} would export {column.source}")
    codes = [c.code for c in columns]
    if len(set(codes)) != len(codes) or any(c not in ALLOWED_CODES for c in codes):
        raise AllowlistError("column codes must be unique and declared in this module")


__all__ = ["ACTIVITY_COLUMNS", "ALLOWED_CODES", "CATEGORIES", "EXPORT_COLUMNS", "check_allowlist"]
