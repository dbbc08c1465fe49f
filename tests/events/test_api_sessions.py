"""The agenda through the API: who sees which sessions, and how organisers change and cancel them."""

from __future__ import annotations

import pytest

from events.models import Room, Session
from tests.factories import RegistrationFactory, RoomFactory, SessionFactory

SESSION_FIELDS = {
    "id",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "room",
    "track",
    "audience",
    "status",
    "capacity",
    "revision",
}


@pytest.fixture
def agenda(actors) -> dict[str, Session]:
    event = actors.event
    return {
        "public": SessionFactory(event=event, title="Opening talk", audience=Session.Audience.PUBLIC),
        "registered": SessionFactory(event=event, title="Speed interviews", audience=Session.Audience.REGISTERED),
        "officials": SessionFactory(event=event, title="Bilateral MoU talks", audience=Session.Audience.OFFICIALS),
    }


# What each actor may see: officials-only sessions only for the event's officials and organisers.
VISIBLE = {
    None: {"Opening talk"},
    "outsider": {"Opening talk"},
    "candidate": {"Opening talk", "Speed interviews"},
    "employer_a": {"Opening talk", "Speed interviews"},
    "official": {"Opening talk", "Speed interviews", "Bilateral MoU talks"},
    "organiser": {"Opening talk", "Speed interviews", "Bilateral MoU talks"},
}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_each_actor_sees_only_the_sessions_their_audience_allows(actors, agenda, api_client, token_for, who):
    client = api_client(token_for(getattr(actors, who)) if who else None)
    response = client.get("/api/v1/events/job-fair/sessions")
    assert response.status_code == 200
    assert {s["title"] for s in response.json()["items"]} == VISIBLE[who]
    officials_only = client.get(f"/api/v1/sessions/{agenda['officials'].pk}")
    assert officials_only.status_code == (200 if "Bilateral MoU talks" in VISIBLE[who] else 404)


def test_an_official_of_another_event_does_not_see_this_events_officials_sessions(
    actors, agenda, api_client, token_for
):
    other = SessionFactory(audience=Session.Audience.OFFICIALS, title="Elsewhere")
    client = api_client(token_for(actors.official))
    assert client.get(f"/api/v1/sessions/{other.pk}").status_code == 404
    assert "Elsewhere" not in {
        s["title"] for s in client.get(f"/api/v1/events/{other.event.slug}/sessions").json()["items"]
    }


def test_a_cancelled_or_waitlisted_official_loses_the_officials_sessions(actors, agenda, api_client, token_for):
    actors.official.registrations.update(status="cancelled")
    titles = {
        s["title"]
        for s in api_client(token_for(actors.official)).get("/api/v1/events/job-fair/sessions").json()["items"]
    }
    assert titles == {"Opening talk"}


def test_session_json_has_the_documented_fields(actors, agenda, api_client):
    room = RoomFactory(event=actors.event, name="Hall A")
    agenda["public"].room = room
    agenda["public"].save()
    [body] = api_client().get("/api/v1/events/job-fair/sessions").json()["items"]
    assert set(body) >= SESSION_FIELDS
    assert body["room"] == "Hall A"
    assert body["audience"] == "public"
    assert body["starts_at"][-6:] in ("+02:00", "+03:00")


def test_organiser_adds_a_session_creating_its_room_by_name(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    payload = {
        "title": "Ministerial roundtable",
        "kind": "panel",
        "starts_at": "2026-12-04T10:00:00+02:00",
        "ends_at": "2026-12-04T11:30:00+02:00",
        "room": "Hall B",
        "audience": "officials",
    }
    response = client.post("/api/v1/events/job-fair/sessions", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["room"], body["audience"], body["status"], body["revision"]) == ("Hall B", "officials", "scheduled", 0)
    again = client.post("/api/v1/events/job-fair/sessions", {**payload, "title": "Follow-up", "room": " Hall  B "})
    assert again.json()["room"] == "Hall B"
    assert Room.objects.filter(event=actors.event).count() == 1
    # Candidates never learn it exists.
    candidate = api_client(token_for(actors.candidate))
    assert "Ministerial roundtable" not in {
        s["title"] for s in candidate.get("/api/v1/events/job-fair/sessions").json()["items"]
    }


def test_patch_bumps_revision_only_for_changes_a_calendar_sees(actors, agenda, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    url = f"/api/v1/sessions/{agenda['public'].pk}"
    moved = client.patch(url, {"starts_at": "2026-12-04T12:00:00+02:00", "ends_at": "2026-12-04T13:00:00+02:00"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["revision"] == 1
    assert moved.json()["starts_at"] == "2026-12-04T12:00:00+02:00"
    assert client.patch(url, {"track": "Careers"}).json()["revision"] == 1
    in_hall_c = client.patch(url, {"room": "Hall C"}).json()
    assert (in_hall_c["room"], in_hall_c["revision"]) == ("Hall C", 2)
    assert client.get(url).json() == in_hall_c
    assert client.patch(url, {"room": None}).json()["room"] is None


def test_delete_cancels_the_session_which_stays_listed(actors, agenda, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    session = agenda["public"]
    response = client.delete(f"/api/v1/sessions/{session.pk}")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["revision"]) == ("cancelled", 1)
    # Deleting again changes nothing: refused as the control room's cancel is (one rule, events.sessions),
    # and the revision stays, so calendars are not told twice.
    again = client.delete(f"/api/v1/sessions/{session.pk}")
    assert (again.status_code, again.json()["reason"]) == (409, "invalid_transition")
    assert client.get(f"/api/v1/sessions/{session.pk}").json()["revision"] == 1
    listed = {s["title"]: s["status"] for s in api_client().get("/api/v1/events/job-fair/sessions").json()["items"]}
    assert listed["Opening talk"] == "cancelled"
    assert Session.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("who", ["employer_a", "candidate", "official", "outsider"])
def test_only_organisers_change_sessions(actors, agenda, api_client, token_for, who):
    client = api_client(token_for(getattr(actors, who)))
    session = agenda["public"]
    assert client.post("/api/v1/events/job-fair/sessions", {"title": "x"}).status_code == 403
    assert client.patch(f"/api/v1/sessions/{session.pk}", {"title": "Hijacked"}).status_code == 403
    assert client.delete(f"/api/v1/sessions/{session.pk}").status_code == 403
    session.refresh_from_db()
    assert (session.title, session.status, session.revision) == ("Opening talk", "scheduled", 0)


def test_session_validation(actors, agenda, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    base = {"title": "T", "starts_at": "2026-12-04T10:00:00+02:00", "ends_at": "2026-12-04T11:00:00+02:00"}
    for change, field in [
        ({"audience": "vips"}, "audience"),
        ({"kind": "party"}, "kind"),
        ({"status": "postponed"}, "status"),
        ({"ends_at": "2026-12-04T09:00:00+02:00"}, "ends_at"),
        ({"room": ""}, "room"),
        ({"room": "r" * 121}, "room"),
        ({"capacity": 1.5}, "capacity"),
    ]:
        response = client.post("/api/v1/events/job-fair/sessions", {**base, **change})
        assert response.status_code == 422, (change, response.content)
        assert field in response.json()["errors"], change
    # A patch moving only the end before the existing start is refused too.
    response = client.patch(f"/api/v1/sessions/{agenda['public'].pk}", {"ends_at": "2000-01-01T00:00:00+00:00"})
    assert response.status_code == 422
    assert "ends_at" in response.json()["errors"]


def test_missing_sessions_and_events_are_404(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    assert client.patch("/api/v1/sessions/999999", {"title": "x"}).status_code == 404
    assert client.delete("/api/v1/sessions/999999").status_code == 404
    assert client.get("/api/v1/events/nope/sessions").status_code == 404
    assert client.get("/api/v1/sessions/0").status_code == 422
    assert client.get(f"/api/v1/sessions/{2**70}").status_code == 422


def test_registered_audience_needs_a_seat_not_a_waitlist_place(actors, agenda, api_client, token_for):
    waiting = RegistrationFactory(event=actors.event, status="waitlisted")
    titles = {
        s["title"] for s in api_client(token_for(waiting.user)).get("/api/v1/events/job-fair/sessions").json()["items"]
    }
    assert titles == {"Opening talk"}
