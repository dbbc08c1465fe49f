"""Changes reach the screens at once: `event.changed` on the public stream, `registrations.changed` on the dashboard."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from events import services
from realtime.groups import event_dashboard_stream, event_public_stream
from tests.factories import EventFactory
from tests.realtime.helpers import Listener

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    # database_sync_to_async's worker thread keeps its connection; PostgreSQL could not drop the database.
    yield
    await database_sync_to_async(connections.close_all)()


async def test_changing_an_event_pushes_event_changed_to_its_public_stream():
    event = await database_sync_to_async(EventFactory)(slug="job-fair", venue="Vilnius Tech Park")
    async with Listener(event_public_stream("job-fair")) as public:
        await database_sync_to_async(services.event_update)(event=event, venue="Compensa Concert Hall")
        message = await public.next()
    assert message is not None
    assert (message["type"], message["data"]) == ("event.changed", {"slug": "job-fair"})


async def test_a_registration_pushes_the_dashboard_its_new_figures():
    event = await database_sync_to_async(EventFactory)(slug="job-fair", capacity=10)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        await database_sync_to_async(services.registration_create)(
            event=event, email="new@example.org", full_name="New Person"
        )
        message = await dashboard.next()
    assert message is not None and message["type"] == "registrations.changed"
    data = message["data"]
    assert (data["event"], data["capacity"], data["registered"], data["total"]) == ("job-fair", 10, 1, 1)
    assert data["by_role"] == {"candidate": {"registered": 1}}
