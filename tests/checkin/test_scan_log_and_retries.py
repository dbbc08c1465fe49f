"""Idempotent retries, the audit log, organiser undo and the brute-force throttle."""

from __future__ import annotations

import pytest
from django.test import Client

from checkin.models import Scan, Ticket

SCAN = "/api/v1/checkin/scan"


@pytest.fixture
def door(live, api_client):
    client = api_client()
    client.force_login(live.volunteer)
    return client


def test_same_client_scan_id_records_one_scan_and_returns_the_same_answer(live, door, payload_of):
    body = {"payload": payload_of(live.candidate, live.event), "event": "job-fair", "client_scan_id": "phone1-0001"}
    first = door.post(SCAN, body)
    retry = door.post(SCAN, body)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert Scan.objects.filter(client_scan_id="phone1-0001").count() == 1
    # A different scan of the same ticket is a new attempt and sees the first check-in.
    assert door.post(SCAN, {**body, "client_scan_id": "phone1-0002"}).json()["status"] == "already_checked_in"


def test_same_client_scan_id_replays_an_error_answer_too(live, door):
    body = {"payload": "garbage", "event": "job-fair", "client_scan_id": "x-1"}
    assert door.post(SCAN, body).json() == door.post(SCAN, body).json()
    assert Scan.objects.count() == 1


def test_reusing_a_client_scan_id_for_another_code_is_refused(live, door, payload_of):
    door.post(SCAN, {"payload": payload_of(live.candidate, live.event), "event": "job-fair", "client_scan_id": "k"})
    other = door.post(
        SCAN, {"payload": payload_of(live.official, live.event), "event": "job-fair", "client_scan_id": "k"}
    )
    assert other.status_code == 409 and other.json()["reason"] == "idempotency_conflict"


def test_every_attempt_is_in_the_audit_log_with_who_gate_and_result(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    door.post(SCAN, {"payload": payload, "event": "job-fair", "gate": "North"})
    door.post(SCAN, {"payload": payload, "event": "job-fair", "gate": "South"})
    door.post(SCAN, {"payload": "nonsense", "event": "job-fair", "gate": "South"})
    organiser = Client()
    organiser.force_login(live.organiser)
    log = organiser.get("/api/v1/checkin/events/job-fair/scans").json()["items"]
    assert [(r["result"], r["reason"], r["gate"], r["by"]) for r in log] == [
        ("error", "invalid", "South", "door@example.org"),
        ("already_checked_in", "", "South", "door@example.org"),
        ("ok", "", "North", "door@example.org"),
    ]
    assert log[2]["attendee"] == "Zainab Candidate"
    # Door staff cannot read the log.
    assert door.get("/api/v1/checkin/events/job-fair/scans").status_code == 403


def test_organiser_undo_reverts_the_checkin_and_is_audited(live, door, payload_of):
    payload = payload_of(live.candidate, live.event)
    scan_id = door.post(SCAN, {"payload": payload, "event": "job-fair"}).json()["checkin"]["id"]
    organiser = Client()
    organiser.force_login(live.organiser)

    assert door.post(f"/api/v1/checkin/scans/{scan_id}/undo").status_code == 403
    response = organiser.post(f"/api/v1/checkin/scans/{scan_id}/undo", content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "undone"
    ticket = Ticket.objects.get(registration__user=live.candidate)
    assert (ticket.inside, ticket.first_in_at) == (False, None)
    undo = Scan.objects.get(action="undo")
    assert (undo.undoes_id, undo.scanned_by) == (scan_id, live.organiser)

    again = organiser.post(f"/api/v1/checkin/scans/{scan_id}/undo", content_type="application/json")
    assert again.status_code == 409 and again.json()["reason"] == "not_undoable"
    # After the undo the person can be checked in afresh.
    assert door.post(SCAN, {"payload": payload, "event": "job-fair"}).status_code == 201


def test_undo_of_unknown_scan_is_not_found(live):
    organiser = Client()
    organiser.force_login(live.organiser)
    assert organiser.post("/api/v1/checkin/scans/987654/undo").status_code == 404
    assert organiser.post(f"/api/v1/checkin/scans/{2**70}/undo").status_code == 422


def test_a_device_sending_many_invalid_codes_is_slowed_down_not_the_door(live, api_client, settings, payload_of):
    from checkin import services

    settings.CHECKIN_INVALID_LIMIT = 3
    _dev, noisy = services.device_create(event=live.event, name="Noisy", created_by=live.organiser)
    _dev2, calm = services.device_create(event=live.event, name="Calm", created_by=live.organiser)
    noisy_phone, calm_phone = api_client(noisy), api_client(calm)
    answers = [noisy_phone.post(SCAN, {"payload": f"guess-{i}", "event": "job-fair"}) for i in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429, 429]
    assert answers[-1].json()["reason"] == "throttled" and answers[-1]["Retry-After"] == "60"
    # The other phone at the same door is unaffected, and a genuine ticket still gets through.
    assert calm_phone.post(SCAN, {"payload": "guess", "event": "job-fair"}).status_code == 400
    assert (
        noisy_phone.post(SCAN, {"payload": payload_of(live.candidate, live.event), "event": "job-fair"}).status_code
        == 201
    )
    assert Scan.objects.filter(reason="throttled").count() == 2


def test_undo_from_the_log_page(live, door, payload_of):
    scan_id = door.post(SCAN, {"payload": payload_of(live.candidate, live.event), "event": "job-fair"}).json()
    scan_id = scan_id["checkin"]["id"]
    organiser = Client()
    organiser.force_login(live.organiser)
    page = organiser.get("/checkin/job-fair/log/").content.decode()
    assert f'action="/checkin/job-fair/log/{scan_id}/undo"' in page
    response = organiser.post(f"/checkin/job-fair/log/{scan_id}/undo", follow=True)
    assert "The check-in was undone." in response.content.decode()
    assert not Ticket.objects.get(registration__user=live.candidate).inside
    again = organiser.post(f"/checkin/job-fair/log/{scan_id}/undo", follow=True)
    assert "already undone" in again.content.decode()
    assert door.post(f"/checkin/job-fair/log/{scan_id}/undo").status_code == 302  # to the login page


@pytest.mark.parametrize(
    "change",
    [{"direction": "out"}, {"gate": "South"}, {"session": "ours"}, {"payload": "other"}],
    ids=["direction", "gate", "session", "payload"],
)
def test_reusing_a_client_scan_id_with_any_other_body_is_a_conflict(live, door, payload_of, change):
    from tests.factories import SessionFactory

    payload = payload_of(live.candidate, live.event)
    body = {"payload": payload, "event": "job-fair", "gate": "North", "client_scan_id": "phone3-0042"}
    first = door.post(SCAN, body)
    assert first.status_code == 201
    other = dict(body)
    if "session" in change:
        other["session"] = SessionFactory(event=live.event).pk
    elif "payload" in change:
        other["payload"] = payload_of(live.official, live.event)
    else:
        other.update(change)

    answer = door.post(SCAN, other)

    assert answer.status_code == 409 and answer.json()["reason"] == "idempotency_conflict"
    # The same body still gets the stored answer, and nothing else was recorded. (Compared as JSON:
    # PostgreSQL's jsonb keeps no key order.)
    again = door.post(SCAN, body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert Scan.objects.count() == 1
    assert Ticket.objects.get(registration__user=live.candidate).inside


def test_a_late_offline_scan_never_overrides_a_newer_scan_of_the_same_ticket(live, door, payload_of):
    from datetime import timedelta

    from django.utils import timezone

    payload = payload_of(live.candidate, live.event)
    now = timezone.now()
    # Phone A was offline: it let the person out at 10 minutes ago and queued the scan.
    # Meanwhile phone B (online) checked them in again 5 minutes ago... here, in this order:
    door.post(SCAN, {"payload": payload, "event": "job-fair", "scanned_at": (now - timedelta(minutes=20)).isoformat()})
    back_in = door.post(
        SCAN, {"payload": payload, "event": "job-fair", "gate": "B", "client_scan_id": "b-1"}
    )  # a live scan: it is inside already, so this is the re-scan of the 20-minute-old arrival
    assert back_in.json()["status"] == "already_checked_in"
    out_online = door.post(SCAN, {"payload": payload, "event": "job-fair", "direction": "out", "gate": "B"})
    assert out_online.status_code == 201
    in_online = door.post(SCAN, {"payload": payload, "event": "job-fair", "gate": "B"})
    assert in_online.status_code == 201
    ticket = Ticket.objects.get(registration__user=live.candidate)
    assert ticket.inside

    # Phone A finds the network: its "out" of 10 minutes ago is older than the "in" just applied.
    late = {
        "payload": payload,
        "event": "job-fair",
        "direction": "out",
        "gate": "A",
        "client_scan_id": "a-7",
        "scanned_at": (now - timedelta(minutes=10)).isoformat(),
    }
    answer = door.post(SCAN, late)

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "superseded"
    assert answer.json()["attendee"]["name"] == "Zainab Candidate"
    ticket.refresh_from_db()
    assert ticket.inside  # the door state is unchanged
    row = Scan.objects.get(client_scan_id="a-7")
    assert (row.result, row.direction, row.gate) == (Scan.Result.SUPERSEDED, "out", "A")
    assert row.scanned_at == now - timedelta(minutes=10)
    # The phone's retry gets the same answer, and the log shows it to organisers.
    assert door.post(SCAN, late).content == answer.content
    organiser = Client()
    organiser.force_login(live.organiser)
    log = organiser.get("/api/v1/checkin/events/job-fair/scans").json()["items"]
    assert log[0]["result"] == "superseded"


def test_a_late_offline_scan_newer_than_everything_applied_still_counts(live, door, payload_of):
    from datetime import timedelta

    from django.utils import timezone

    payload = payload_of(live.candidate, live.event)
    now = timezone.now()
    door.post(SCAN, {"payload": payload, "event": "job-fair", "scanned_at": (now - timedelta(minutes=20)).isoformat()})
    late_out = door.post(
        SCAN,
        {
            "payload": payload,
            "event": "job-fair",
            "direction": "out",
            "scanned_at": (now - timedelta(minutes=10)).isoformat(),
        },
    )
    assert late_out.status_code == 201 and late_out.json()["status"] == "ok"
    assert not Ticket.objects.get(registration__user=live.candidate).inside
