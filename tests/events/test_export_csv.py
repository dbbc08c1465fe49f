"""CSV export: the import's format, safe in a spreadsheet, and it round-trips through the import."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from events.exports import EXPORT_COLUMNS
from events.imports import registrations_import
from events.models import Registration
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory


@pytest.fixture
def fair(db):
    event = EventFactory(slug="fair", timezone="Asia/Baghdad")
    tigris = OrganisationFactory(name="Tigris Tech", country="IQ")
    RegistrationFactory(
        event=event,
        user=UserFactory(email="zainab@example.iq", full_name="زينب الحسيني"),
        organisation=tigris,
        language="ar",
        consent_share_profile=True,
    )
    RegistrationFactory(
        event=event,
        user=UserFactory(email="minister@gov.example", full_name='=HYPERLINK("http://evil")'),
        role=Registration.Role.OFFICIAL,
        delegation="LT",
        language="lt",
        consent_attendee_list=True,
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    return event


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_registrations", *args, stdout=out)
    return out.getvalue()


def test_export_has_the_import_columns_and_readable_rows(fair):
    text = export("fair")

    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0].keys()) == list(EXPORT_COLUMNS)
    zainab = rows[0]
    assert (zainab["name"], zainab["organisation"], zainab["country"], zainab["language"]) == (
        "زينب الحسيني",
        "Tigris Tech",
        "IQ",
        "ar",
    )
    assert (zainab["consent_share_profile"], zainab["consent_attendee_list"], zainab["status"]) == (
        "yes",
        "no",
        "registered",
    )
    assert zainab["registered_at"].endswith("+03:00")  # the event's zone
    assert rows[1]["name"] == '\'=HYPERLINK("http://evil")'  # text, not a formula
    assert len(rows) == 3


def test_status_filter_and_bad_arguments(fair, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export("fair", "--status", "registered,waitlisted").lstrip("\ufeff"))))
    assert [r["status"] for r in rows] == ["registered", "waitlisted"]
    with pytest.raises(CommandError, match="Unknown status"):
        export("fair", "--status", "vip")
    with pytest.raises(CommandError, match="No event"):
        export("nope")
    with pytest.raises(CommandError, match="Cannot write"):
        export("fair", "--output", str(tmp_path / "no" / "such" / "dir.csv"))


def test_export_round_trips_through_the_import(fair, tmp_path):
    path = tmp_path / "fair.csv"
    call_command("export_registrations", "fair", "--status", "registered,waitlisted", "--output", str(path))
    copy = EventFactory(slug="fair-2")

    report = registrations_import(event=copy, data=path.read_bytes())

    assert report.ok, report.errors
    assert report.registered == 2
    original = {
        (r.user.email, r.user.full_name, r.role, r.organisation_id, r.language, r.delegation,
         r.consent_share_profile, r.consent_attendee_list)
        for r in fair.registrations.exclude(status=Registration.Status.CANCELLED)
    }  # fmt: skip
    imported = {
        (r.user.email, r.user.full_name, r.role, r.organisation_id, r.language, r.delegation,
         r.consent_share_profile, r.consent_attendee_list)
        for r in copy.registrations.all()
    }  # fmt: skip
    # Consent is the person's own (issue 11): an organiser's file carries it out but never back in.
    assert imported == {(*row[:6], False, False) for row in original}
