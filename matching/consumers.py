"""Live streams of matching: an employer's board, and a person's own requests and meetings."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from events.models import Event
from matching.selectors import employer_standing_at
from realtime.consumers import StreamConsumer
from realtime.groups import employer_board_stream, user_stream


@database_sync_to_async
def _board_stream(slug: str, user: Any) -> tuple[bool, str | None]:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        return False, None
    standing = employer_standing_at(user=user, event=event)
    # Somebody who is no employer here, or whose membership is not granted (pending, refused, removed),
    # still gets a name, so authorise() can answer 4403 rather than 4404; nothing is joined either way.
    return True, employer_board_stream(slug, standing.organisation.pk) if standing.granted else None


class BoardConsumer(StreamConsumer):
    """`/ws/matching/<slug>/board/`: board changes, requests and meetings of the user's own organisation."""

    async def get_stream(self) -> str | None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        exists, stream = await _board_stream(slug, self.scope.get("user"))
        if not exists:
            return None
        self._allowed = stream is not None
        return stream or f"event:{slug}:employer:none"

    async def authorise(self, user: Any, stream: str) -> bool:
        # The stream was derived from the user's own employer registration and granted membership;
        # nobody can name another's.
        return getattr(self, "_allowed", False)


class MeConsumer(StreamConsumer):
    """`/ws/matching/me/`: the signed-in person's meeting requests and meetings."""

    async def get_stream(self) -> str | None:
        user = self.scope.get("user")
        return user_stream(user.pk)

    async def authorise(self, user: Any, stream: str) -> bool:
        return bool(user is not None and user.is_authenticated and stream == user_stream(user.pk))
