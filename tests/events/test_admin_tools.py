"""The admin's own pages: invite people, import a CSV (dry run, errors, garbage), export, actions."""

from __future__ import annotations

import csv
import io
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from tests.calendar.mailbox import calendar_alone
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def ours() -> list:
    """Emails from the events tasks; calendar invitations (another feature) aside."""
    return [m for m in mail.outbox if not calendar_alone(m)]


def upload(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def test_invite_people_sends_invitations_and_reports_who_was_left_out(admin_client, actors):
    url = reverse("admin:events_event_invite", args=[actors.event.pk])
    people = "د. أحمد الربيعي <Ahmed@molsa.example>\nnoor@molsa.example, Noor Al-Jaburi\ncandidate@example.org\n"
    response = admin_client.post(url, {"people": people, "role": "official", "delegation": "iq", "language": "ar"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 people invited." in page
    assert "candidate@example.org: already registered or invited" in page
    ahmed = Registration.objects.get(event=actors.event, user__email="ahmed@molsa.example")
    assert (ahmed.status, ahmed.role, ahmed.delegation, ahmed.language) == ("invited", "official", "IQ", "ar")
    assert ahmed.user.full_name == "د. أحمد الربيعي"
    assert sorted(m.to[0] for m in ours()) == ["ahmed@molsa.example", "noor@molsa.example"]


def test_invite_form_reports_unreadable_lines_and_invites_nobody(admin_client, actors):
    url = reverse("admin:events_event_invite", args=[actors.event.pk])
    response = admin_client.post(url, {"people": "ok@example.org\nnot an email", "role": "official", "language": "en"})

    assert "Line 2: no valid email address in “not an email”." in response.content.decode()
    assert not Registration.objects.filter(status=Registration.Status.INVITED).exists()
    assert ours() == []


def test_invite_action_on_the_event_list_opens_the_form(admin_client, actors):
    response = admin_client.post(
        reverse("admin:events_event_changelist"), {"action": "invite_people", "_selected_action": [actors.event.pk]}
    )
    assert response["Location"] == reverse("admin:events_event_invite", args=[actors.event.pk])


def test_import_dry_run_shows_the_outcome_then_the_real_import_registers(admin_client, db):
    event = EventFactory(capacity=1)
    url = reverse("admin:events_event_import", args=[event.pk])
    csv_text = "name;email\nزينب;zainab@example.iq\nAli;ali@example.iq\n"

    dry = admin_client.post(url, {"file": upload(csv_text), "dry_run": "on"}).content.decode()
    assert "Dry run: the file is fine" in dry
    assert not Registration.objects.exists()

    real = admin_client.post(url, {"file": upload(csv_text)}).content.decode()
    assert "Imported 2 registration(s)" in real
    assert dict(Registration.objects.values_list("user__email", "status")) == {
        "zainab@example.iq": "registered",
        "ali@example.iq": "waitlisted",
    }


def test_import_now_after_a_clean_dry_run_needs_no_second_upload(admin_client, db):
    event = EventFactory()
    url = reverse("admin:events_event_import", args=[event.pk])
    dry = admin_client.post(
        url, {"file": upload("name,email\nAli,ali@example.iq\nNoor,noor@example.iq\n"), "dry_run": "on"}
    )
    assert 'name="import_checked"' in dry.content.decode()
    assert not Registration.objects.exists()

    # Meanwhile Noor registers herself: the import checks again and imports nothing.
    RegistrationFactory(event=event, user=UserFactory(email="noor@example.iq"))
    refused = admin_client.post(url, {"import_checked": "1"}).content.decode()
    assert "noor@example.iq is already registered for this event" in refused
    assert event.registrations.count() == 1

    admin_client.post(url, {"file": upload("name,email\nAli,ali@example.iq\n"), "dry_run": "on"})
    done = admin_client.post(url, {"import_checked": "1"}).content.decode()
    assert "Imported 1 registration(s)" in done
    assert event.registrations.filter(user__email="ali@example.iq").exists()
    # The checked file is used once.
    again = admin_client.post(url, {"import_checked": "1"}, follow=True).content.decode()
    assert "Upload the file again, please." in again
    assert event.registrations.count() == 2


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        ("name,email\nA,a@example.org\nB,broken\n", "“broken” is not a valid email address."),
        (b"\x00\x01\x02\xff" * 50, "The file is not a CSV text file."),
        (b"", "The submitted file is empty."),
        ("zainab@example.org\n", "The first line must be the header"),
    ],
)
def test_import_of_a_bad_file_lists_the_problems_and_imports_nothing(admin_client, actors, content, shown):
    url = reverse("admin:events_event_import", args=[actors.event.pk])
    response = admin_client.post(url, {"file": upload(content)})

    assert response.status_code == 200
    assert shown in response.content.decode()
    assert Registration.objects.count() == 4


def test_import_from_the_registration_list_picks_the_event(admin_client, actors):
    other = EventFactory(title="Policy Dialogue")
    url = reverse("admin:events_registration_import")
    response = admin_client.post(url, {"event": other.pk, "file": upload("name,email\nRūta,ruta@example.lt\n")})

    assert "Imported 1 registration(s) into Policy Dialogue" in response.content.decode()
    assert Registration.objects.get(user__email="ruta@example.lt").event == other


def test_export_from_the_event_page_round_trips(admin_client, actors):
    response = admin_client.get(reverse("admin:events_event_export", args=[actors.event.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["email"] for r in rows) == sorted(
        ["a@baltic.example", "b@tigris.example", "candidate@example.org", "official@gov.example"]
    )

    copy = EventFactory()
    admin_client.post(reverse("admin:events_event_import", args=[copy.pk]), {"file": upload(response.content)})
    assert copy.registrations.count() == 4


def test_cancel_action_promotes_the_waitlist_and_emails_the_promoted(admin_client, db):
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, user=UserFactory(email="w@x.org"))

    admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [seated.pk]},
    )

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    assert [m.to for m in ours()] == [["w@x.org"]]


def test_export_action_downloads_the_selected_registrations(admin_client, actors):
    official = Registration.objects.get(user=actors.official)
    response = admin_client.post(
        reverse("admin:events_registration_changelist"), {"action": "export_csv", "_selected_action": [official.pk]}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["email"], r["role"], r["delegation"]) for r in rows] == [("official@gov.example", "official", "IQ")]


def test_raising_capacity_in_the_admin_seats_the_waitlist(admin_client, db):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    data = _form_data(page, event.timezone)
    data["capacity"] = "2"

    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED


def test_moving_a_session_in_the_inline_bumps_its_revision(admin_client, db):
    session = SessionFactory(title="Opening")
    event = session.event
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    data = _form_data(page, event.timezone)
    # Both ends on the session's own day, so the move is valid whatever the time of day the test runs.
    data["sessions-0-starts_at_0"] = data["sessions-0-ends_at_0"] = data["sessions-0-starts_at_0"]
    data["sessions-0-starts_at_1"] = "07:30:00"
    data["sessions-0-ends_at_1"] = "08:30:00"

    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.revision == 1


def test_invalid_status_change_shows_an_error_instead_of_saving(admin_client, db):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    url = reverse("admin:events_registration_change", args=[waiting.pk])
    data = _form_data(admin_client.get(url), "UTC")
    data["status"] = "registered"

    response = admin_client.post(url, data, follow=True)

    assert "The event is full." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED


def test_event_times_are_shown_and_read_in_the_event_time_zone(admin_client, db):
    event = EventFactory(
        timezone="Asia/Baghdad",
        starts_at=datetime(2027, 3, 1, 6, 0, tzinfo=UTC),  # 09:00 in Baghdad
        ends_at=datetime(2027, 3, 1, 14, 0, tzinfo=UTC),
    )
    SessionFactory(
        event=event, starts_at=datetime(2027, 3, 1, 7, 0, tzinfo=UTC), ends_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    )
    url = reverse("admin:events_event_change", args=[event.pk])
    page = admin_client.get(url)
    html = page.content.decode()
    assert 'name="starts_at_1" value="09:00:00"' in html
    assert 'name="sessions-0-starts_at_1" value="10:00:00"' in html
    assert "in the event's time zone" in html

    session_page = admin_client.get(reverse("admin:events_session_change", args=[event.sessions.get().pk]))
    assert 'name="starts_at_1" value="10:00:00"' in session_page.content.decode()

    data = _form_data(page, "Asia/Baghdad")
    data["starts_at_1"] = "08:30:00"
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.starts_at == datetime(2027, 3, 1, 5, 30, tzinfo=UTC)


def _form_data(page, zone: str) -> dict:
    """The values a browser would submit from the admin change form in `page` (times shown in `zone`)."""
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        return _form_values(page)


def _form_values(page) -> dict:
    adminform = page.context["adminform"]
    data = {}
    for name, field in adminform.form.fields.items():
        value = adminform.form[name].value()
        widget_data = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
        if hasattr(field.widget, "widgets"):  # split date/time
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = part.isoformat() if hasattr(part, "isoformat") else (part or "")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = widget_data if widget_data is not None else value
    for formset in page.context.get("inline_admin_formsets", []):
        fs = formset.formset
        for key, value in fs.management_form.initial.items():
            data[f"{fs.prefix}-{key}"] = value
        for form in fs.forms:
            for name, field in form.fields.items():
                value = form[name].value()
                key = form.add_prefix(name)
                if hasattr(field.widget, "widgets"):
                    for i, part in enumerate(field.widget.decompress(value)):
                        data[f"{key}_{i}"] = part.isoformat() if hasattr(part, "isoformat") else (part or "")
                elif value is not None and value is not False:
                    data[key] = value.pk if hasattr(value, "pk") else value
    return data


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Dr. Ahmed Al-Rubaie <Ahmed@MOLSA.example>", ("ahmed@molsa.example", "Dr. Ahmed Al-Rubaie")),
        ("noor@molsa.example, Noor Al-Jaburi", ("noor@molsa.example", "Noor Al-Jaburi")),
        ("Rūta Kazlauskienė; ruta@socmin.example", ("ruta@socmin.example", "Rūta Kazlauskienė")),
        ("حسن كريم\thassan@moc.example", ("hassan@moc.example", "حسن كريم")),
        ("  tomas@migracija.example  ", ("tomas@migracija.example", "")),
    ],
)
def test_invitee_lines_are_read_in_the_usual_shapes(line, expected):
    from events.invitations import parse_invitees

    invitees, errors = parse_invitees(f"{line}\n\n{line.upper()}\n")  # blank lines skipped, repeats read once
    assert errors == []
    assert [(i.email, i.full_name) for i in invitees] == [expected]
