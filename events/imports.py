"""Import registrations from a CSV file: read and check every row, then write them in short batches.

The file is whatever an organiser's spreadsheet produced: UTF-8 with or without a BOM, commas or
semicolons (Excel in Lithuanian and Arabic locales writes semicolons), Arabic names. Every bad row is
reported with its line number and the reason, and one bad row imports nothing, so an organiser fixes
the file and runs it again instead of untangling a half-done import.

An import must never stop the door. On SQLite a write transaction holds the only write lock, and an
import of 20,000 rows in one transaction kept every door scan waiting past its timeout (issue 11).
So the checks only read (in bulk, outside any transaction), a dry run writes nothing at all, and the
rows are written in batches of at most BATCH_SIZE rows and BATCH_SECONDS, each a short transaction
of its own, between which the door's scans get the lock. The rows are checked against the database
just before the first batch; a row that someone registered in the meantime is skipped and reported
(`ImportReport.skipped`).

Consent columns are read (and checked) but never set anything: consent is given only by the person,
signed in (events/consents.py). The report counts the rows whose consent columns said yes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from events import hooks, services
from events.consents import FLAGS as CONSENT_FLAGS
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

# A batch ends after this many rows or this long, whichever comes first: the write lock is held for
# a fraction of a second even on a machine slowed down by other work, so a scan at the door waits at
# most about that long (tests/inputs/test_import_beside_the_door.py).
BATCH_SIZE = 200
BATCH_SECONDS = 0.25
# Rows per query when existing registrations are looked up: well under every database's limit of
# bound parameters.
LOOKUP_CHUNK = 500


@dataclass
class ImportReport:
    """What an import did, or would do (dry run), or why it did nothing (errors)."""

    dry_run: bool
    rows: int = 0
    registered: int = 0
    waitlisted: int = 0
    organisations_created: int = 0
    # Rows whose consent columns said yes: not applied (only the person can consent), only counted.
    consents_ignored: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows that were fine when checked but could not be written (registered meanwhile); the others were.
    skipped: list[RowError] = field(default_factory=list)

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
    emails = [row.email for row in rows]
    taken: dict[str, str] = {}
    # Plain reads in autocommit: no transaction, so no write lock, however large the file.
    for start in range(0, len(emails), LOOKUP_CHUNK):
        taken.update(
            Registration.objects.filter(event=event, user__email__in=emails[start : start + LOOKUP_CHUNK])
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


def _forecast(*, event: Event, rows: list[ImportRow], report: ImportReport) -> None:
    """What the import would do, worked out from reads alone (a dry run opens no write transaction)."""
    index = _organisation_index(rows)
    new_organisations: set[tuple[str, str]] = set()
    for row in rows:
        if row.organisation and _known_organisation(index, row) is None:
            key = (row.organisation.lower(), row.country or row.delegation)
            if key not in new_organisations:
                new_organisations.add(key)
                # Later rows naming it find it, as they would find the one the import creates.
                index.setdefault(key, None)
                index.setdefault((key[0], ""), None)
    report.organisations_created = len(new_organisations)
    room = len(rows)
    if event.capacity is not None:
        seated = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()
        room = max(0, event.capacity - seated)
    # Rows take seats in file order, as the import's own registrations would.
    report.registered = min(room, len(rows))
    report.waitlisted = len(rows) - report.registered


def _write_row(
    *, event: Event, row: ImportRow, index: dict[tuple[str, str], Organisation | None], report: ImportReport
) -> None:
    """One row: its organisation if new, then the registration, in a savepoint of the batch's transaction."""
    known = dict(index) if row.organisation else None
    created_before = report.organisations_created
    try:
        with transaction.atomic():
            registration = services.registration_create(
                event=event,
                email=row.email,
                full_name=row.name,
                role=row.role,
                organisation=_organisation_for(index, row, report),
                language=row.language,
                delegation=row.delegation,
                by_organiser=True,
            )
    except EventsError as exc:
        # Someone registered the same person between the check and now: the rest still goes in.
        if known is not None:
            index.clear()
            index.update(known)  # an organisation created for this row was rolled back with it
        report.organisations_created = created_before
        report.skipped.append(RowError(row.line, exc.code, exc.message))
        return
    if registration.status == Registration.Status.WAITLISTED:
        report.waitlisted += 1
    else:
        report.registered += 1


def registrations_import(
    *, event: Event, data: bytes, dry_run: bool = False, progress: ProgressCallback | None = None
) -> ImportReport:
    """Import every row of a CSV file as a registration, or none of them if any row is bad.

    Rows register in file order, so when the event fills up the later rows go on the waitlist. A dry
    run only reads: its counts are what the import would do now, and nothing is written or locked.
    """
    report = ImportReport(dry_run=dry_run)
    rows, errors = read_rows(data)
    report.rows = len(rows) + len({e.line for e in errors if e.line > 1})
    # The rows that read well are checked against the database too, so one run reports everything.
    errors += check_against_event(event=event, rows=rows)
    if errors:
        report.errors = sorted(errors, key=lambda e: e.line)
        return report
    report.consents_ignored = sum(1 for row in rows if any(getattr(row, flag) for flag in CONSENT_FLAGS.values()))
    if dry_run:
        _forecast(event=event, rows=rows, report=report)
        if progress is not None and rows:
            progress(len(rows), len(rows))
        return report
    index = _organisation_index(rows)
    done = 0
    while done < len(rows):
        # One short transaction per batch; emails and calendar updates are queued after each commit,
        # and the batch's seats announced once (checkin issues their tickets in one insert).
        started = time.monotonic()
        with transaction.atomic(), hooks.seats_batched():
            for row in rows[done : done + BATCH_SIZE]:
                _write_row(event=event, row=row, index=index, report=report)
                done += 1
                if progress is not None:
                    progress(done, len(rows))
                if time.monotonic() - started >= BATCH_SECONDS:
                    break
    return report
