"""Live streams of the events app."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from events.models import Event
from events.selectors import is_organiser
from realtime.consumers import StreamConsumer
from realtime.groups import event_dashboard_stream


class DashboardConsumer(StreamConsumer):
    """`/ws/events/<slug>/dashboard/`: registrations by role and status, for organisers."""

    async def get_stream(self) -> str | None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        exists = await database_sync_to_async(Event.objects.filter(slug=slug).exists)()
        return event_dashboard_stream(slug) if exists else None

    async def authorise(self, user: Any, stream: str) -> bool:
        return is_organiser(user)
