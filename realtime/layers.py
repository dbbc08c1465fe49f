"""Channels' in-memory layer with its expiry sweep run at most once a second.

The stock `InMemoryChannelLayer` sweeps every queued channel and every group membership on each
`receive()` and `group_send()`. One message to a group of N sockets wakes N receivers, so it costs
N sweeps of N entries: at 500 lobby screens and phones that is a quarter of a million steps per
session change, and a single worker spends its time sweeping instead of sending. Expiry is measured
in seconds (a message waits `expiry`, 60 s; a membership lasts `group_expiry`, a day), so sweeping
once a second changes nothing a client can see.

Used when `REDIS_URL` is unset (one worker); with Redis, channels_redis expires keys itself.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_interval = 1.0

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._last_sweep = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.sweep_interval:
            return
        self._last_sweep = now
        super()._clean_expired()
