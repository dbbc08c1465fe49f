"""Export an event's registrations as CSV, in the import's format so a file round-trips."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from django.db.models import QuerySet

from events.csv_rows import COLUMNS, IGNORED_COLUMNS, spreadsheet_safe
from events.models import Event, Registration

EXPORT_COLUMNS = COLUMNS + IGNORED_COLUMNS


def registrations_for_export(*, event: Event, statuses: Iterable[str] | None = None) -> QuerySet[Registration]:
    qs = event.registrations.select_related("user", "organisation", "event").order_by("created_at", "id")
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return qs


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def registration_row(registration: Registration) -> list[str]:
    organisation = registration.organisation
    registered_at = registration.created_at.astimezone(registration.event.tzinfo).isoformat(timespec="seconds")
    values = [
        registration.user.full_name,
        registration.user.email,
        registration.role,
        organisation.name if organisation else "",
        organisation.country if organisation else "",
        registration.language,
        registration.delegation,
        _yes_no(registration.consent_share_profile),
        _yes_no(registration.consent_attendee_list),
        registration.status,
        registered_at,
    ]
    return [spreadsheet_safe(value) for value in values]


def write_registrations_csv(out: TextIO, registrations: Iterable[Registration]) -> int:
    """Write a header and one row per registration; returns the number of rows.

    UTF-8 with a BOM, so Excel shows Arabic and Lithuanian names correctly when the file is opened
    with a double click; the import skips the BOM.
    """
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for registration in registrations:
        writer.writerow(registration_row(registration))
        count += 1
    return count
