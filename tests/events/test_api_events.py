"""Events through the API: who sees and manages them, the field contract, and validation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from events.models import Event
from tests.factories import EventFactory

EVENT_FIELDS = {
    "slug",
    "title",
    "kind",
    "timezone",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "capacity",
    "status",
    "registration_open",
    "description",
}

NEW_EVENT = {
    "slug": "erbil-dialogue-2027",
    "title": "Erbil Policy Dialogue",
    "kind": "dialogue",
    "timezone": "Asia/Baghdad",
    "starts_at": "2027-03-10T09:00:00+03:00",
    "ends_at": "2027-03-11T17:00:00+03:00",
    "venue": "Erbil Rotana",
    "capacity": 120,
    "status": "published",
}


@pytest.fixture
def draft(actors) -> Event:
    return EventFactory(slug="secret-draft", status=Event.Status.DRAFT)


@pytest.mark.parametrize("who", [None, "employer_a", "candidate", "official", "outsider"])
def test_non_organisers_see_published_events_but_never_drafts(actors, draft, api_client, token_for, who):
    client = api_client(token_for(getattr(actors, who)) if who else None)
    slugs = [e["slug"] for e in client.get("/api/v1/events").json()["items"]]
    assert slugs == ["job-fair"]
    assert client.get("/api/v1/events/secret-draft").status_code == 404
    assert client.get("/api/v1/events/job-fair").status_code == 200


def test_organiser_sees_drafts(actors, draft, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    assert {e["slug"] for e in client.get("/api/v1/events").json()["items"]} == {"job-fair", "secret-draft"}


def test_event_json_has_the_documented_fields_and_times_with_the_event_offset(actors, api_client):
    body = api_client().get("/api/v1/events/job-fair").json()
    assert set(body) >= EVENT_FIELDS
    starts = datetime.fromisoformat(body["starts_at"])
    assert starts.utcoffset() is not None
    # JSON carries milliseconds; the instant is the same.
    assert abs(starts - actors.event.starts_at) < timedelta(milliseconds=1)
    # Vilnius is UTC+2 or +3; the offset shown is the event's, not UTC's.
    assert body["starts_at"][-6:] in ("+02:00", "+03:00")


def test_organiser_creates_an_event(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).post("/api/v1/events", NEW_EVENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "erbil-dialogue-2027"
    assert body["starts_at"] == "2027-03-10T09:00:00+03:00"
    assert body["registration_open"] is True
    assert api_client().get("/api/v1/events/erbil-dialogue-2027").json()["title"] == "Erbil Policy Dialogue"


@pytest.mark.parametrize("who", ["employer_a", "candidate", "official", "outsider"])
def test_non_organisers_may_not_create_or_change_events(actors, api_client, token_for, who):
    client = api_client(token_for(getattr(actors, who)))
    response = client.post("/api/v1/events", NEW_EVENT)
    assert response.status_code == 403
    assert response.json()["reason"] == "forbidden"
    assert client.patch("/api/v1/events/job-fair", {"title": "Hijacked"}).status_code == 403
    assert not Event.objects.filter(slug=NEW_EVENT["slug"]).exists()
    assert Event.objects.get(slug="job-fair").title != "Hijacked"


def test_organiser_patches_only_the_fields_sent(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    response = client.patch("/api/v1/events/job-fair", {"registration_open": False, "capacity": None})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["registration_open"] is False
    assert body["capacity"] is None
    assert body["title"] == actors.event.title


def test_patching_a_missing_event_is_404(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).patch("/api/v1/events/nope", {"title": "x"})
    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"ends_at": "2027-03-09T09:00:00+03:00"}, "ends_at"),
        ({"starts_at": "2027-03-10T09:00:00"}, "starts_at"),  # no offset
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"starts_at": "9999-12-31T23:59:59-12:00"}, "starts_at"),
        ({"slug": "has spaces"}, "slug"),
        ({"slug": "ümlaut"}, "slug"),
        ({"slug": "x" * 81}, "slug"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"title": 42}, "title"),
        ({"title": "nul\x00byte"}, "title"),
        ({"capacity": "100"}, "capacity"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 10**12}, "capacity"),
        ({"registration_open": "yes"}, "registration_open"),
        ({"status": "deleted"}, "status"),
    ],
)
def test_bad_event_fields_get_a_422_naming_the_field(actors, api_client, token_for, change, field):
    response = api_client(token_for(actors.organiser)).post("/api/v1/events", {**NEW_EVENT, **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["reason"] == "validation"
    assert field in body["errors"], body
    assert all(isinstance(m, str) and m for m in body["errors"][field])


def test_missing_required_fields_are_each_reported(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).post("/api/v1/events", {})
    assert response.status_code == 422
    assert {"slug", "title", "kind", "starts_at", "ends_at"} <= set(response.json()["errors"])


def test_duplicate_slug_is_a_422_on_slug(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).post("/api/v1/events", {**NEW_EVENT, "slug": "job-fair"})
    assert response.status_code == 422
    assert "slug" in response.json()["errors"]


@pytest.mark.parametrize(
    "change",
    [
        {"ends_at": "2000-01-01T00:00:00+00:00"},  # before the event's existing start
        {"title": None},
        {"kind": None},
        {"registration_open": None},
        {"timezone": "Nowhere/Land"},
    ],
)
def test_bad_event_patches_are_refused_and_change_nothing(actors, api_client, token_for, change):
    before = Event.objects.get(slug="job-fair")
    response = api_client(token_for(actors.organiser)).patch("/api/v1/events/job-fair", change)
    assert response.status_code == 422, response.content
    assert set(change) <= set(response.json()["errors"])
    after = Event.objects.get(slug="job-fair")
    assert (after.title, after.ends_at, after.timezone) == (before.title, before.ends_at, before.timezone)


def test_malformed_json_is_a_json_400(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    response = client.post("/api/v1/events", '{"slug": "broken",', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "reason": "malformed_json",
        "message": "The request body is not valid JSON.",
    }


def test_array_instead_of_object_is_a_422(actors, api_client, token_for):
    response = api_client(token_for(actors.organiser)).post("/api/v1/events", [NEW_EVENT])
    assert response.status_code == 422
    assert response.json()["reason"] == "validation"


def test_raising_capacity_seats_the_waitlist(actors, api_client, token_for, django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.events.test_api_registrations import notices
    from tests.factories import RegistrationFactory

    event = EventFactory(slug="grows", capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted", waitlisted_at=event.starts_at)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(token_for(actors.organiser)).patch("/api/v1/events/grows", {"capacity": 2})
    assert response.json()["capacity"] == 2
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    assert notices() == [[waiting.user.email]]
