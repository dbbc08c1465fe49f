"""Erasure: a person with data in every app is anonymised; no table keeps their email or name; totals hold."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_q.models import Task

from checkin.models import ScannerDevice
from events import privacy, sessions
from events.models import ApiToken, CalendarDelivery, Consent, FeedToken, Registration, User
from matching.models import CandidateProfile, Lead, MeetingRequest, private_storage
from tests.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.privacy.person import EMAIL, NAME, person_everywhere, totals


def _every_row_as_text() -> dict[str, str]:
    """Every table of the database, dumped with raw SQL: nothing hides behind a model or a manager."""
    dump = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            cells = []
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    cells.append(str(value))
            dump[table] = "\n".join(cells)
    return dump


def _tables_mentioning(*words: str) -> list[str]:
    return sorted(
        table
        for table, text in _every_row_as_text().items()
        if any(word.casefold() in text.casefold() for word in words)
    )


def test_erasure_leaves_no_email_or_name_in_any_table_and_keeps_the_totals(actors, django_capture_on_commit_callbacks):
    person = person_everywhere(actors)
    before = totals(actors.event)
    # The fixture really put her everywhere, or the assertion below would prove nothing.
    assert len(_tables_mentioning(EMAIL, NAME)) >= 8
    assert private_storage().exists(person.cv_name)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=person.user, by=actors.organiser)

    assert _tables_mentioning(EMAIL, NAME) == []
    assert _tables_mentioning("Layla") == []
    assert totals(actors.event) == before
    assert not private_storage().exists(person.cv_name)


def test_an_erased_account_is_a_tombstone_and_consents_are_withdrawn(actors, django_capture_on_commit_callbacks):
    person = person_everywhere(actors)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=person.user, by=None)

    user = User.objects.get(pk=person.user.pk)
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert (user.full_name, user.organisation, user.is_active) == ("", None, False)
    assert user.erased_at is not None
    assert not user.has_usable_password()
    assert not Consent.objects.filter(user=user, withdrawn_at__isnull=True).exists()
    assert Consent.objects.filter(user=user).count() == 1  # the history row stays, dated
    assert Registration.objects.get(pk=person.registration.pk).consent_share_profile is False
    assert not ApiToken.objects.filter(user=user).exists()
    assert not FeedToken.objects.filter(user=user).exists()
    assert not ScannerDevice.objects.filter(created_by=user, revoked_at__isnull=True).exists()
    assert CandidateProfile.objects.get(user=user).cv == ""
    assert Lead.objects.get(candidate=user).note == ""
    assert Lead.objects.get(candidate=user).rating == 5  # the employer's figures keep their rating
    assert MeetingRequest.objects.get(candidate=user).message == ""
    # Pickled task arguments hide from a text dump, so these are checked by their own rows.
    assert not Task.objects.filter(pk="task-layla").exists()
    assert [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)] == []


def test_old_magic_link_api_token_feed_door_phone_and_session_answer_as_invalid(
    actors, api_client, django_capture_on_commit_callbacks
):
    person = person_everywhere(actors)
    assert api_client(person.token).get("/api/v1/me/data").status_code == 200
    assert Client().get(f"/calendar/feeds/{person.feed_key}.ics").status_code == 200
    assert api_client(person.device_token).get("/api/v1/checkin/ping").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=person.user, by=None)

    assert Client().get(f"/me/link/{person.magic}/").status_code == 400
    response = api_client(person.token).get("/api/v1/me/data")
    assert response.status_code == 401
    assert response.json()["status"] == "error"
    assert Client().get(f"/calendar/feeds/{person.feed_key}.ics").status_code == 404
    assert api_client(person.device_token).get("/api/v1/checkin/ping").status_code == 401
    # The browser that was signed in is signed out.
    assert person.client.get("/me/privacy/").status_code == 302


def test_erasing_twice_is_refused_with_a_stable_code(actors):
    person = person_everywhere(actors)
    privacy.person_erase(user=person.user, by=None)
    with pytest.raises(privacy.AlreadyErased) as caught:
        privacy.person_erase(user=person.user, by=None)
    assert caught.value.code == "already_erased"


def test_api_erasure_needs_the_account_email(actors, api_client, token_for, django_capture_on_commit_callbacks):
    token = token_for(actors.candidate)
    client = api_client(token)

    wrong = client.post("/api/v1/me/erasure", {"email": "someone@else.example"})
    assert wrong.status_code == 422
    assert wrong.json()["reason"] == "email_mismatch"
    assert User.objects.get(pk=actors.candidate.pk).erased_at is None

    for garbage in ([], {"email": 0}, {}, "null"):
        assert client.post("/api/v1/me/erasure", garbage).status_code == 422

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/api/v1/me/erasure", {"email": " Candidate@Example.org "})
    assert done.status_code == 200
    assert done.json()["status"] == "erased"
    assert User.objects.get(pk=actors.candidate.pk).erased_at is not None
    assert client.get("/api/v1/me/data").status_code == 401


def test_api_erasure_without_credentials_is_401(api_client):
    response = api_client().post("/api/v1/me/erasure", {"email": "a@b.example"})
    assert response.status_code == 401
    assert response.json()["reason"] == "unauthenticated"


def test_organisers_do_not_erase_themselves_through_the_api(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).post("/api/v1/me/erasure", {"email": actors.organiser.email})
    assert response.status_code == 409
    assert response.json()["reason"] == "staff_account"


def test_erase_person_command_dry_run_changes_nothing(actors, capsys):
    person = person_everywhere(actors)
    call_command("erase_person", EMAIL, "--dry-run")
    out = capsys.readouterr().out
    assert "matching.Lead: 1" in out
    assert User.objects.get(pk=person.user.pk).email == EMAIL

    call_command("erase_person", EMAIL.upper())
    assert User.objects.get(pk=person.user.pk).erased_at is not None


def test_erase_person_command_refuses_an_unknown_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("erase_person", "nobody@example.org")


def test_admin_action_asks_then_erases(actors, django_capture_on_commit_callbacks):
    person = person_everywhere(actors)
    admin = User.objects.create_superuser("root@example.org", "pass-word-123")
    client = Client()
    client.force_login(admin)
    data = {"action": "erase_people", "_selected_action": [person.user.pk]}

    asked = client.post("/admin/events/user/", data)
    assert asked.status_code == 200
    assert EMAIL in asked.content.decode()
    assert User.objects.get(pk=person.user.pk).erased_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/admin/events/user/", {**data, "confirm": "yes"})
    assert done.status_code == 302
    assert User.objects.get(pk=person.user.pk).erased_at is not None


def test_export_shows_the_person_everything_but_secrets(actors, api_client):
    person = person_everywhere(actors)
    response = api_client(person.token).get("/api/v1/me/data")
    assert response.status_code == 200
    body = response.json()
    data = body["data"]
    assert body["person"]["email"] == EMAIL
    for label in (
        "events.User",
        "events.Registration",
        "events.Consent",
        "events.Membership",
        "events.EmailLedger",
        "events.CalendarDelivery",
        "events.CalendarCopy",
        "events.FeedToken",
        "events.ApiToken",
        "checkin.Ticket",
        "checkin.Scan",
        "checkin.SessionAttendance",
        "matching.CandidateProfile",
        "matching.CandidateSkill",
        "matching.CandidateLanguage",
        "matching.MeetingRequest",
        "matching.Meeting",
        "matching.Lead",
        "matching.Star",
        "matching.EmployerMark",
        "matching.CvView",
        "matching.BilateralWish",
    ):
        assert data[label], label
    assert data["matching.Lead"][0]["note"].startswith(NAME)
    assert data["matching.CandidateProfile"][0]["cv_base64"] == "JVBERi0xLjQKJSBMYXlsYSBIYWRkYWQncyBDVgolJUVPRgo="
    keys = {key for rows in data.values() for row in rows for key in row}
    assert not keys & {"password", "key_hash"}
    text = json.dumps(body)
    assert person.feed_key not in text and person.token not in text
    assert data["events.ApiToken"][0]["prefix"] == person.token[:8]


def test_export_is_only_ever_the_callers_own(actors, api_client, token_for):
    person_everywhere(actors)
    body = api_client(token_for(actors.employer_a)).get("/api/v1/me/data").json()
    assert body["person"]["email"] == actors.employer_a.email
    assert EMAIL not in json.dumps(body)


def test_export_without_credentials_is_401(api_client):
    response = api_client().get("/api/v1/me/data")
    assert response.status_code == 401


def test_a_seat_at_an_event_still_to_come_goes_to_the_waitlist(db, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, waitlisted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=leaving.user, by=None)
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED


def test_no_calendar_email_goes_to_an_erased_person(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    event = EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))
    session = SessionFactory(event=event, starts_at=now + timedelta(hours=1))
    kept = RegistrationFactory(event=event)  # an event under way: the registration stays
    kept.sessions.add(session)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.person_erase(user=kept.user, by=None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sessions.session_update(session=session, starts_at=session.starts_at + timedelta(minutes=30))

    assert not CalendarDelivery.objects.filter(user=kept.user, body__gt="").exists()
    assert [m.to for m in mail.outbox if any("erased.invalid" in a for a in m.to)] == []
