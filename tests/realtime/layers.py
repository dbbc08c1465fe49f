"""Channel layers that fail the way Redis does when it goes away, for fault tests."""

from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError


class UnreachableLayer(InMemoryChannelLayer):
    """Redis is down before the client connects: joining a group fails."""

    async def group_add(self, group: str, channel: str) -> None:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class DroppingLayer(InMemoryChannelLayer):
    """Redis goes down while clients are connected: receiving fails once `down` is set."""

    down = False

    async def receive(self, channel: str) -> dict:
        while True:
            if DroppingLayer.down:
                raise RedisConnectionError("Connection closed by server.")
            try:
                return await asyncio.wait_for(super().receive(channel), 0.05)
            except TimeoutError:
                continue
