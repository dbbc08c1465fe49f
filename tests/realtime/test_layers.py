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
    monkeypatch.setattr("realtime.layers.InMemoryChannelLayer._sweep", lambda self: sweeps.append(1), raising=True)
    channel = await layer.new_channel()
    await layer.group_add("g", channel)
    for _ in range(100):
        await layer.group_send("g", {"type": "x"})
        await layer.receive(channel)
    assert len(sweeps) == 1


async def test_a_full_channel_loses_group_messages_but_a_direct_send_is_refused():
    from channels.exceptions import ChannelFull

    layer = InMemoryChannelLayer(capacity=2)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", slow)
    await layer.group_add("g", fast)
    for n in range(3):
        await layer.group_send("g", {"type": "x", "n": n})
        assert await asyncio.wait_for(layer.receive(fast), 1) == {"type": "x", "n": n}
    assert [await layer.receive(slow) for _ in range(2)] == [{"type": "x", "n": 0}, {"type": "x", "n": 1}]
    await layer.send(slow, {"type": "y"})
    await layer.send(slow, {"type": "y"})
    try:
        await layer.send(slow, {"type": "y"})
    except ChannelFull:
        pass
    else:
        raise AssertionError("a third message fit in a channel of capacity 2")


async def test_receivers_cannot_change_what_other_receivers_get():
    layer = InMemoryChannelLayer()
    a, b = await layer.new_channel(), await layer.new_channel()
    for channel in (a, b):
        await layer.group_add("g", channel)
    await layer.group_send("g", {"type": "flat", "text": "t"})
    await layer.group_send("g", {"type": "nested", "data": {"n": 1}})
    first = await layer.receive(a)
    first["text"] = "changed"
    nested = await layer.receive(a)
    nested["data"]["n"] = 2
    assert await layer.receive(b) == {"type": "flat", "text": "t"}
    assert await layer.receive(b) == {"type": "nested", "data": {"n": 1}}


async def test_a_waiting_receiver_keeps_its_queue_and_a_gone_one_is_swept():
    layer = InMemoryChannelLayer()
    layer.sweep_interval = 0
    waiting, gone = await layer.new_channel(), await layer.new_channel()
    task = asyncio.ensure_future(layer.receive(waiting))
    abandoned = asyncio.ensure_future(layer.receive(gone))
    await asyncio.sleep(0)
    abandoned.cancel()
    await asyncio.gather(abandoned, return_exceptions=True)
    layer._clean_expired()
    assert waiting in layer.channels and gone not in layer.channels
    await layer.send(waiting, {"type": "x"})
    assert await asyncio.wait_for(task, 1) == {"type": "x"}
