"""Import registrations from a CSV file: read, validate every row, then import all or nothing.

The file is whatever an organiser's spreadsheet produced: UTF-8 with or without a BOM, commas or
semicolons (Excel in Lithuanian and Arabic locales writes semicolons), Arabic names. Every bad row is
reported with its line number and the reason, and one bad row imports nothing, so an organiser fixes
the file and runs it again instead of untangling a half-done import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from events import services
from events.exceptions import EventsError
from events.models import Event, Organisation, Registration

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
SEP_LINE = re.compile(r"^sep=([,;\t|])\s*$", re.IGNORECASE)

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "taip", "نعم"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "ne", "لا"})
# Spreadsheets run a cell that starts with one of these as a formula; the export defuses them with a
# leading apostrophe (see exports.py), which the import removes again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A new organisation's kind, guessed from the role of the person who brings it in.
_KIND_FOR_ROLE = {
    Registration.Role.OFFICIAL: Organisation.Kind.GOVERNMENT,
    Registration.Role.CANDIDATE: Organisation.Kind.UNIVERSITY,
}

ProgressCallback = Callable[[int, int], None]


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


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), or why it did nothing (errors)."""

    dry_run: bool
    rows: int = 0
    registered: int = 0
    waitlisted: int = 0
    organisations_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return self.registered + self.waitlisted


def is_country_code(value: str) -> bool:
    return len(value) == 2 and pycountry.countries.get(alpha_2=value) is not None


def _clean_cell(value: str | None) -> str:
    value = (value or "").strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        value = value[1:]
    return value


def _normalise_header(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").split())


def _decode(data: bytes) -> tuple[str | None, RowError | None]:
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


def _dialect(text: str) -> tuple[str, type[csv.Dialect] | csv.Dialect]:
    """The text to read and how: Excel's optional "sep=;" first line names the delimiter outright."""
    first_line = text.lstrip("\r\n").splitlines()[0]
    declared = SEP_LINE.match(first_line)
    if declared:
        # Blank the line instead of cutting it, so line numbers still match the file.
        class Declared(csv.excel):
            delimiter = declared.group(1)

        return text.replace(first_line, "", 1), Declared
    # Sniff the header line only: it holds nothing but column names, so the delimiter is unambiguous
    # there, while a data row may hold commas inside a quoted organisation name.
    try:
        return text, csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return text, csv.excel


def read_rows(data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Parse and check a CSV file on its own (no database): every row, every error."""
    text, error = _decode(data)
    if error is not None:
        return [], [error]
    assert text is not None
    try:
        return _read_rows(text)
    except csv.Error as exc:
        # The csv module gives up on some malformed input (an unclosed quote at the very end).
        return [], [RowError(0, "malformed_csv", _("The file is not valid CSV: %(reason)s") % {"reason": exc})]


def _read_rows(text: str) -> tuple[list[ImportRow], list[RowError]]:
    text, dialect = _dialect(text)
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
            header, header_line = [_normalise_header(cell) for cell in record], start
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
    cells = {name: _clean_cell(value) for name, value in zip(header, record, strict=False) if name in COLUMNS}

    name = " ".join(cells.get("name", "").split())
    if not name:
        fail("name_required", _("The name is missing."))
    elif len(name) > 200:
        fail("name_too_long", _("The name is longer than 200 characters."))

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


def _organisation_index(rows: list[ImportRow]) -> dict[tuple[str, str], Organisation | None]:
    """Known organisations by (lowercased name, country) and by (lowercased name, "") when unambiguous."""
    names = {row.organisation.lower() for row in rows if row.organisation}
    index: dict[tuple[str, str], Organisation | None] = {}
    if not names:
        return index
    # Case-insensitive matching in Python: the lists are small and SQLite's lower() is ASCII-only,
    # which would miss Lithuanian and Arabic names.
    for org in Organisation.objects.all().only("id", "name", "country", "kind"):
        key = org.name.lower()
        if key in names:
            index[(key, org.country)] = org
            index[(key, "")] = None if (key, "") in index else org
    return index


def check_against_event(*, event: Event, rows: list[ImportRow]) -> list[RowError]:
    """The errors only the database can tell: already registered, an organisation we cannot place."""
    errors = []
    taken = dict(
        Registration.objects.filter(event=event, user__email__in=[row.email for row in rows])
        .exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED])
        .values_list("user__email", "status")
    )
    index = _organisation_index(rows)
    for row in rows:
        if row.email in taken:
            status = Registration.Status(taken[row.email]).label
            errors.append(
                RowError(
                    row.line,
                    "already_registered",
                    _("%(email)s is already registered for this event (%(status)s).")
                    % {"email": row.email, "status": status},
                )
            )
        if row.organisation and not _known_organisation(index, row) and not (row.country or row.delegation):
            errors.append(
                RowError(
                    row.line,
                    "organisation_country_required",
                    _("“%(organisation)s” is a new organisation: give its country so it can be created.")
                    % {"organisation": row.organisation},
                )
            )
    return errors


def _known_organisation(index: dict[tuple[str, str], Organisation | None], row: ImportRow) -> Organisation | None:
    # A given country must match; without one, a name known in a single country is enough.
    key = row.organisation.lower()
    return index.get((key, row.country)) if row.country else index.get((key, ""))


def _organisation_for(
    index: dict[tuple[str, str], Organisation | None], row: ImportRow, report: ImportReport
) -> Organisation | None:
    if not row.organisation:
        return None
    org = _known_organisation(index, row)
    if org is None:
        country = row.country or row.delegation
        org = Organisation.objects.create(
            name=row.organisation, country=country, kind=_KIND_FOR_ROLE.get(row.role, Organisation.Kind.EMPLOYER)
        )
        report.organisations_created += 1
        index[(row.organisation.lower(), country)] = org
        index.setdefault((row.organisation.lower(), ""), org)
    return org


class _Rollback(Exception):
    pass


def registrations_import(
    *, event: Event, data: bytes, dry_run: bool = False, progress: ProgressCallback | None = None
) -> ImportReport:
    """Import every row of a CSV file as a registration, or none of them if any row is bad.

    Rows register in file order, so when the event fills up the later rows go on the waitlist. A dry
    run does the whole import and rolls it back: its counts are exact, and no email leaves (emails
    are sent only after a commit).
    """
    report = ImportReport(dry_run=dry_run)
    rows, errors = read_rows(data)
    report.rows = len(rows) + len({e.line for e in errors if e.line > 1})
    # The rows that read well are checked against the database too, so one run reports everything.
    errors += check_against_event(event=event, rows=rows)
    if errors:
        report.errors = sorted(errors, key=lambda e: e.line)
        return report
    try:
        with transaction.atomic():
            index = _organisation_index(rows)
            for done, row in enumerate(rows, start=1):
                try:
                    registration = services.registration_create(
                        event=event,
                        email=row.email,
                        full_name=row.name,
                        role=row.role,
                        organisation=_organisation_for(index, row, report),
                        language=row.language,
                        delegation=row.delegation,
                        consent_share_profile=row.consent_share_profile,
                        consent_attendee_list=row.consent_attendee_list,
                        by_organiser=True,
                    )
                except EventsError as exc:
                    # Someone registered the same person between the check and now.
                    report.errors = [RowError(row.line, exc.code, exc.message)]
                    raise _Rollback from exc
                if registration.status == Registration.Status.WAITLISTED:
                    report.waitlisted += 1
                else:
                    report.registered += 1
                if progress is not None:
                    progress(done, len(rows))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report
