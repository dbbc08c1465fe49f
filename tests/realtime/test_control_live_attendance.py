"""The control room's sessions carry their live attendance: in the snapshot, and pushed on every
session check-in, check-out and undo (coalesced: the first at once, a burst in one trailing message)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from checkin import live as checkin_live
from checkin.models import Scan
from checkin.selectors import counts_snapshot, ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from realtime.groups import checkin_gate_stream, event_dashboard_stream
from tests.conftest import make_token
from tests.factories import RegistrationFactory, RoomFactory, SessionFactory, UserFactory
from tests.realtime.helpers import Listener, communicator, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = "/api/v1/checkin/scan"


@pytest.fixture(autouse=True)
def _counts_at_once(settings):
    # Every scan publishes at once; the coalescing tests below set an interval of their own.
    settings.CHECKIN_COUNTS_INTERVAL = 0
    cache.clear()


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    # database_sync_to_async runs the ORM on a worker thread whose connection outlives the test.
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def door(actors, api_client):
    """The job fair running now, with a workshop (30 seats) and a talk, and the organiser's API client."""
    event = actors.event
    now = timezone.now()
    event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
    event.save()
    hall = RoomFactory(event=event, name="Main hall")
    workshop = SessionFactory(
        event=event, title="Python workshop", room=hall, capacity=30,
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=50),
    )  # fmt: skip
    talk = SessionFactory(event=event, title="Careers talk", starts_at=now + timedelta(hours=1))
    payloads = {
        user.pk: ticket_payload(ticket_issue(registration=Registration.objects.get(event=event, user=user)))
        for user in (actors.candidate, actors.employer_a, actors.official)
    }
    return {
        "workshop": workshop,
        "talk": talk,
        "payloads": payloads,
        "api": api_client(make_token(actors.organiser)),
    }


def _scan(door, user, session=None, gate="Main", direction="in"):
    body = {"payload": door["payloads"][user.pk], "event": "job-fair", "gate": gate, "direction": direction}
    if session is not None:
        body["session"] = session.pk
    response = door["api"].post(SCAN, body)
    assert response.status_code == 201, response.content
    return response.json()


async def test_session_checkin_out_and_undo_push_that_sessions_attendance_to_the_control_room(actors, door):
    workshop = door["workshop"]
    cookie = await database_sync_to_async(session_cookie)(actors.organiser)
    control = communicator("/ws/events/job-fair/control/", cookie=cookie)
    connected, _ = await control.connect()
    assert connected
    await receive_type(control, "hello")

    scan = database_sync_to_async(_scan)
    first = await scan(door, actors.candidate, workshop)
    message = await receive_type(control, "checkin.counts")
    assert message["stream"] == event_dashboard_stream("job-fair")
    assert message["data"]["sessions"] == {str(workshop.pk): {"present": 1, "arrived": 1}}

    await scan(door, actors.employer_a, workshop)
    sessions = (await receive_type(control, "checkin.counts"))["data"]["sessions"]
    assert sessions[str(workshop.pk)] == {"present": 2, "arrived": 2}

    await scan(door, actors.candidate, workshop, direction="out")
    sessions = (await receive_type(control, "checkin.counts"))["data"]["sessions"]
    assert sessions[str(workshop.pk)] == {"present": 1, "arrived": 2}

    # The organiser undoes the candidate's mistaken session check-in: they were never there.
    undo = await database_sync_to_async(door["api"].post)(f"/api/v1/checkin/scans/{first['checkin']['id']}/undo")
    assert undo.status_code == 200, undo.content
    sessions = (await receive_type(control, "checkin.counts"))["data"]["sessions"]
    assert sessions == {str(workshop.pk): {"present": 1, "arrived": 1}}
    await control.disconnect()


async def test_a_door_checkin_moves_no_session(actors, door):
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        await database_sync_to_async(_scan)(door, actors.candidate)
        _at, message = await _next_counts(dashboard, timeout=2)
    assert message["type"] == "checkin.counts"
    assert (message["data"]["present"], message["data"]["sessions"]) == (1, {})


def test_control_snapshot_lists_every_sessions_attendance_with_its_capacity(actors, door, client):
    workshop, talk = door["workshop"], door["talk"]
    _scan(door, actors.candidate, workshop)
    _scan(door, actors.employer_a, workshop)
    _scan(door, actors.employer_a, workshop, direction="out")
    client.force_login(actors.organiser)
    body = client.get("/api/v1/events/job-fair/control").json()
    assert body["attendance"] == {
        str(workshop.pk): {"present": 1, "arrived": 2, "capacity": 30},
        str(talk.pk): {"present": 0, "arrived": 0, "capacity": None},
    }
    assert [s["id"] for s in body["sessions"]] == [workshop.pk, talk.pk]
    # The door figures the page fetches beside it carry the same per-session counts.
    counts = door["api"].get("/api/v1/checkin/events/job-fair/counts").json()
    assert counts["sessions"] == {str(workshop.pk): {"present": 1, "arrived": 2}}


def test_per_session_counts_cost_one_query_however_many_sessions(actors, door, django_assert_num_queries):
    for n in range(12):
        session = SessionFactory(event=actors.event, title=f"Extra {n}")
        _scan(door, actors.official, session)
    # The newest scan, present now, arrivals by gate and role, per five minutes, per session.
    with django_assert_num_queries(5):
        data = counts_snapshot(event=actors.event)
    assert len(data["sessions"]) == 12
    assert data["last_scan"] == Scan.objects.filter(event=actors.event).latest("id").pk
    assert all(v == {"present": 1, "arrived": 1} for v in data["sessions"].values())


def test_sessions_of_other_events_are_not_counted(actors, door):
    from tests.factories import EventFactory

    other = EventFactory(slug="other-fair")
    stranger = UserFactory()
    RegistrationFactory(event=other, user=stranger)
    other_session = SessionFactory(event=other)
    from checkin.models import SessionAttendance

    SessionAttendance.objects.create(
        ticket=ticket_issue(registration=Registration.objects.get(event=other, user=stranger)),
        session=other_session,
        first_in_at=timezone.now(),
    )
    _scan(door, actors.candidate, door["workshop"])
    assert set(counts_snapshot(event=actors.event)["sessions"]) == {str(door["workshop"].pk)}


async def _next_counts(listener: Listener, timeout: float) -> tuple[float, dict | None]:
    """The next checkin.counts, past the per-scan checkin.arrival messages (sent at once, uncoalesced)."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        message = await listener.next(timeout=left)
        if message is None or message["type"] == "checkin.counts":
            return time.monotonic(), message
    return time.monotonic(), None


async def test_first_scan_after_a_quiet_spell_is_sent_at_once_and_a_burst_once_at_the_end(actors, door, settings):
    settings.CHECKIN_COUNTS_INTERVAL = 2.0
    workshop = door["workshop"]
    scan = database_sync_to_async(_scan)
    event_id = actors.event.pk
    async with (
        Listener(event_dashboard_stream("job-fair")) as dashboard,
        Listener(checkin_gate_stream("job-fair", "North")) as north,
        Listener(checkin_gate_stream("job-fair", "South")) as south,
    ):
        # A lone check-in: published at once, long before the interval is over.
        sent = time.monotonic()
        await scan(door, actors.candidate, workshop, gate="North")
        at, leading = await _next_counts(dashboard, timeout=1.5)
        assert leading is not None, "the first check-in after a quiet spell waited for the interval"
        assert at - sent < 1.5
        assert leading["data"]["sessions"][str(workshop.pk)] == {"present": 1, "arrived": 1}
        assert (await north.next(timeout=1))["data"]["gate_arrivals"] == 1

        # A burst within the window: nothing until it ends, then one message that has all of it.
        await scan(door, actors.employer_a, workshop, gate="South")
        await scan(door, actors.official, workshop, gate="North")
        await scan(door, actors.candidate, workshop, gate="North", direction="out")
        at_trailing, trailing = await _next_counts(dashboard, timeout=4)
        assert trailing is not None
        assert at_trailing - at > 1.0, "the burst was not held back until the window closed"
        assert trailing["data"]["arrived"] == 3
        assert trailing["data"]["sessions"][str(workshop.pk)] == {"present": 2, "arrived": 3}
        # Every gate the burst came through hears of it, once.
        assert (await north.next(timeout=1))["data"]["gate_arrivals"] == 2
        assert (await south.next(timeout=1))["data"]["gate_arrivals"] == 1
        assert (await _next_counts(dashboard, timeout=0.5))[1] is None

        # A window with nothing in it ends the burst: the next scan is a leading edge again.
        deadline = time.monotonic() + 5
        while checkin_live._coalescer.busy(event_id) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not checkin_live._coalescer.busy(event_id)
        assert (await _next_counts(dashboard, timeout=0.1))[1] is None
        sent = time.monotonic()
        await scan(door, actors.employer_a, workshop, gate="South", direction="out")
        at, again = await _next_counts(dashboard, timeout=1.5)
        assert again is not None and at - sent < 1.5
        assert again["data"]["sessions"][str(workshop.pk)] == {"present": 1, "arrived": 3}
    # Let the last window close so no thread outlives the test.
    deadline = time.monotonic() + 5
    while checkin_live._coalescer.busy(event_id) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not checkin_live._coalescer.busy(event_id)


async def test_a_session_checkin_is_also_an_arrival_at_the_venue(actors, door):
    workshop = door["workshop"]
    scan = database_sync_to_async(_scan)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        await scan(door, actors.candidate, workshop)
        await scan(door, actors.candidate, workshop, direction="out")
        await scan(door, actors.candidate, workshop)
        arrivals = []
        while len(arrivals) < 3:
            message = await dashboard.next(timeout=2)
            assert message is not None
            if message["type"] == "checkin.arrival":
                arrivals.append(message["data"])
    rows = [(a["direction"], a["first"], a["present_delta"], a["first_in_session"]) for a in arrivals]
    # In through the workshop door: at the venue for the first time too. Out of the workshop: still
    # at the venue. Back in: neither a first arrival nor a new one at the venue.
    assert rows == [("in", True, 1, True), ("out", False, 0, False), ("in", False, 0, False)]
    assert {a["session"] for a in arrivals} == {workshop.pk}
