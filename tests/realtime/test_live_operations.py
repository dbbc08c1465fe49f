"""Running sessions and sending announcements: saved, revision bumped, pushed to the right screens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from events.models import Announcement, Registration, Session
from tests.conftest import make_token
from tests.factories import EventFactory, RoomFactory, SessionFactory
from tests.realtime.helpers import communicator, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

OFFICIALS_BUS = {"text": "Officials: bus at 5", "audience": "role", "role": "official"}


@pytest.fixture
def agenda(actors):
    hall = RoomFactory(event=actors.event, name="Main hall")
    side = RoomFactory(event=actors.event, name="Room B")
    keynote = SessionFactory(event=actors.event, title="Keynote", room=hall)
    briefing = SessionFactory(event=actors.event, title="Officials' briefing", audience=Session.Audience.OFFICIALS)
    return {"hall": hall, "side": side, "keynote": keynote, "briefing": briefing}


def _organiser_client(actors) -> Client:
    client = Client()
    client.force_login(actors.organiser)
    return client


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


async def _open(path: str, user=None):
    cookie = None if user is None else await database_sync_to_async(session_cookie)(user)
    comm = communicator(path, cookie=cookie)
    connected, _ = await comm.connect()
    assert connected
    await receive_type(comm, "hello")
    return comm


async def _nothing_arrives(comm, timeout: float = 0.4) -> bool:
    return await comm.receive_nothing(timeout=timeout)


async def test_delay_reaches_lobby_control_room_and_bumps_the_revision(actors, agenda):
    keynote = agenda["keynote"]
    screen = await _open("/ws/events/job-fair/screen/")
    control = await _open("/ws/events/job-fair/control/", actors.organiser)

    @database_sync_to_async
    def delay():
        return _post(_organiser_client(actors), f"/api/v1/sessions/{keynote.pk}/delay", {"minutes": 15})

    response = await delay()
    assert response.status_code == 200, response.content
    body = response.json()
    on_screen = (await receive_type(screen, "session.changed"))["data"]["session"]
    in_control = (await receive_type(control, "session.changed"))["data"]["session"]
    await screen.disconnect()
    await control.disconnect()

    expected_start = (keynote.starts_at + timedelta(minutes=15)).isoformat()
    assert body["starts_at"] == on_screen["starts_at"] == in_control["starts_at"] == expected_start
    assert body["revision"] == on_screen["revision"] == keynote.revision + 1


async def test_officials_only_session_never_reaches_the_lobby(actors, agenda):
    briefing = agenda["briefing"]
    screen = await _open("/ws/events/job-fair/screen/")
    official_day = await _open("/ws/me/day/", actors.official)
    candidate_day = await _open("/ws/me/day/", actors.candidate)

    @database_sync_to_async
    def move():
        return _post(_organiser_client(actors), f"/api/v1/sessions/{briefing.pk}/move", {"room_id": agenda["side"].pk})

    assert (await move()).status_code == 200
    pushed = await receive_type(official_day, "session.changed")
    assert pushed["data"]["session"]["room"] == "Room B"
    assert pushed["stream"] == "event:job-fair:role:official"
    assert await _nothing_arrives(screen)
    assert await _nothing_arrives(candidate_day)
    for comm in (screen, official_day, candidate_day):
        await comm.disconnect()


def test_start_then_end_records_the_real_end_time(actors, agenda):
    client = _organiser_client(actors)
    keynote = agenda["keynote"]
    Session.objects.filter(pk=keynote.pk).update(starts_at=keynote.starts_at - timedelta(days=8))
    started = _post(client, f"/api/v1/sessions/{keynote.pk}/start")
    assert started.status_code == 200 and started.json()["status"] == "live"
    ended = _post(client, f"/api/v1/sessions/{keynote.pk}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    keynote.refresh_from_db()
    assert keynote.ends_at <= datetime.now(UTC)
    # Starting and ending change nothing a calendar shows: no new SEQUENCE, no email.
    assert keynote.revision == 0


@pytest.mark.parametrize(
    ("action", "status"),
    [("end", Session.Status.SCHEDULED), ("start", Session.Status.LIVE), ("cancel", Session.Status.CANCELLED)],
)
def test_impossible_transitions_are_refused_with_a_code(actors, agenda, action, status):
    keynote = agenda["keynote"]
    Session.objects.filter(pk=keynote.pk).update(status=status)
    response = _post(_organiser_client(actors), f"/api/v1/sessions/{keynote.pk}/{action}")
    assert response.status_code == 409
    assert response.json()["reason"] == "invalid_transition"


@pytest.mark.parametrize("minutes", [0, -5, 721, "10", True, None, 1.5])
def test_delay_must_be_a_whole_number_of_minutes_in_range(actors, agenda, minutes):
    response = _post(_organiser_client(actors), f"/api/v1/sessions/{agenda['keynote'].pk}/delay", {"minutes": minutes})
    assert response.status_code == 422
    assert response.json()["reason"] == "validation"


def test_move_to_a_room_of_another_event_is_not_found(actors, agenda):
    foreign = RoomFactory(event=EventFactory())
    response = _post(
        _organiser_client(actors), f"/api/v1/sessions/{agenda['keynote'].pk}/move", {"room_id": foreign.pk}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["candidate", "employer_a", "official"])
def test_only_organisers_run_sessions(actors, agenda, who):
    client = Client()
    client.force_login(getattr(actors, who))
    response = _post(client, f"/api/v1/sessions/{agenda['keynote'].pk}/cancel")
    assert response.status_code in (401, 403)
    assert Session.objects.get(pk=agenda["keynote"].pk).status == Session.Status.SCHEDULED


async def test_announcement_to_employers_reaches_employers_only_with_its_translation(actors, agenda):
    employer_day = await _open("/ws/me/day/", actors.employer_a)
    candidate_day = await _open("/ws/me/day/", actors.candidate)
    screen = await _open("/ws/events/job-fair/screen/")
    token = await database_sync_to_async(make_token)(actors.organiser)

    @database_sync_to_async
    def announce():
        client = Client(headers={"Authorization": f"Bearer {token}"})
        body = {
            "text": "Booth set-up closes at 9:30.",
            "audience": "role",
            "role": "employer",
            "translations": {"ar": "يغلق تجهيز الأجنحة الساعة 9:30."},
        }
        return client.post("/api/v1/events/job-fair/announcements", body, content_type="application/json")

    response = await announce()
    assert response.status_code == 201, response.content
    pushed = (await receive_type(employer_day, "announcement.sent"))["data"]["announcement"]
    assert pushed["text"] == "Booth set-up closes at 9:30."
    assert pushed["translations"] == {"ar": "يغلق تجهيز الأجنحة الساعة 9:30."}
    assert await _nothing_arrives(candidate_day)
    assert await _nothing_arrives(screen)
    for comm in (employer_day, candidate_day, screen):
        await comm.disconnect()


async def test_session_announcement_reaches_the_sessions_attendees(actors, agenda):
    keynote = agenda["keynote"]

    @database_sync_to_async
    def enrol():
        Registration.objects.get(user=actors.candidate).sessions.add(keynote)

    await enrol()
    candidate_day = await _open("/ws/me/day/", actors.candidate)
    official_day = await _open("/ws/me/day/", actors.official)

    @database_sync_to_async
    def announce():
        body = {"text": "The keynote starts in Room B.", "audience": "session", "session_id": keynote.pk}
        return _post(_organiser_client(actors), "/api/v1/events/job-fair/announcements", body)

    assert (await announce()).status_code == 201
    pushed = await receive_type(candidate_day, "announcement.sent")
    assert pushed["stream"] == f"user:{actors.candidate.pk}"
    assert await _nothing_arrives(official_day)
    await candidate_day.disconnect()
    await official_day.disconnect()


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 1001},
        {"text": "Hi", "audience": "everyone"},
        {"text": "Hi", "audience": "role"},
        {"text": "Hi", "audience": "role", "role": "king"},
        {"text": "Hi", "audience": "session"},
        {"text": "Hi", "translations": {"xx": "?"}},
        {"text": "Hi", "translations": ["ar", "hello"]},
        {"text": 5},
        {"text": "Hi", "language": "tlh"},
    ],
)
def test_bad_announcements_are_refused_and_nothing_is_saved(actors, agenda, body):
    response = _post(_organiser_client(actors), "/api/v1/events/job-fair/announcements", body)
    assert response.status_code == 422, response.content
    assert response.json()["status"] == "error"
    assert not Announcement.objects.exists()


def test_lobby_snapshot_holds_public_data_only(actors, agenda):
    client = _organiser_client(actors)
    _post(client, "/api/v1/events/job-fair/announcements", {"text": "Welcome!"})
    _post(client, "/api/v1/events/job-fair/announcements", OFFICIALS_BUS)
    body = Client().get("/api/v1/events/job-fair/live").json()
    assert [s["title"] for s in body["sessions"]] == ["Keynote"]
    assert [a["text"] for a in body["announcements"]] == ["Welcome!"]
    assert isinstance(body["seq"], int)


def test_my_day_snapshot_shows_what_the_person_may_see(actors, agenda):
    client = _organiser_client(actors)
    _post(client, "/api/v1/events/job-fair/announcements", OFFICIALS_BUS)
    official = Client()
    official.force_login(actors.official)
    day = official.get("/api/v1/me/day").json()
    [event] = day["events"]
    assert {s["title"] for s in event["sessions"]} == {"Keynote", "Officials' briefing"}
    assert [a["text"] for a in event["announcements"]] == ["Officials: bus at 5"]
    assert set(day["seqs"]) == {
        f"user:{actors.official.pk}",
        "event:job-fair:public",
        "event:job-fair:attendees",
        "event:job-fair:role:official",
    }
    candidate = Client()
    candidate.force_login(actors.candidate)
    [event] = candidate.get("/api/v1/me/day").json()["events"]
    assert {s["title"] for s in event["sessions"]} == {"Keynote"}
    assert event["announcements"] == []
    assert Client().get("/api/v1/me/day").status_code == 401


def test_control_snapshot_is_for_organisers(actors, agenda):
    assert _organiser_client(actors).get("/api/v1/events/job-fair/control").status_code == 200
    employer = Client()
    employer.force_login(actors.employer_a)
    assert employer.get("/api/v1/events/job-fair/control").status_code in (401, 403)


def test_lobby_counts_people_present_without_naming_anyone(actors, agenda):
    from checkin.models import Ticket

    for n, registration in enumerate(Registration.objects.filter(event=actors.event)[:3]):
        Ticket.objects.update_or_create(
            registration=registration, defaults={"event": actors.event, "code": f"T{n}", "inside": n < 2}
        )
    body = Client().get("/api/v1/events/job-fair/live").json()
    assert body["counts"] == {"registered": 4, "present": 2}
    assert "Zainab" not in json.dumps(body)


def test_control_snapshot_counts_meetings(actors, agenda):
    from django.utils import timezone

    from matching.models import Meeting

    now = timezone.now()
    hour = timedelta(hours=1)
    # One meeting per employer and candidate: a pair meets at most once.
    for slot, (org, person, starts, status) in enumerate(
        [
            (actors.org_a, actors.candidate, now + hour, "booked"),
            (actors.org_b, actors.candidate, now - hour / 4, "booked"),
            (actors.org_a, actors.outsider, now - 2 * hour, "no_show"),
        ]
    ):
        Meeting.objects.create(
            event=actors.event, organisation=org, candidate=person, slot=slot, starts_at=starts,
            ends_at=starts + hour / 2, status=status,
        )  # fmt: skip
    body = _organiser_client(actors).get("/api/v1/events/job-fair/control").json()
    assert body["meetings"] == {"booked": 1, "in_progress": 1, "held": 0, "no_shows": 1}
