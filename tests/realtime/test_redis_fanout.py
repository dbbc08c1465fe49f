"""realtime/redis_fanout.py: several group sends in two Redis round trips, as channels_redis's own would deliver.

The first test pins the channels_redis internals the module relies on (an upgrade that changes them
fails here); the others need a Redis (`REDIS_URL`) and compare with channels_redis's `group_send`.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import uuid

import pytest
from channels_redis.core import RedisChannelLayer

from realtime import redis_fanout

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis (REDIS_URL)")


def test_the_channels_redis_internals_it_uses_are_there():
    def params(name: str) -> list[str]:
        return list(inspect.signature(getattr(RedisChannelLayer, name)).parameters)

    assert params("_group_key") == ["self", "group"]
    assert params("consistent_hash") == ["self", "value"]
    assert params("connection") == ["self", "index"]
    assert params("_map_channel_keys_to_connection") == ["self", "channel_names", "message"]
    layer = RedisChannelLayer(hosts=["redis://127.0.0.1:1/0"], expiry=30, group_expiry=600)
    assert (layer.expiry, layer.group_expiry) == (30, 600)
    assert layer._group_key("g") == f"{layer.prefix}:group:g".encode()
    # Queue keys by host, each key's one serialised message naming its channels, and its capacity.
    by_host, messages, capacities = layer._map_channel_keys_to_connection(
        ["specific.a!x", "specific.a!y", "plain"], {"type": "t"}
    )
    keys = [f"{layer.prefix}specific.a!", f"{layer.prefix}plain"]
    assert sorted(k for host_keys in by_host.values() for k in host_keys) == sorted(keys)
    assert layer.deserialize(messages[keys[0]])["__asgi_channel__"] == ["specific.a!x", "specific.a!y"]
    assert capacities == dict.fromkeys(keys, layer.capacity)
    assert redis_fanout.batches(layer)


def _layer(**config) -> RedisChannelLayer:
    return RedisChannelLayer(hosts=[os.environ.get("REDIS_URL", "")], prefix=f"fanout-{uuid.uuid4().hex[:8]}", **config)


async def _drain(layer: RedisChannelLayer, channel: str) -> list[dict]:
    got = []
    while True:
        try:
            got.append(await asyncio.wait_for(layer.receive(channel), 0.3))
        except TimeoutError:
            return got


@needs_redis
async def test_each_member_gets_its_groups_messages_in_order():
    layer = _layer()
    try:
        a, b = await layer.new_channel(), await layer.new_channel()
        plain = f"worker-{uuid.uuid4().hex[:6]}"
        await layer.group_add("one", a)
        await layer.group_add("one", b)
        await layer.group_add("two", b)
        await layer.group_add("two", plain)
        over = await redis_fanout.group_send_many(
            layer,
            [("one", {"type": "m", "n": 1}), ("two", {"type": "m", "n": 2}), ("one", {"type": "m", "n": 3})]
            + [("nobody", {"type": "m", "n": 4})]
            + [("two", {"type": "m", "n": n}) for n in range(5, 25)],
        )
        assert over == 0
        assert [m["n"] for m in await _drain(layer, a)] == [1, 3]
        assert [m["n"] for m in await _drain(layer, b)] == [1, 2, 3, *range(5, 25)]
        assert [m["n"] for m in await _drain(layer, plain)] == [2, *range(5, 25)]
    finally:
        await layer.flush()


@needs_redis
async def test_a_full_queue_loses_what_does_not_fit_as_with_group_send():
    layer = _layer(capacity=2)
    try:
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        over = await redis_fanout.group_send_many(layer, [("g", {"type": "m", "n": n}) for n in range(4)])
        assert over == 2
        assert [m["n"] for m in await _drain(layer, channel)] == [0, 1]
    finally:
        await layer.flush()
