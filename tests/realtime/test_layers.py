"""The in-memory channel layer used by a single worker: same behaviour, cheaper expiry sweeps."""

from __future__ import annotations

import asyncio
import time

from realtime.layers import InMemoryChannelLayer


async def test_group_messages_reach_every_member():
    layer = InMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(50)]
    for channel in channels:
        await layer.group_add("g", channel)
    await layer.group_send("g", {"type": "x", "n": 1})
    received = [await asyncio.wait_for(layer.receive(c), 1) for c in channels]
    assert received == [{"type": "x", "n": 1}] * 50


async def test_expired_messages_and_memberships_are_still_swept():
    layer = InMemoryChannelLayer(expiry=0.05, group_expiry=1)
    layer.sweep_interval = 0.01
    stale, fresh = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", stale)
    await layer.send(stale, {"type": "old"})
    time.sleep(0.1)
    layer.groups["g"][stale] = time.time() - 10  # joined long ago
    await layer.group_add("g", fresh)
    await layer.group_send("g", {"type": "new"})
    assert stale not in layer.groups["g"]
    assert await asyncio.wait_for(layer.receive(fresh), 1) == {"type": "new"}


async def test_sweeps_run_at_most_once_per_interval(monkeypatch):
    layer = InMemoryChannelLayer()
    sweeps = []
    monkeypatch.setattr(
        "channels.layers.InMemoryChannelLayer._clean_expired", lambda self: sweeps.append(1), raising=True
    )
    channel = await layer.new_channel()
    await layer.group_add("g", channel)
    for _ in range(100):
        await layer.group_send("g", {"type": "x"})
        await layer.receive(channel)
    assert len(sweeps) == 1
