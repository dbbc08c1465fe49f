"""The base consumer every live stream uses.

A subclass says which stream a connection wants (`get_stream`) and whether the user may see it
(`authorise`); both run in `connect()` before `accept()`. Clients only listen; the one message they
may send is a heartbeat (`{"type": "ping"}`), answered with a pong. Anything else closes the socket
with a close code that says why, so a broken client shows up in its own console, not in our logs.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer

from realtime.groups import group_for_stream

# Application close codes (4000-4999 are ours to define); documented in docs/realtime.md.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_MESSAGE = 4400
CLOSE_TOO_BIG = 4413
CLOSE_RATE_LIMITED = 4429

MAX_CLIENT_MESSAGE = 1024
MAX_MESSAGES_PER_10S = 30


class StreamConsumer(AsyncWebsocketConsumer):
    stream: str = ""

    async def get_stream(self) -> str | None:
        """The stream this connection asks for, or None if it names nothing that exists."""
        raise NotImplementedError

    async def authorise(self, user: Any, stream: str) -> bool:
        raise NotImplementedError

    async def connect(self) -> None:
        self._window_start = time.monotonic()
        self._window_count = 0
        stream = await self.get_stream()
        if stream is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        user = self.scope.get("user")
        if not await self.authorise(user, stream):
            authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
            await self.close(code=CLOSE_FORBIDDEN if authenticated else CLOSE_UNAUTHENTICATED)
            return
        self.stream = stream
        await self.channel_layer.group_add(group_for_stream(stream), self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "stream": stream})

    async def disconnect(self, code: int) -> None:
        if self.stream:
            await self.channel_layer.group_discard(group_for_stream(self.stream), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        now = time.monotonic()
        if now - self._window_start > 10:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        if self._window_count > MAX_MESSAGES_PER_10S:
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        if bytes_data is not None or text_data is None:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        if len(text_data) > MAX_CLIENT_MESSAGE:
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        if not isinstance(message, dict) or message.get("type") != "ping":
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        await self.send_json({"type": "pong", "ts": time.time()})

    async def stream_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":")))
