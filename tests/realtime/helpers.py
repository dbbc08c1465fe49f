"""Small helpers shared by the realtime tests: listening on a stream, talking to the ASGI app.

`config.asgi` is imported here, at collection time, because building the ASGI application runs
`django.setup()` again, which reconfigures logging and would detach pytest's log capture mid-test.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from realtime.groups import group_for_stream

ORIGIN = b"http://testserver"


class Listener:
    """A channel joined to one stream's group, as a consumer would be."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.layer = get_channel_layer()
        self.channel = ""

    async def __aenter__(self) -> Listener:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(group_for_stream(self.stream), self.channel)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.layer.group_discard(group_for_stream(self.stream), self.channel)

    async def next(self, timeout: float = 1.0) -> dict[str, Any] | None:
        """The next message on the stream, or None if nothing arrives within `timeout`."""
        try:
            event = await asyncio.wait_for(self.layer.receive(self.channel), timeout)
        except TimeoutError:
            return None
        return json.loads(event["text"])


def session_cookie(user: Any) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(
    path: str, *, cookie: bytes | None = None, token: str | None = None, origin: bytes | None = ORIGIN
) -> WebsocketCommunicator:
    """A client of the full ASGI application (origin check, cookie and bearer auth, routing)."""
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie))
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connect_and_close_code(comm: WebsocketCommunicator) -> int | None:
    """Connect and return the close code the server answers with (None: it stayed open)."""
    connected, code = await comm.connect()
    if not connected:
        return code
    output = await comm.receive_output(timeout=2)
    if output["type"] == "websocket.close":
        return output.get("code")
    await comm.disconnect()
    return None


async def receive_type(comm: WebsocketCommunicator, type: str, timeout: float = 2.0) -> dict[str, Any]:
    """Skip messages until one of `type` arrives."""
    while True:
        message = json.loads(await comm.receive_from(timeout=timeout))
        if message["type"] == type:
            return message


async def socket_outcome(path: str, user: Any) -> tuple[str, object]:
    """What a browser signed in as `user` (None: nobody) meets at `path`: ("rejected", code),
    ("closed", code) right after the handshake, or ("open", the streams its hello names)."""
    from channels.db import database_sync_to_async

    cookie = None if user is None else await database_sync_to_async(session_cookie)(user)
    comm = communicator(path, cookie=cookie)
    connected, code = await comm.connect()
    if not connected:
        return "rejected", code
    output = await comm.receive_output(timeout=2)
    if output["type"] == "websocket.close":
        return "closed", output.get("code")
    hello = json.loads(output["text"])
    await comm.disconnect()
    return "open", hello["streams"]
