"""The monthly export as a file: tables built from a protected Publication, written as CSV or XLSX.

Only the columns declared in caseapp/exports/columns.py reach a file, in their order. A suppressed cell is
written as "<k"; a zero is written as 0. The same tables always give the same bytes: no clock is read here
(the generation time is passed in) and the XLSX writer's own timestamps are pinned to it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter

from caseapp.activities.export import ActivityExportRow
from caseapp.exports.columns import (
    ACTIVITY_COLUMNS,
    COUNT,
    EXPORT_COLUMNS,
    LABEL,
    Column,
    check_allowlist,
)
from caseapp.exports.model import RowKey
from caseapp.exports.suppression import Publication

FORMATS = ("csv", "xlsx")
Value = int | str

ROW_TYPE = {"ward": "ward", "other": "other_wards", "cohort": "cohort", "city": "city"}
OTHER_NAME = "Các phường, xã khác (gộp)"
CITY_NAME = "Toàn thành phố"

METHOD_VI = (
    'Ô đếm từ 1 đến k-1 người (hoặc lượt từ ít hơn k người) được che thành "<k"; số 0 được giữ nguyên. '
    "Che thứ cấp: thêm ô bị che cho tới khi mỗi ô bị che, đọc cùng mọi tệp đã công bố từ tháng 1 "
    "(kể cả lũy kế và tổng), vẫn có thể nhận ít nhất k giá trị khác nhau. Phường, xã có dưới k thân chủ "
    'được tiếp cận trong tháng được gộp vào dòng "các phường, xã khác". Tỷ lệ tính trên ô bị che cũng bị che.'
)
METHOD_EN = (
    'Counts of 1 to k-1 people (or events from fewer than k people) show as "<k"; zeros are shown. '
    "Secondary suppression until every suppressed cell, read with every file published since January "
    "(year-to-date figures and totals included), can still take at least k values. Wards with fewer than "
    'k clients contacted in the month are pooled into "other wards". A percentage on a suppressed count '
    "is suppressed. See docs/export.md."
)
ACTIVITY_NOTE_VI = (
    "Số liệu hoạt động đếm người tham dự các buổi truyền thông, tập huấn công khai, không phải thân chủ: "
    "không áp dụng che ô nhỏ."
)


@dataclass(frozen=True)
class Table:
    """A sheet: Vietnamese headers, machine codes, and rows of values in the columns' order."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class ExportFile:
    """Everything a file holds: the statistics, the activities and the notes."""

    statistics: Table
    activities: Table
    notes: tuple[tuple[str, str], ...]


def row_labels(key: RowKey, month: str, names: dict[int, str], cohorts: dict[int, int]) -> dict[str, Value]:
    level, code = key
    if level == "ward":
        return {
            "month": month,
            "row_type": "ward",
            "ward_code": f"{code:05d}",
            "row_name": names[code],
            "cohort": cohorts[code],
        }
    if level == "cohort":
        name = f"Các phường, xã tham gia từ năm {code}"
        return {"month": month, "row_type": "cohort", "ward_code": "", "row_name": name, "cohort": code}
    name = OTHER_NAME if level == "other" else CITY_NAME
    return {"month": month, "row_type": ROW_TYPE[level], "ward_code": "", "row_name": name, "cohort": ""}


def statistics_table(
    pub: Publication, rows: Sequence[RowKey], names: dict[int, str], cohorts: dict[int, int]
) -> Table:
    """The month's protected figures for `rows` (a subset of the publication's rows, in its order)."""
    month = pub.month
    label = f"{pub.year:04d}-{month:02d}"
    out = []
    for key in rows:
        labels = row_labels(key, label, names, cohorts)
        values: list[Value] = []
        for column in EXPORT_COLUMNS:
            if column.kind == LABEL:
                values.append(labels[column.code])
            elif column.kind == COUNT:
                measure, period = column.source.split(":")
                values.append(_shown(pub, pub.cells[(month, key, measure, period)]))
            else:
                values.append(_percent(pub, month, key))
        out.append(tuple(values))
    return Table("Thống kê", EXPORT_COLUMNS, tuple(out))


def _shown(pub: Publication, cell: tuple[int, bool]) -> Value:
    value, suppressed = cell
    return f"<{pub.k}" if suppressed else value


def _percent(pub: Publication, month: int, key: RowKey) -> Value:
    """The indicator in percent with one decimal; suppressed with either count, blank with no denominator."""
    num = pub.cells[(month, key, "indicator_numerator", "ytd")]
    den = pub.cells[(month, key, "indicator_denominator", "ytd")]
    if num[1] or den[1]:
        return f"<{pub.k}"
    if den[0] == 0:
        return ""
    # integer arithmetic, rounded half up: the same text on every machine and database
    tenths = (num[0] * 1000 * 2 + den[0]) // (den[0] * 2)
    return f"{tenths // 10}.{tenths % 10}"


def activities_table(rows: Sequence[ActivityExportRow], year: int, month: int) -> Table:
    label = f"{year:04d}-{month:02d}"
    out = []
    for row in rows:
        if row.level == "ward" and row.ward_code is not None:
            labels: list[Value] = [label, "ward", f"{row.ward_code:05d}", row.ward_name or ""]
        else:
            labels = [label, row.level, "", OTHER_NAME if row.level == "other_wards" else CITY_NAME]
        out.append((*labels, *row.month.cells(), *row.year_to_date.cells()))
    return Table("Hoạt động", ACTIVITY_COLUMNS, tuple(out))


def notes(
    pub: Publication, scope: str, generated_at: dt.datetime, fallback: bool
) -> tuple[tuple[str, str], ...]:
    items = [
        ("Tháng báo cáo / Month", f"{pub.year:04d}-{pub.month:02d}"),
        ("Phạm vi / Scope", scope),
        ("Ngưỡng che ô nhỏ k / Suppression threshold k", str(pub.k)),
        ("Ký hiệu / Mark", f"<{pub.k}: 1 đến {pub.k - 1} (bị che) / 1 to {pub.k - 1} (suppressed)"),
        ("Phương pháp", METHOD_VI),
        ("Method", METHOD_EN),
        ("Hoạt động / Activities", ACTIVITY_NOTE_VI),
        ("Thời điểm lập / Generated at (UTC)", generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    if fallback:
        items.append(
            ("Lưu ý / Note", "Tháng này chỉ công bố tổng theo nhóm và toàn thành phố (quá ít số liệu).")
        )
    return tuple(items)


def write(export: ExportFile, fmt: str, generated_at: dt.datetime) -> bytes:
    for table in (export.statistics, export.activities):
        check_allowlist(table.columns)
    if fmt == "csv":
        return write_csv(export)
    if fmt == "xlsx":
        return write_xlsx(export, generated_at)
    raise ValueError(f"unknown format {fmt!r}")


def write_csv(export: ExportFile) -> bytes:
    """UTF-8 with a BOM so Excel reads the Vietnamese headers; sections separated by one empty line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for table in (export.statistics, export.activities):
        writer.writerow([c.header for c in table.columns])
        writer.writerow([c.code for c in table.columns])
        writer.writerows(table.rows)
        writer.writerow([])
    writer.writerow(["Ghi chú / Notes", ""])
    writer.writerows(export.notes)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(export: ExportFile, generated_at: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # the document's own dates, otherwise the clock at writing time: pinned so equal data give equal bytes
    book.set_properties({"title": "caseapp: thống kê tháng", "created": generated_at.replace(tzinfo=None)})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    code = book.add_format({"font_color": "#555555", "italic": True})
    for table in (export.statistics, export.activities):
        sheet = book.add_worksheet(table.name)
        sheet.write_row(0, 0, [c.header for c in table.columns], bold)
        sheet.write_row(1, 0, [c.code for c in table.columns], code)
        for i, row in enumerate(table.rows, start=2):
            sheet.write_row(i, 0, row)
        sheet.freeze_panes(2, 4)
        sheet.set_column(0, len(table.columns) - 1, 14)
        sheet.set_column(3, 3, 30)
    sheet = book.add_worksheet("Ghi chú")
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 100)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for i, (key, value) in enumerate(export.notes):
        sheet.write_string(i, 0, key, bold)
        sheet.write_string(i, 1, value, wrap)
    book.close()
    return buffer.getvalue()


__all__ = ["FORMATS", "ExportFile", "Table", "activities_table", "notes", "statistics_table", "write"]
