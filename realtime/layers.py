"""Channels' in-memory layer, made cheap enough to fan one message out to a thousand sockets.

Used when `REDIS_URL` is unset (one worker); with Redis, channels_redis does this work. The stock
`InMemoryChannelLayer` behaves the same but costs, per message and socket of a group:

- an expiry sweep of every queued channel and every group membership, on each `receive()` and
  `group_send()`: one message to N sockets wakes N receivers, so N sweeps of N entries. Expiry is
  measured in seconds (a message waits `expiry`, 60 s; a membership lasts `group_expiry`, a day),
  so here the sweep runs at most once a second;
- a task per member in `group_send()`, and a deep copy of the message for each. Here a plain loop
  puts the message into each member's queue, copying the dict shallowly when its values are
  immutable (published messages are `{"type", "text"}`: realtime.publish encodes them once);
- a new `asyncio.Queue` (with its lock and event) every time a channel's queue ran empty, because
  `receive()` dropped empty queues at once. Here a queue stays while its consumer waits on it; the
  sweep drops empty queues nobody waits on (consumers that have gone).

At 500 sockets and 20 messages a second those three were a third of a worker's CPU.
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
        now = time.time()
        for channel, queue in list(self.channels.items()):
            while not queue.empty() and queue._queue[0][0] < now:
                queue.get_nowait()
                # A channel that let a message expire is not being read: it leaves its groups.
                self._remove_from_groups(channel)
            if queue.empty() and not queue._getters:
                del self.channels[channel]
        joined_before = int(now) - self.group_expiry
        for members in self.groups.values():
            for channel, joined in list(members.items()):
                if joined and joined < joined_before:
                    members.pop(channel, None)
