"""Every WebSocket route, gathered from the apps that own the streams."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import re_path

from checkin.routing import websocket_urlpatterns as checkin_ws
from events.routing import websocket_urlpatterns as events_ws
from matching.routing import websocket_urlpatterns as matching_ws
from realtime.consumers import CLOSE_NOT_FOUND


class NoSuchStreamConsumer(AsyncWebsocketConsumer):
    """Any other path: accepted and closed with 4404 ("not found, don't retry").

    Without this last route Channels raises ValueError for an unknown path, which Daphne logs as a
    traceback and answers with a 500; a mistyped or probed URL is the client's error, not ours.
    """

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)


websocket_urlpatterns = [*events_ws, *checkin_ws, *matching_ws, re_path(r"", NoSuchStreamConsumer.as_asgi())]
