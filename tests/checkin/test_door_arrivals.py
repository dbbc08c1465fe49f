"""What the door tells the control room about each scan: a first arrival is told as one once only."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from checkin import services
from checkin.selectors import event_for_scanning
from realtime.groups import event_dashboard_stream
from tests.realtime.helpers import Listener

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    # database_sync_to_async's worker thread keeps its connection; PostgreSQL could not drop the database.
    yield
    await database_sync_to_async(connections.close_all)()


def _scan(payload, user, **kw):
    event = event_for_scanning(slug="job-fair")
    return services.checkin_scan(event=event, payload=payload, gate="Main", user=user, **kw)


async def test_coming_back_after_leaving_is_not_a_first_arrival(live, payload_of):
    payload = await database_sync_to_async(payload_of)(live.candidate, live.event)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        answers = [
            await database_sync_to_async(_scan)(payload, live.volunteer, direction=direction)
            for direction in ("in", "out", "in")
        ]
        messages = [await dashboard.next() for _ in range(6)]
    arrivals = [m["data"] for m in messages if m and m["type"] == "checkin.arrival"]
    assert [(a["direction"], a["first"], a["present_delta"]) for a in arrivals] == [
        ("in", True, 1),
        ("out", False, -1),
        ("in", False, 1),
    ]
    assert [a["at"] for a in arrivals] == [answer.body["checkin"]["at"] for answer in answers]


async def test_only_the_first_entry_into_a_session_is_told_as_one(live, payload_of):
    from django.utils import timezone

    from tests.factories import SessionFactory

    session = await database_sync_to_async(SessionFactory)(event=live.event, starts_at=timezone.now())
    payload = await database_sync_to_async(payload_of)(live.candidate, live.event)
    someone_else = await database_sync_to_async(payload_of)(live.employer_a, live.event)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        for direction in ("in", "out", "in"):
            await database_sync_to_async(_scan)(payload, live.volunteer, direction=direction, session=session)
        await database_sync_to_async(_scan)(someone_else, live.volunteer)  # at the event's door, no session
        messages = [await dashboard.next() for _ in range(8)]
    arrivals = [m["data"] for m in messages if m and m["type"] == "checkin.arrival"]
    assert [(a["session"], a["direction"], a["first_in_session"]) for a in arrivals] == [
        (session.pk, "in", True),
        (session.pk, "out", False),
        (session.pk, "in", False),
        (None, "in", False),
    ]
