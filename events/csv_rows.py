"""Reading a registrations CSV: decoding, the delimiter, the header, and checking each row on its own.

No database here; events/imports.py checks the rows against the event and imports them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from events.models import Registration
from events.text import printable, text_problem

COLUMNS = (
    "name",
    "email",
    "role",
    "organisation",
    "country",
    "language",
    "delegation",
    "consent_share_profile",
    "consent_attendee_list",
)
REQUIRED_COLUMNS = ("name", "email")
# Written by the export for the organiser's information; an import reads past them.
IGNORED_COLUMNS = ("status", "registered_at")
MAX_ROWS = 20_000
# Far more than any spreadsheet of ours has; a wider header is refused before it is checked cell by cell.
MAX_COLUMNS = 100
SEP_LINE = re.compile(r"^sep=([,;\t|])\s*$", re.IGNORECASE)

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "taip", "نعم"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "ne", "لا"})
# Spreadsheets run a cell that starts with one of these as a formula; every export defuses them with a
# leading apostrophe (spreadsheet_safe), which the import removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A value that really starts with an apostrophe gets one more, so the import's removal is exact.
_ESCAPED_STARTS = (*FORMULA_STARTS, "'")


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    role: str = Registration.Role.CANDIDATE
    organisation: str = ""
    country: str = ""
    language: str = "en"
    delegation: str = ""
    consent_share_profile: bool = False
    consent_attendee_list: bool = False


def is_country_code(value: str) -> bool:
    return len(value) == 2 and pycountry.countries.get(alpha_2=value) is not None


def spreadsheet_safe(value: object) -> str:
    """A cell for any CSV we hand out (registrations, leads, attendance): never a formula when a
    spreadsheet opens it, and never an escape code when a terminal prints it."""
    text = printable("" if value is None else str(value))
    # A spreadsheet would run "=HYPERLINK(...)" typed into a name field; the apostrophe keeps it text.
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def clean_cell(value: str | None) -> str:
    value = (value or "").strip()
    if value.startswith("'") and value[1:2] in _ESCAPED_STARTS:
        value = value[1:]
    return value


def normalise_header(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").split())


def decode_csv(data: bytes) -> tuple[str | None, RowError | None]:
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab separated.
            text = data.decode("utf-16")
        elif b"\x00" in data:
            return None, RowError(0, "not_text", _("The file is not a CSV text file."))
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, RowError(0, "not_utf8", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))
    if "\x00" in text:
        return None, RowError(0, "not_text", _("The file is not a CSV text file."))
    if not text.strip():
        return None, RowError(0, "empty_file", _("The file is empty."))
    return text, None


def sniff_dialect(text: str) -> tuple[str, type[csv.Dialect] | csv.Dialect]:
    """The text to read and how: Excel's optional "sep=;" first line names the delimiter outright."""
    first_line = text.lstrip("\r\n").splitlines()[0]
    declared = SEP_LINE.match(first_line)
    if declared:
        # Blank the line instead of cutting it, so line numbers still match the file.
        class Declared(csv.excel):
            delimiter = declared.group(1)

        return text.replace(first_line, "", 1), Declared
    # Sniff the header line only: it holds nothing but column names, so the delimiter is unambiguous
    # there, while a data row may hold commas inside a quoted organisation name. Only the delimiter is
    # taken from the sniffer: from a header without quotes it also concludes that quotes are never
    # doubled, and 'Ali "The Lion" Hassan' written as "Ali ""The Lion"" Hassan" came back mangled.
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return text, csv.excel

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    return text, Sniffed


def read_rows(data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Parse and check a CSV file on its own (no database): every row, every error."""
    text, error = decode_csv(data)
    if error is not None:
        return [], [error]
    assert text is not None
    try:
        return _read_rows(text)
    except csv.Error as exc:
        # The csv module gives up on some malformed input (an unclosed quote at the very end).
        return [], [RowError(0, "malformed_csv", _("The file is not valid CSV: %(reason)s") % {"reason": exc})]


def _read_rows(text: str) -> tuple[list[ImportRow], list[RowError]]:
    text, dialect = sniff_dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    header: list[str] | None = None
    header_line = 0
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    line = 0
    for record in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_line = [normalise_header(cell) for cell in record], start
            errors.extend(_check_header(header, start))
            if errors:
                return [], errors
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(start, "too_many_rows", _("More than %(max)s rows.") % {"max": MAX_ROWS}))
            break
        row, row_errors = _read_row(header, record, start)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.email in seen:
            errors.append(
                RowError(
                    start,
                    "duplicate_email",
                    _("%(email)s is also on line %(other)s.") % {"email": row.email, "other": seen[row.email]},
                )
            )
            continue
        seen[row.email] = start
        rows.append(row)
    if header is None:
        errors.append(RowError(0, "empty_file", _("The file is empty.")))
    elif not rows and not errors:
        errors.append(RowError(header_line, "no_rows", _("The file has a header but no rows.")))
    return rows, errors


def _check_header(header: list[str], line: int) -> list[RowError]:
    if len(header) > MAX_COLUMNS:
        message = _("The header has %(count)s columns; at most %(max)s are allowed.")
        return [RowError(line, "too_many_columns", message % {"count": len(header), "max": MAX_COLUMNS})]
    errors = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        looks_like_data = any("@" in cell for cell in header)
        message = (
            _("The first line must be the header, e.g. %(columns)s.")
            if looks_like_data
            else _("The header lacks the required column(s) %(missing)s; the columns are %(columns)s.")
        )
        errors.append(
            RowError(line, "missing_header", message % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)})
        )
    for name in header:
        if name and name not in COLUMNS and name not in IGNORED_COLUMNS:
            errors.append(RowError(line, "unknown_column", _("Unknown column “%(column)s”.") % {"column": name[:50]}))
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    for name in duplicates:
        errors.append(RowError(line, "duplicate_column", _("Column “%(column)s” appears twice.") % {"column": name}))
    return errors


def _read_row(header: list[str], record: list[str], line: int) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(code: str, message: str) -> None:
        errors.append(RowError(line, code, message))

    if len(record) > len(header):
        fail(
            "too_many_fields",
            _("%(count)s fields, but the header has %(header)s.") % {"count": len(record), "header": len(header)},
        )
        return None, errors
    cells = {name: clean_cell(value) for name, value in zip(header, record, strict=False) if name in COLUMNS}

    # Runs of white space (a line break inside a quoted cell among them) become one space.
    name = " ".join(cells.get("name", "").split())
    if not name:
        fail("name_required", _("The name is missing."))
    elif len(name) > 200:
        fail("name_too_long", _("The name is longer than 200 characters."))
    elif problem := text_problem(name):
        fail(f"name_{problem[0]}", problem[1])

    email = cells.get("email", "").lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        fail("invalid_email", _("“%(email)s” is not a valid email address.") % {"email": email[:100]})

    role = cells.get("role", "").lower() or Registration.Role.CANDIDATE
    if role not in Registration.Role.values:
        fail(
            "invalid_role",
            _("Unknown role “%(role)s”; use one of %(roles)s.")
            % {"role": role[:50], "roles": ", ".join(Registration.Role.values)},
        )

    languages = [code for code, _name in settings.LANGUAGES]
    language = cells.get("language", "").lower() or settings.LANGUAGE_CODE
    if language not in languages:
        fail(
            "invalid_language",
            _("Unknown language “%(language)s”; use one of %(languages)s.")
            % {"language": language[:20], "languages": ", ".join(languages)},
        )

    country = cells.get("country", "").upper()
    delegation = cells.get("delegation", "").upper()
    for column, code in (("country", country), ("delegation", delegation)):
        if code and not is_country_code(code):
            fail(
                f"invalid_{column}",
                _("%(column)s “%(code)s” is not a two-letter ISO country code (LT, IQ…).")
                % {"column": column, "code": code[:20]},
            )

    organisation = " ".join(cells.get("organisation", "").split())
    if len(organisation) > 200:
        fail("organisation_too_long", _("The organisation name is longer than 200 characters."))
    elif problem := text_problem(organisation):
        fail(f"organisation_{problem[0]}", problem[1])

    consents = {}
    for column in ("consent_share_profile", "consent_attendee_list"):
        word = cells.get(column, "").lower()
        if word in TRUE_WORDS:
            consents[column] = True
        elif word in FALSE_WORDS:
            consents[column] = False
        else:
            fail(
                "invalid_consent",
                _("%(column)s must be yes or no, not “%(value)s”.") % {"column": column, "value": word[:20]},
            )

    if errors:
        return None, errors
    row = ImportRow(line, name, email, role, organisation, country, language, delegation, **consents)
    return row, errors
