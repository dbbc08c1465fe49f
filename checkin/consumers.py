"""Live counts for one gate of the scanner page: `/ws/checkin/<slug>/gate/<gate>/?ticket=…`.

A scanner phone paired by device token cannot send an Authorization header on a WebSocket, so the
page first asks the API for a short-lived signed stream ticket (`GET …/stream-ticket`) with
whatever credential it holds, and presents it in the query string. A signed-in browser session
works too, without a ticket.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from checkin import selectors
from realtime.consumers import StreamConsumer
from realtime.groups import checkin_gate_stream


class GateConsumer(StreamConsumer):
    # A paired phone has no login: its signed stream ticket is checked in authorise().
    login_required = False

    async def get_stream(self) -> str | None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.event = await database_sync_to_async(selectors.event_for_scanning)(slug=kwargs["slug"])
        gate = kwargs["gate"]
        if self.event is None or len(gate) > 40:
            return None
        return checkin_gate_stream(self.event.slug, gate)

    async def authorise(self, user: Any, stream: str) -> bool:
        query = parse_qs((self.scope.get("query_string") or b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        return await database_sync_to_async(selectors.may_watch_gate)(user=user, ticket=ticket, event=self.event)
