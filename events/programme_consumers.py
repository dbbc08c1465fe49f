"""The live roadmap: `/ws/programmes/<slug>/roadmap/` carries the roadmap stream the person may see.

Officials of the programme, its rapporteurs and organisers get `programme:<slug>:roadmap:officials`
(every item); everyone else, signed in or not, `programme:<slug>:roadmap:public`. Who may see which
is decided with every other stream in `events.live_selectors.stream_allowed`.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from events.live_selectors import stream_allowed
from events.programme_selectors import programme_get, roadmap_stream_for
from realtime.consumers import StreamConsumer


@database_sync_to_async
def _streams(slug: str, user: Any) -> list[str] | None:
    programme = programme_get(slug=slug)
    return None if programme is None else [roadmap_stream_for(user=user, programme=programme)]


@database_sync_to_async
def _allowed(user: Any, stream: str) -> bool:
    return stream_allowed(user=user, stream=stream)


class RoadmapConsumer(StreamConsumer):
    login_required = False

    async def get_streams(self) -> list[str] | None:
        return await _streams(self.scope["url_route"]["kwargs"]["slug"], self.scope.get("user"))

    async def authorise(self, user: Any, stream: str) -> bool:
        return await _allowed(user, stream)
