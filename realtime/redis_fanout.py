"""Group sends on channels_redis: every message the loop has waiting, in two Redis round trips.

channels_redis's public `group_send` costs four round trips per message (drop the group's expired
members, read the members, drop each member queue's expired messages, add the message under a
capacity check), each a separate await with redis-py's parsing in Python. A door scan publishes
several messages, and on Redis those round trips were most of what the scan cost beyond the
embedded defaults (docs/checkin.md, "Measured"). `group_send_many` sends what a loop has queued
(realtime.publish's outbox) together: one pipeline per Redis host reads every group's members, and
one script per host adds every message to every member's queue, with channels_redis's own rules:
the same group and message expiry, the same capacity (a full queue loses the message), the same
serialisation (one message per queue key naming its channels in `__asgi_channel__`). Messages keep
their order: each gets a score just above the one before, where channels_redis's successive
`group_send` calls got successive clock readings.

It relies on these internals of channels_redis 4 (`channels_redis.core.RedisChannelLayer`), pinned
by tests/realtime/test_redis_fanout.py so that an upgrade that changes them fails there:
`_group_key(group)`, `consistent_hash(name)`, `connection(index)` (an async redis-py client of the
running loop), `_map_channel_keys_to_connection(channel_names, message)` (queue keys by host, each
key's serialised message and capacity), and the attributes `expiry` and `group_expiry`; and on its
storage: a group is a sorted set of channel names scored by joining time, a queue a sorted set of
messages scored by sending time, read lowest score first.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from channels_redis.core import RedisChannelLayer

# KEYS: the queue keys. ARGV: a message per key, a capacity per key, a score per key, then the score
# below which queued messages have expired, and the queue's lifetime in seconds.
_ADD_SCRIPT = """
local n = #KEYS
local expired = ARGV[3 * n + 1]
local lifetime = ARGV[3 * n + 2]
local over = 0
for i = 1, n do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, expired)
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[n + i]) then
        redis.call('ZADD', KEYS[i], ARGV[2 * n + i], ARGV[i])
        redis.call('EXPIRE', KEYS[i], lifetime)
    else
        over = over + 1
    end
end
return over
"""

# Successive messages' scores, apart by more than a double's resolution at today's clock; a batch's
# first score is above the last one given, so batches in quick succession keep their order too.
_STEP = 1e-5
_last_score = 0.0


def _scores(count: int) -> list[float]:
    global _last_score
    first = max(time.time(), _last_score + _STEP)
    scores = [first + i * _STEP for i in range(count)]
    _last_score = scores[-1]
    return scores


def batches(layer: Any) -> bool:
    """Whether `group_send_many` can send for this layer in one go (else: its group_send, one by one)."""
    return type(layer) is RedisChannelLayer


async def group_send_many(layer: RedisChannelLayer, sends: list[tuple[str, dict[str, Any]]]) -> int:
    """Send each `(group, message)` to its group's members, in order. Returns how many queues were full."""
    now = time.time()
    score = _scores(len(sends))
    groups = list(dict.fromkeys(group for group, _message in sends))
    by_host: dict[int, list[str]] = defaultdict(list)
    for group in groups:
        by_host[layer.consistent_hash(group)].append(group)
    members: dict[str, list[str]] = {}
    for index, host_groups in by_host.items():
        pipe = layer.connection(index).pipeline(transaction=False)
        for group in host_groups:
            key = layer._group_key(group)
            pipe.zremrangebyscore(key, min=0, max=int(now) - layer.group_expiry)
            pipe.zrange(key, 0, -1)
        replies = await pipe.execute()
        for group, names in zip(host_groups, replies[1::2], strict=True):
            members[group] = [name.decode() for name in names]

    keys: dict[int, list[Any]] = defaultdict(list)
    payloads: dict[int, list[Any]] = defaultdict(list)
    capacities: dict[int, list[Any]] = defaultdict(list)
    scores: dict[int, list[float]] = defaultdict(list)
    for position, (group, message) in enumerate(sends):
        if not members[group]:
            continue
        by_index, serialised, capacity = layer._map_channel_keys_to_connection(members[group], message)
        for index, queue_keys in by_index.items():
            for key in queue_keys:
                keys[index].append(key)
                payloads[index].append(serialised[key])
                capacities[index].append(capacity[key])
                scores[index].append(score[position])
    over = 0
    for index, queue_keys in keys.items():
        over += await layer.connection(index).eval(
            _ADD_SCRIPT,
            len(queue_keys),
            *queue_keys,
            *payloads[index],
            *capacities[index],
            *scores[index],
            int(now) - int(layer.expiry),
            int(layer.expiry),
        )
    return over
