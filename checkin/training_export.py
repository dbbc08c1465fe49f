"""The training grid as a table for spreadsheets: the same rows for the CSV and the XLSX download.

Every text cell goes through `spreadsheet_safe` (no formula, no escape code), and in the XLSX every
text cell is also written with the string type, so a name typed as "=HYPERLINK(…)" is never a formula.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from events.csv_rows import spreadsheet_safe


def _final(row: dict[str, Any]) -> str:
    result = row.get("final")
    if result is None:
        return ""
    return _("passed") if result.passed else _("not passed")


def grid_table(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per trainee: totals, the standing, the final assessment, then a cell per session."""
    header = [
        _("Name"),
        _("Email"),
        _("Attended"),
        _("Excused"),
        _("Missed"),
        _("Percent"),
        _("Gap"),
        _("Final assessment"),
        _("Standing"),
    ] + [spreadsheet_safe(f"{c['starts']:%Y-%m-%d %H:%M} {c['module']}: {c['session'].title}") for c in data["columns"]]
    rows = []
    for row in data["rows"]:
        standing = row["standing"]
        rows.append(
            [
                spreadsheet_safe(row["name"]),
                spreadsheet_safe(row["registration"].user.email),
                standing.attended,
                standing.excused,
                standing.missed,
                standing.percent,
                standing.gap,
                _final(row),
                standing.label,
            ]
            + [cell[0] for cell in row["cells"]]
        )
    return header, rows


def grid_xlsx(data: dict[str, Any], *, title: str) -> bytes:
    """The grid as an XLSX workbook: one sheet, the header frozen with the names."""
    header, rows = grid_table(data)
    book = Workbook()
    sheet = book.active
    # A sheet's title may hold at most 31 characters and none of []:*?/\ .
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Training"
    for values in [header, *rows]:
        sheet.append([None if v is None else v for v in values])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    sheet.freeze_panes = "C2"
    sheet.column_dimensions[get_column_letter(1)].width = 28
    sheet.column_dimensions[get_column_letter(2)].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
