"""Channels' in-memory layer, made cheap enough to fan one message out to a thousand sockets.

Used when `REDIS_URL` is unset (one worker); with Redis, channels_redis does this work. What the
stock `InMemoryChannelLayer` (Channels 4.3) lacks, per message and socket of a group:

- a bounded expiry sweep: it sweeps every queued channel and every group membership on each
  `receive()` and `group_send()`, so one message to N sockets costs N sweeps of N entries. Expiry is
  measured in seconds (a message waits `expiry`, a membership lasts `group_expiry`), so here
  upstream's own sweep runs at most once a second;
- a cheap fan-out: it starts a task per member in `group_send()` and deep-copies the message for
  each. Here a plain loop puts the message into each member's queue, copying the dict shallowly
  when its values are immutable (published messages are `{"type", "text"}`: realtime.publish
  encodes them once);
- queues that outlive an empty moment: `receive()` drops a channel's queue whenever it runs empty,
  and the next message builds a new `asyncio.Queue` (with its lock and event); its `send()` even
  builds one per call. Here a queue stays while its consumer waits on it, and the sweep drops the
  empty queues nobody waits on (consumers that have gone).

Behaviour is upstream's otherwise (tests/realtime/test_layers.py). What it saved: docs/realtime.md,
"Measured".
"""

from __future__ import annotations

import asyncio
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

_IMMUTABLE = (str, bytes, int, float, bool, type(None))


def _copier(message: dict[str, Any]) -> Any:
    # A receiver may change the dict it gets; it must not change what other receivers see.
    if all(isinstance(value, _IMMUTABLE) for value in message.values()):
        return dict
    return deepcopy


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_sweep = float("-inf")

    def _queue(self, channel: str) -> asyncio.Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, _copier(message)(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._clean_expired()
        _expires, message = await self._queue(channel).get()
        return message

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        copy = _copier(message)
        expires = time.time() + self.expiry
        for channel in list(members):
            queue = self._queue(channel)
            # At-most-once: a socket this far behind loses the message, notices the gap and resyncs.
            if not queue.full():
                queue.put_nowait((expires, copy(message)))

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.sweep_interval:
            return
        self._last_sweep = now
        self._sweep()

    def _sweep(self) -> None:
        # Upstream's sweep: expired messages (their channel leaves its groups) and memberships.
        super()._clean_expired()
        for channel, queue in list(self.channels.items()):
            if queue.empty() and not queue._getters:
                del self.channels[channel]
