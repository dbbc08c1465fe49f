"""What the scanner page downloads: config, the offline list, search, counts. Door staff only."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from checkin import services
from checkin.selectors import event_for_scanning
from events.models import Registration


@pytest.fixture
def door(live):
    client = Client()
    client.force_login(live.volunteer)
    return client


def test_offline_list_has_a_hash_per_ticket_with_its_state_and_no_key(live, door, payload_of, settings):
    services.checkin_scan(
        event=event_for_scanning(slug="job-fair"), payload=payload_of(live.employer_a, live.event), gate="Main",
        user=live.volunteer,
    )  # fmt: skip
    registration_cancel = Registration.objects.get(user=live.employer_b, event=live.event)
    registration_cancel.status = Registration.Status.CANCELLED
    registration_cancel.save()
    body = door.get("/api/v1/checkin/events/job-fair/offline").json()

    def entry(user):
        digest = hashlib.sha256(payload_of(user, live.event).encode()).hexdigest()[:20]
        return body["tickets"][digest]

    assert entry(live.candidate)["s"] == "valid" and entry(live.candidate)["n"] == "Zainab Candidate"
    assert entry(live.employer_a)["s"] == "in" and entry(live.employer_a)["g"] == "Main"
    assert entry(live.employer_b)["s"] == "cancelled"
    text = str(body)
    assert settings.SECRET_KEY not in text and "EE1." not in text
    assert set(body["window"]) == {"opens", "closes"}


def test_search_finds_people_by_name_or_email_with_their_payload(live, door, payload_of):
    rows = door.get("/api/v1/checkin/events/job-fair/search", {"q": "zainab"}).json()["items"]
    assert [r["name"] for r in rows] == ["Zainab Candidate"]
    assert rows[0]["payload"] == payload_of(live.candidate, live.event)
    assert door.get("/api/v1/checkin/events/job-fair/search", {"q": "tigris.example"}).json()["items"][0]["name"] == (
        "Bashir Employer"
    )
    assert door.get("/api/v1/checkin/events/job-fair/search", {"q": "a\x00b" * 50}).status_code == 200
    assert door.get("/api/v1/checkin/events/job-fair/search", {"q": "z"}).json()["items"] == []


def test_counts_snapshot_and_scanner_config(live, door, payload_of):
    services.checkin_scan(
        event=event_for_scanning(slug="job-fair"), payload=payload_of(live.candidate, live.event), gate="Main",
        user=live.volunteer,
    )  # fmt: skip
    counts = door.get("/api/v1/checkin/events/job-fair/counts", {"gate": "Main"}).json()
    assert (counts["present"], counts["gate_arrivals"], counts["by_role"]) == (1, 1, {"candidate": 1})
    config = door.get("/api/v1/checkin/events/job-fair/scanner").json()
    assert config["event"]["slug"] == "job-fair" and config["device"] is None


@pytest.mark.parametrize(
    "path",
    ["offline", "search?q=zainab", "counts", "scanner", "stream-ticket"],
)
def test_door_data_is_refused_to_attendees_and_strangers(live, path):
    attendee = Client()
    attendee.force_login(live.candidate)
    response = attendee.get(f"/api/v1/checkin/events/job-fair/{path}")
    assert response.status_code == 403 and response.json()["reason"] == "forbidden"
    assert Client().get(f"/api/v1/checkin/events/job-fair/{path}").status_code == 401
    assert attendee.get(f"/api/v1/checkin/events/no-such-event/{path}").status_code == 404
