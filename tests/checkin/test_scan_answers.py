"""What door staff see for every kind of ticket: the answers and their stable reason codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkin import services
from checkin.models import Scan, ScannerDevice
from events.models import Registration
from events.services import registration_cancel
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

SCAN = "/api/v1/checkin/scan"


@pytest.fixture
def door(live, api_client):
    client = api_client()
    client.force_login(live.volunteer)
    return client


def scan(client, payload, event="job-fair", **extra):
    return client.post(SCAN, {"payload": payload, "event": event, "gate": "Main", **extra})


def test_first_scan_admits_with_name_role_and_organisation(live, door, payload_of):
    response = scan(door, payload_of(live.employer_a, live.event))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "ok"
    assert body["attendee"] == {
        "name": "Aistė Employer",
        "role": "employer",
        "role_label": "Employer representative",
        "organisation": "Baltic Code UAB",
    }
    assert body["checkin"]["gate"] == "Main" and body["checkin"]["direction"] == "in"


def test_second_scan_reports_first_checkin_time_and_gate(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    first = scan(door, payload).json()
    again = scan(door, payload, gate="Side")
    assert again.status_code == 200
    body = again.json()
    assert body["status"] == "already_checked_in"
    assert body["first"] == {"at": first["checkin"]["at"], "gate": "Main"}


def test_reentry_after_an_out_scan_is_allowed(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    assert scan(door, payload).status_code == 201
    assert scan(door, payload, direction="out").status_code == 201
    assert scan(door, payload).status_code == 201
    assert scan(door, payload).json()["status"] == "already_checked_in"


@pytest.mark.parametrize(
    "junk",
    ["hello", "", "EE1.1.ABCDEFGHIJ.1.AAAAAAAAAAAAAAAA", "https://evil.example/", "x" * 1999, "EE1.\u0000"],
)
def test_unreadable_or_forged_payload_is_invalid(live, door, junk):
    response = scan(door, junk)
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "reason": "invalid",
        "message": "Not a ticket for this system, or it was altered.",
    }


def test_tampered_payload_is_invalid(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    assert scan(door, tampered).json()["reason"] == "invalid"


def test_ticket_of_another_event_is_wrong_event(live, door):
    other = EventFactory(starts_at=timezone.now() - timedelta(hours=1))
    stranger = RegistrationFactory(event=other)
    payload = services.ticket_issue(registration=stranger)
    from checkin.selectors import ticket_payload

    response = scan(door, ticket_payload(payload))
    assert response.status_code == 409
    assert response.json()["reason"] == "wrong_event"


def test_cancelled_registration_is_cancelled(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    registration_cancel(registration=Registration.objects.get(user=live.candidate, event=live.event))
    body = scan(door, payload).json()
    assert body["reason"] == "cancelled"


def test_reissued_ticket_revokes_the_old_code(live, door, payload_of):
    old = payload_of(live.candidate, live.event)
    registration = Registration.objects.get(user=live.candidate, event=live.event)
    services.ticket_reissue(registration=registration)
    new = payload_of(live.candidate, live.event)
    assert new != old
    assert scan(door, old).json()["reason"] == "cancelled"
    assert scan(door, new).status_code == 201


def test_waitlisted_person_is_refused(live, door):
    person = UserFactory()
    RegistrationFactory(event=live.event, user=person, status=Registration.Status.WAITLISTED)
    from tests.checkin.conftest import payload_for

    body = scan(door, payload_for(person, live.event)).json()
    assert (body["status"], body["reason"]) == ("error", "waitlisted")


def test_outside_the_checkin_window_is_not_open(live, door, payload_of):
    live.event.starts_at = timezone.now() + timedelta(days=2)
    live.event.ends_at = live.event.starts_at + timedelta(hours=3)
    live.event.save()
    assert scan(door, payload_of(live.candidate, live.event)).json()["reason"] == "not_open"


def test_full_session_refuses_walk_ins(live, door, payload_of):
    session = SessionFactory(event=live.event, capacity=1, starts_at=timezone.now())
    assert scan(door, payload_of(live.candidate, live.event), session=session.pk).status_code == 201
    body = scan(door, payload_of(live.employer_a, live.event), session=session.pk).json()
    assert body["reason"] == "session_full"


def test_sign_up_only_session_refuses_people_not_signed_up(live, door, payload_of):
    services.checkin_settings_update(event=live.event, sessions_require_signup=True)
    session = SessionFactory(event=live.event, starts_at=timezone.now())
    Registration.objects.get(user=live.employer_a, event=live.event).sessions.add(session)
    refused = scan(door, payload_of(live.candidate, live.event), session=session.pk).json()
    assert refused["reason"] == "not_registered_for_session"
    assert scan(door, payload_of(live.employer_a, live.event), session=session.pk).status_code == 201


def test_people_without_a_door_role_are_forbidden_and_recorded(live, api_client, payload_of):
    client = api_client()
    client.force_login(live.candidate)
    response = scan(client, payload_of(live.employer_a, live.event))
    assert response.status_code == 403
    assert response.json()["reason"] == "forbidden"
    assert Scan.objects.get().reason == "forbidden"


def test_anonymous_scan_is_unauthenticated(live, api_client, payload_of):
    response = scan(api_client(), payload_of(live.candidate, live.event))
    assert response.status_code == 401


def test_device_token_scans_only_its_own_event_until_revoked(live, api_client, payload_of):
    device, raw = services.device_create(event=live.event, name="Gate phone", created_by=live.organiser)
    phone = api_client(raw)
    assert scan(phone, payload_of(live.candidate, live.event)).status_code == 201
    assert Scan.objects.get(result="ok").device == device

    other = EventFactory(slug="other-fair", starts_at=timezone.now())
    RegistrationFactory(event=other, user=live.outsider)
    response = scan(phone, payload_of(live.outsider, other), event="other-fair")
    assert response.status_code == 403 and response.json()["reason"] == "forbidden"

    services.device_revoke(device=ScannerDevice.objects.get(pk=device.pk))
    assert scan(phone, payload_of(live.employer_a, live.event)).status_code == 401


def test_unknown_event_or_session_is_not_found(live, door, payload_of):
    assert scan(door, payload_of(live.candidate, live.event), event="nope").status_code == 404
    assert scan(door, payload_of(live.candidate, live.event), session=999999).json()["reason"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payload": 5, "event": "job-fair"},
        {"payload": "x", "event": "job-fair", "direction": "sideways"},
        {"payload": "x", "event": "job-fair", "gate": "<script>"},
        {"payload": "x", "event": "job-fair", "session": "1"},
        {"payload": "x", "event": "job-fair", "session": 2**70},
        {"payload": "x", "event": "job-fair", "client_scan_id": "a" * 65},
        {"payload": "x", "event": "job-fair", "scanned_at": "2026-01-01T10:00:00"},
        {"payload": "x", "event": "job-fair", "scanned_at": "yesterday"},
    ],
)
def test_malformed_bodies_get_a_validation_error(live, door, body):
    response = door.post(SCAN, body)
    assert response.status_code == 422
    assert response.json()["reason"] == "validation"


def test_door_staff_session_needs_the_csrf_token_the_scanner_page_sends(live, payload_of):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(live.volunteer)
    page = browser.get(f"/checkin/{live.event.slug}/scan")
    assert page.status_code == 200
    csrf = browser.cookies["csrftoken"].value
    body = {"payload": payload_of(live.candidate, live.event), "event": "job-fair"}
    assert browser.post(SCAN, body, content_type="application/json").status_code == 403
    ok = browser.post(SCAN, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert ok.status_code == 201
