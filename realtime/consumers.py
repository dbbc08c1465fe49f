"""The base consumer every live stream uses.

A subclass says which streams a connection wants (`get_stream`, or `get_streams` for several on one
socket) and whether the user may see each (`authorise`); both run in `connect()` before anything is
joined. A refused client is accepted and closed at once with a close code that says why (4401,
4403, 4404): a browser only sees close codes of accepted sockets, and the client library must tell
"not allowed" (stop) from "network trouble" (reconnect).

Clients only listen; the one message they may send is a heartbeat (`{"type": "ping"}`), answered
with a pong. Anything else closes the socket with a close code, so a broken client shows up in its
own console, not in our logs. The protocol is documented in docs/realtime.md.

Two things differ from Channels' `AsyncConsumer` (4.3), both for fanning messages out to many
sockets: `_serve` reads the socket and the channel layer with one long-lived task each, where
upstream's `__call__` (`await_many_dispatch`) starts a new task and an `asyncio.wait()` for every
message; and `dispatch` skips upstream's hop to Django's sync thread (`aclose_old_connections`)
before every handler. Everything else is upstream's. What they saved: docs/realtime.md, "Measured".
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from redis.exceptions import RedisError

from realtime.groups import group_for_stream
from realtime.publish import server_loop_started

logger = logging.getLogger(__name__)

# Application close codes (4000-4999 are ours to define); documented in docs/realtime.md.
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_BIG = 4413
CLOSE_RATE_LIMITED = 4429
# "Try again later" (like HTTP 503): the channel layer is unreachable; the client retries with backoff.
# Not the standard 1013: Daphne's WebSocket library only lets a server send 1000 or 3000-4999.
CLOSE_TRY_AGAIN = 4503

# Close codes after which a client must not reconnect by itself.
FINAL_CLOSE_CODES = frozenset({CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND})

MAX_CLIENT_MESSAGE = 1024
MAX_MESSAGES_PER_WINDOW = 30
RATE_WINDOW_SECONDS = 10.0
HEARTBEAT_SECONDS = 25
# Channel layers forget group members after `group_expiry` (a day); a socket that stays open longer,
# like a lobby screen, re-joins its groups on a heartbeat at least this often.
REJOIN_SECONDS = 3600

# What a lost channel layer raises: redis-py's errors, sockets, and asyncio timeouts (OSError and
# TimeoutError). Anything else is a bug and is left to propagate into the server log.
LAYER_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)


def _heartbeat_seconds() -> int:
    return int(getattr(settings, "REALTIME_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


class StreamConsumer(AsyncWebsocketConsumer):
    # Anonymous clients are refused with 4401 before any lookup; a public stream sets this False.
    login_required: bool = True

    streams: tuple[str, ...] = ()
    _closing: bool = False
    _joined_at: float = 0.0

    async def get_stream(self) -> str | None:
        """The stream this connection asks for, or None if it names nothing that exists."""
        raise NotImplementedError

    async def get_streams(self) -> list[str] | None:
        """The streams this connection asks for (one by default), or None if they name nothing."""
        stream = await self.get_stream()
        return None if stream is None else [stream]

    async def authorise(self, user: Any, stream: str) -> bool:
        """Whether `user` may see `stream`. Runs before the socket joins anything."""
        raise NotImplementedError

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        try:
            await self._serve(scope, receive, send)
        except LAYER_ERRORS:
            # The channel layer (Redis) went away under this socket. Close with "try again later"
            # so the client reconnects with backoff and resyncs from the snapshot once it is back.
            logger.warning("realtime: channel layer unavailable, closing %s", scope.get("path"))
            try:
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
            except Exception:  # the socket may already be gone; nothing more to tell it
                logger.debug("realtime: socket already closed", exc_info=True)

    async def _serve(self, scope: dict, receive: Any, send: Any) -> None:
        # What Channels' AsyncConsumer.__call__ does, with one long-lived task per source instead of
        # a task and an asyncio.wait() per message; a lock keeps handlers one at a time, in arrival
        # order, as Channels does. Also notes the server's loop for realtime.publish.
        self.scope = scope
        self.base_send = send
        server_loop_started(asyncio.get_running_loop())
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
            sources.append(self.channel_receive)
        lock = asyncio.Lock()

        async def pump(source: Any) -> None:
            while True:
                message = await source()
                async with lock:
                    await self.dispatch(message)

        tasks = [asyncio.ensure_future(pump(source)) for source in sources]
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is not None and not isinstance(error, StopConsumer):
                    raise error
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                try:
                    await task
                except (asyncio.CancelledError, StopConsumer):
                    pass
                except Exception:  # the other source's error is already being raised
                    logger.debug("realtime: consumer task ended with an error", exc_info=True)

    async def dispatch(self, message: dict) -> None:
        # Channels closes stale database connections before every handler, through a hop to the
        # one thread that runs Django's sync code. Relaying a stream message or answering a ping
        # touches no database, and the handlers that do (connect) go through
        # database_sync_to_async, which closes stale connections itself. Paying that hop for each
        # message to each socket made one worker's fan-out queue behind every HTTP request.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message: dict) -> None:
        self._window_start = time.monotonic()
        self._window_count = 0
        user = self.scope.get("user")
        authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
        if self.login_required and not authenticated:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        streams = await self.get_streams()
        if not streams:
            await self._refuse(CLOSE_NOT_FOUND)
            return
        for stream in streams:
            if not await self.authorise(user, stream):
                await self._refuse(CLOSE_FORBIDDEN if authenticated else CLOSE_UNAUTHENTICATED)
                return
        self.streams = tuple(streams)
        await self._join()
        await self.accept()
        await self.send_json({"type": "hello", "streams": list(self.streams), "heartbeat": _heartbeat_seconds()})

    async def _join(self) -> None:
        for stream in self.streams:
            await self.channel_layer.group_add(group_for_stream(stream), self.channel_name)
        self._joined_at = time.monotonic()

    async def _refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def websocket_disconnect(self, message: dict) -> None:
        for stream in self.streams:
            try:
                await self.channel_layer.group_discard(group_for_stream(stream), self.channel_name)
            except LAYER_ERRORS:
                # Group membership expires by itself (group_expiry); nothing to clean up by hand.
                logger.info("realtime: could not leave %s; the layer will expire it", stream)
        self.streams = ()
        await self.disconnect(message.get("code", 1000))
        raise StopConsumer()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.streams or self._closing:
            return  # refused or closing: ignore whatever arrives in between
        now = time.monotonic()
        if now - self._window_start > RATE_WINDOW_SECONDS:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        if self._window_count > MAX_MESSAGES_PER_WINDOW:
            await self._close(CLOSE_RATE_LIMITED)
            return
        if bytes_data is not None or text_data is None:
            await self._close(CLOSE_BAD_MESSAGE)
            return
        if len(text_data) > MAX_CLIENT_MESSAGE:
            await self._close(CLOSE_TOO_BIG)
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self._close(CLOSE_BAD_MESSAGE)
            return
        if not isinstance(message, dict) or message.get("type") != "ping" or set(message) - {"type", "id"}:
            await self._close(CLOSE_BAD_MESSAGE)
            return
        if now - self._joined_at > REJOIN_SECONDS:
            await self._join()
        pong: dict[str, Any] = {"type": "pong", "ts": round(time.time(), 3)}
        if isinstance(message.get("id"), (int, str)) and len(str(message["id"])) <= 40:
            pong["id"] = message["id"]
        await self.send_json(pong)

    async def _close(self, code: int) -> None:
        # The disconnect that follows leaves the groups; until then further input is ignored.
        self._closing = True
        await self.close(code=code)

    async def stream_message(self, event: dict[str, Any]) -> None:
        # Published messages arrive already encoded (realtime.publish.layer_event), and go straight
        # to the server: this runs once per socket for every message.
        if "text" in event:
            await self.base_send({"type": "websocket.send", "text": event["text"]})
        else:
            await self.send_json(event["message"])

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":"), ensure_ascii=False))
