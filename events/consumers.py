"""Live streams of the events app: the dashboard, the control room, lobby screens and "My day".

Authorisation for every stream is `events.live_selectors.stream_allowed`; the consumers only say
which streams a connection asks for.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from events.live_selectors import my_day_streams, stream_allowed
from events.models import Event
from realtime.consumers import StreamConsumer
from realtime.groups import event_control_stream, event_dashboard_stream, event_public_stream


@database_sync_to_async
def _event_exists(slug: str) -> bool:
    return Event.objects.filter(slug=slug).exists()


class EventStreamConsumer(StreamConsumer):
    """A consumer for streams of one event, named by the URL's slug."""

    def event_streams(self, slug: str) -> list[str]:
        raise NotImplementedError

    async def get_streams(self) -> list[str] | None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        return self.event_streams(slug) if await _event_exists(slug) else None

    async def authorise(self, user: Any, stream: str) -> bool:
        return await database_sync_to_async(stream_allowed)(user=user, stream=stream)


class DashboardConsumer(EventStreamConsumer):
    """`/ws/events/<slug>/dashboard/`: registrations (and check-ins) by role and status, for organisers."""

    def event_streams(self, slug: str) -> list[str]:
        return [event_dashboard_stream(slug)]


class ControlConsumer(EventStreamConsumer):
    """`/ws/events/<slug>/control/`: the control room: session changes, announcements, the dashboard."""

    def event_streams(self, slug: str) -> list[str]:
        return [event_control_stream(slug), event_dashboard_stream(slug)]


class ScreenConsumer(EventStreamConsumer):
    """`/ws/events/<slug>/screen/`: a lobby screen; public data only, no login."""

    login_required = False

    def event_streams(self, slug: str) -> list[str]:
        return [event_public_stream(slug)]


class MyDayConsumer(StreamConsumer):
    """`/ws/me/day/`: a person's own stream plus the streams of the events they attend."""

    async def get_streams(self) -> list[str] | None:
        return await database_sync_to_async(my_day_streams)(user=self.scope["user"])

    async def authorise(self, user: Any, stream: str) -> bool:
        return await database_sync_to_async(stream_allowed)(user=user, stream=stream)
