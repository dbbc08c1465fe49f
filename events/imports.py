"""Import registrations from a CSV file: read, validate every row, then import all or nothing.

The file is whatever an organiser's spreadsheet produced: UTF-8 with or without a BOM, commas or
semicolons (Excel in Lithuanian and Arabic locales writes semicolons), Arabic names. Every bad row is
reported with its line number and the reason, and one bad row imports nothing, so an organiser fixes
the file and runs it again instead of untangling a half-done import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from events import services
from events.csv_rows import (  # noqa: F401  (re-exported: the import's public vocabulary)
    COLUMNS,
    FORMULA_STARTS,
    IGNORED_COLUMNS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportRow,
    RowError,
    is_country_code,
    read_rows,
)
from events.exceptions import EventsError
from events.models import Event, Organisation, Registration

# A new organisation's kind, guessed from the role of the person who brings it in.
_KIND_FOR_ROLE = {
    Registration.Role.OFFICIAL: Organisation.Kind.GOVERNMENT,
    Registration.Role.CANDIDATE: Organisation.Kind.UNIVERSITY,
}

ProgressCallback = Callable[[int, int], None]


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


def _organisation_index(rows: list[ImportRow]) -> dict[tuple[str, str], Organisation | None]:
    """Known organisations by (lowercased name, country) and by (lowercased name, "") when unambiguous."""
    names = {row.organisation.lower() for row in rows if row.organisation}
    index: dict[tuple[str, str], Organisation | None] = {}
    if not names:
        return index
    # Case-insensitive matching in Python: the lists are small and SQLite's lower() is ASCII-only,
    # which would miss Lithuanian and Arabic names.
    for org in Organisation.objects.all().only("id", "name", "country", "kind"):
        # The rows' names have their white space collapsed; a stored name with a line break still matches.
        key = " ".join(org.name.split()).lower()
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
                    report.registered = report.waitlisted = report.organisations_created = 0
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
