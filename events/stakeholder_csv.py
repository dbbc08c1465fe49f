"""The stakeholder directory as CSV: reading an import file row by row, and writing the export.

Decoding, the delimiter and formula-escaping follow the registrations CSV (events/csv_rows.py), so
a file the export wrote, edited in a spreadsheet, imports again. No database here: the service
(events/stakeholders.py) checks rows against the directory and writes them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.csv_rows import (
    MAX_COLUMNS,
    MAX_ROWS,
    RowError,
    clean_cell,
    decode_csv,
    normalise_header,
    sniff_dialect,
    spreadsheet_safe,
)
from events.models import Stakeholder

COLUMNS = ("name", "type", "country", "city", "website", "tags")
REQUIRED = ("name", "type", "country")
# Written by the export for the reader; an import reads past them.
IGNORED = ("last_contact", "open_follow_ups", "contacts")


@dataclass
class StakeholderRow:
    line: int
    name: str
    kind: str
    country: str
    city: str = ""
    website: str = ""
    tags: str = ""


def _kind(value: str) -> str | None:
    wanted = " ".join(value.replace("_", " ").split()).casefold()
    for kind, label in Stakeholder.Kind.choices:
        if wanted in (kind.replace("_", " "), str(label).casefold()):
            return kind
    return None


def read_stakeholder_rows(data: bytes) -> tuple[list[StakeholderRow], list[RowError]]:
    """Every row of the file and every error in it, each with its line number."""
    text, error = decode_csv(data)
    if error is not None:
        return [], [error]
    assert text is not None
    try:
        return _read(text)
    except csv.Error as exc:
        return [], [RowError(0, "malformed_csv", _("The file is not valid CSV: %(reason)s") % {"reason": exc})]


def _read(text: str) -> tuple[list[StakeholderRow], list[RowError]]:
    text, dialect = sniff_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    header: list[str] | None = None
    rows: list[StakeholderRow] = []
    errors: list[RowError] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [normalise_header(c) for c in record]
            unknown = [c for c in header if c not in COLUMNS and c not in IGNORED]
            missing = [c for c in REQUIRED if c not in header]
            if len(header) > MAX_COLUMNS or unknown or missing:
                message = _("The header must hold the columns %(columns)s.") % {"columns": ", ".join(COLUMNS)}
                return [], [RowError(line, "header", message)]
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            return [], [RowError(line, "too_many_rows", _("The file has too many rows."))]
        if len(record) > len(header):
            errors.append(RowError(line, "extra_cells", _("This row has more cells than the header.")))
            continue
        cells = dict(zip(header, (clean_cell(c) for c in record), strict=False))
        kind = _kind(cells.get("type", ""))
        if not cells.get("name"):
            errors.append(RowError(line, "name", _("The organisation name is missing.")))
            continue
        if kind is None:
            errors.append(RowError(line, "type", _("Unknown type “%(value)s”.") % {"value": cells.get("type", "")}))
            continue
        rows.append(
            StakeholderRow(
                line=line,
                name=cells["name"],
                kind=kind,
                country=cells.get("country", ""),
                city=cells.get("city", ""),
                website=cells.get("website", ""),
                tags=cells.get("tags", ""),
            )
        )
    if header is None:
        return [], [RowError(0, "empty_file", _("The file is empty."))]
    return rows, errors


def stakeholders_csv(stakeholders: Iterable[Stakeholder]) -> str:
    """The directory as CSV; every cell spreadsheet-safe. Contact people are not in it (personal data)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, *IGNORED])
    for s in stakeholders:
        writer.writerow(
            spreadsheet_safe(v)
            for v in (
                s.name,
                s.kind,
                s.country,
                s.city,
                s.website,
                ", ".join(s.tags or []),
                getattr(s, "last_contact", "") or "",
                getattr(s, "open_follow_ups", ""),
                getattr(s, "contact_count", ""),
            )
        )
    return out.getvalue()
