"""The control room's meeting figures are pushed (`meetings.counts` on the control stream) when a
meeting is booked, cancelled or recorded as a no-show; requests alone do not move them."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client
from django.utils import timezone

from matching import live_counts
from realtime.groups import event_control_stream
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401
from tests.realtime.helpers import communicator, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

REQ = "/api/v1/matching/events/job-fair/requests"
NOTHING = {"booked": 0, "in_progress": 0, "held": 0, "no_shows": 0}


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    yield
    await database_sync_to_async(connections.close_all)()


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _request(actors) -> int:
    response = _as(actors.employer_a).post(REQ, {"candidate_id": actors.candidate.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _answer(actors, request_id: int, action: str) -> dict:
    response = _as(actors.candidate).post(f"/api/v1/matching/requests/{request_id}/{action}")
    assert response.status_code == 200, response.content
    return response.json()


def _meeting_action(user, meeting_id: int, action: str) -> dict:
    response = _as(user).post(f"/api/v1/matching/meetings/{meeting_id}/{action}")
    assert response.status_code == 200, response.content
    return response.json()


def _snapshot_meetings(actors) -> dict:
    return _as(actors.organiser).get("/api/v1/events/job-fair/control").json()["meetings"]


async def _control(actors):
    cookie = await database_sync_to_async(session_cookie)(actors.organiser)
    comm = communicator("/ws/events/job-fair/control/", cookie=cookie)
    connected, _ = await comm.connect()
    assert connected
    await receive_type(comm, "hello")
    return comm


async def test_accepting_a_request_pushes_the_booked_meeting_to_the_control_room(actors):
    await database_sync_to_async(build_fair)(actors)
    control = await _control(actors)
    request_id = await database_sync_to_async(_request)(actors)
    # A request is not a meeting: the figures stay, and nothing is pushed for it.
    assert await control.receive_nothing(timeout=0.3)

    body = await database_sync_to_async(_answer)(actors, request_id, "accept")
    message = await receive_type(control, "meetings.counts")
    assert message["stream"] == event_control_stream("job-fair")
    assert message["data"] == {**NOTHING, "booked": 1}
    assert message["data"] == await database_sync_to_async(_snapshot_meetings)(actors)

    await database_sync_to_async(_meeting_action)(actors.candidate, body["meeting"]["id"], "cancel")
    assert (await receive_type(control, "meetings.counts"))["data"] == NOTHING
    await control.disconnect()


async def test_declining_pushes_nothing_and_a_no_show_is_counted(actors):
    # Slot 0 runs now; an accepted request books slot 1, the next one.
    await database_sync_to_async(build_fair)(actors, starts_at=timezone.now() - timedelta(minutes=5))
    control = await _control(actors)
    declined = await database_sync_to_async(_request)(actors)
    await database_sync_to_async(_answer)(actors, declined, "decline")
    assert await control.receive_nothing(timeout=0.3)

    body = await database_sync_to_async(_answer)(actors, await database_sync_to_async(_request)(actors), "accept")
    assert (await receive_type(control, "meetings.counts"))["data"] == {**NOTHING, "booked": 1}
    no_show = await database_sync_to_async(_meeting_action)(actors.employer_a, body["meeting"]["id"], "no-show")
    assert no_show["refill"] is None  # nobody present to take the slot
    assert (await receive_type(control, "meetings.counts"))["data"] == {**NOTHING, "no_shows": 1}
    assert await database_sync_to_async(_snapshot_meetings)(actors) == {**NOTHING, "no_shows": 1}
    await control.disconnect()


async def test_meeting_figures_are_sent_at_once_when_coalescing(actors, settings):
    settings.MEETING_COUNTS_INTERVAL = 2.0
    await database_sync_to_async(build_fair)(actors)
    control = await _control(actors)
    request_id = await database_sync_to_async(_request)(actors)
    sent = time.monotonic()
    await database_sync_to_async(_answer)(actors, request_id, "accept")
    message = await receive_type(control, "meetings.counts", timeout=1.5)
    assert time.monotonic() - sent < 1.5
    assert message["data"]["booked"] == 1
    deadline = time.monotonic() + 5
    while live_counts._coalescer.busy(actors.event.pk) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not live_counts._coalescer.busy(actors.event.pk)
    await control.disconnect()
