"""Publishing live updates from domain services.

One convention (as Zulip's `send_event_on_commit`): a service calls `publish_on_commit()` inside
its transaction, and the message leaves only after the commit, so no client ever sees a change that
was rolled back. Views, consumers, selectors and model signals never publish. `send_now()` sends at
once; only code that already runs after a commit on its own thread uses it (the coalesced counts
and board pushes, listed with their reasons in tests/architecture/test_publish_call_sites.py).

The channel layer is at-most-once: a message that cannot be delivered is logged and dropped, never
raised into the caller, and every message carries a per-stream `seq` so clients notice the gap and
refetch the stream's snapshot.

The envelope is `{"type", "stream", "seq", "ts", "data"}` (docs/realtime.md).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import orjson
from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

from realtime import generations
from realtime.groups import group_for_stream

logger = logging.getLogger(__name__)

# The consumer method that relays a layer message to its socket ("stream.message" -> stream_message).
LAYER_TYPE = "stream.message"


def _seq_key(stream: str) -> str:
    return f"rt:seq:{stream}"


def _seq_base() -> int:
    # A stream's counter starts at the current time in milliseconds rather than at zero. When the
    # counter is lost (Redis restarted, the cache evicted the key) it resumes above every number
    # the stream has used before, so clients see a gap and resync instead of mistaking the new
    # messages for stale ones.
    return int(time.time() * 1000)


# On Redis: start the counter if it is missing and count, in one atomic round trip. (Django's cache
# API needs two for an increment, EXISTS then INCR, and two more to start a counter.)
_SEQ_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCR', KEYS[1])
"""


def _redis_next(key: str) -> int | None:
    """The next value of a counter in the Redis cache, or None when the cache is not Redis."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    full = backend.make_and_validate_key(key)
    # The cache's own client and connection pool (its timeouts included); the value stays a plain
    # integer, which the cache reads back as one (current_seq).
    client = backend._cache.get_client(full, write=True)
    return int(client.eval(_SEQ_SCRIPT, 1, full, _seq_base()))


# With the embedded defaults the cache is this process's own memory (LocMemCache): a stream's
# counter then lives here, in a plain dict, rather than pickled in and out of the cache under its key
# checks on every message (a busy door sends several messages per scan).
_local_seqs: dict[str, int] = {}
_local_lock = threading.Lock()


def next_seq(stream: str) -> int | None:
    """The next sequence number of a stream, shared by all workers through the cache.

    None when the cache is unreachable: the message then carries `"seq": null`, which tells
    clients to resync.
    """
    key = _seq_key(stream)
    if generations.cache_is_process_local():
        with _local_lock:
            value = _local_seqs[key] = _local_seqs.get(key, _seq_base()) + 1
        return value
    try:
        fast = _redis_next(key)
    except Exception as exc:  # a cache outage must not fail the caller's write
        logger.warning("realtime: cannot increment seq for %s: %r", stream, exc)
        return None
    if fast is not None:
        return fast
    for _attempt in range(2):
        try:
            # One round trip once the counter exists (every message but a stream's first).
            return int(cache.incr(key))
        except ValueError:
            pass  # no counter yet (or it was evicted): start it, then count
        except Exception as exc:  # a cache outage must not fail the caller's write
            logger.warning("realtime: cannot increment seq for %s: %r", stream, exc)
            return None
        try:
            cache.add(key, _seq_base(), timeout=None)
            return int(cache.incr(key))
        except ValueError:
            continue  # evicted between add() and incr(); start again
        except Exception as exc:  # a cache outage must not fail the caller's write
            logger.warning("realtime: cannot increment seq for %s: %r", stream, exc)
            return None
    return None


def current_seq(stream: str) -> int | None:
    """The last seq sent on a stream; snapshots carry it so a client knows where it stands.

    Read it *before* reading the data a snapshot shows: every message numbered up to it was sent
    after its change committed, so the data read afterwards already contains that change.
    """
    key = _seq_key(stream)
    if generations.cache_is_process_local():
        with _local_lock:
            return _local_seqs.setdefault(key, _seq_base())
    try:
        cache.add(key, _seq_base(), timeout=None)
        value = cache.get(key)
    except Exception as exc:
        logger.warning("realtime: cannot read seq for %s: %r", stream, exc)
        return None
    return None if value is None else int(value)


def build_message(stream: str, type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": type, "stream": stream, "seq": next_seq(stream), "ts": round(time.time(), 3), "data": data}


def _send_timeout() -> float:
    return float(getattr(settings, "REALTIME_SEND_TIMEOUT", 2.0))


def layer_event(message: dict[str, Any]) -> dict[str, Any]:
    """The channel-layer event for a message: its JSON text, serialised once here.

    Every socket of a stream gets the same bytes; encoding them once per message instead of once
    per socket (and letting the in-memory layer copy a string instead of a nested dict per socket)
    is most of what a push costs the server. orjson, because a busy door's employer-board pushes
    spent ~7 % of the server's time in the standard library's encoder (bench/checkin.py).
    """
    return {"type": LAYER_TYPE, "text": orjson.dumps(message, option=orjson.OPT_NON_STR_KEYS).decode()}


async def _group_send(layer: Any, stream: str, message: dict[str, Any]) -> bool:
    try:
        send = layer.group_send(group_for_stream(stream), layer_event(message))
        await asyncio.wait_for(send, timeout=_send_timeout())
    except Exception as exc:
        # An outage logs one line per dropped message, not a traceback: it is expected and handled.
        logger.warning("realtime: channel layer unavailable, dropped %s on %s: %r", message["type"], stream, exc)
        return False
    return True


class _Outbox:
    """Messages waiting to be handed to the channel layer by one event loop, in the order given.

    Sync code that a server runs on behalf of its event loop (Django views under Daphne run in a
    worker thread) must not wait for the loop to fan a message out to thousands of sockets: that
    would hold up every other request behind it. It drops the message here and carries on; one
    task per loop sends them one after another, so a stream's messages leave in seq order.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pid = os.getpid()
        self.queue: collections.deque[tuple[Any, str, dict[str, Any]]] = collections.deque()
        self.task: asyncio.Task | None = None

    # While the layer is down each send waits for its timeout; beyond this many waiting messages
    # the oldest are dropped (clients resync from snapshots, which is what they would do anyway).
    LIMIT = 10_000

    def put(self, layer: Any, stream: str, message: dict[str, Any]) -> None:
        """Queue a send; runs on the loop's thread."""
        if len(self.queue) >= self.LIMIT:
            _layer, dropped_stream, dropped = self.queue.popleft()
            logger.warning("realtime: outbox full, dropped %s on %s", dropped["type"], dropped_stream)
        self.queue.append((layer, stream, message))
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        while self.queue:
            await _group_send(*self.queue.popleft())


_outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Outbox] = weakref.WeakKeyDictionary()


def _outbox(loop: asyncio.AbstractEventLoop) -> _Outbox:
    box = _outboxes.get(loop)
    if box is None:
        box = _outboxes[loop] = _Outbox(loop)
    return box


def server_loop_started(loop: asyncio.AbstractEventLoop) -> None:
    """Note the loop a server runs on, so threads of its own can hand messages to it (see below)."""
    _outbox(loop)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop whose sync work this thread is doing, if any.

    A Daphne request's thread knows its loop. A thread the server started for itself (the check-in
    hooks' worker, a timer) does not; it gets the one running loop of this process that has served
    sockets or sent messages. Sending from a loop of the thread's own instead would put messages
    into the in-memory layer's queues without waking the server's loop that reads them (they sat
    there until something else woke it, a fifth of a second at a quiet moment), and with Redis it
    would open a connection per message.
    """
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    pid = os.getpid()
    if loop is not None and getattr(local, "main_event_loop_pid", None) == pid and loop.is_running():
        return loop
    try:
        boxes = list(_outboxes.values())
    except RuntimeError:  # another thread added a loop meanwhile: send the slow way this once
        return None
    running = [box.loop for box in boxes if box.pid == pid and box.loop.is_running()]
    return running[0] if len(running) == 1 else None


def send_now(stream: str, type: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Stamp and send one message at once. Returns it, or None if it could not be sent.

    Rollback-unsafe: inside a transaction the message would leave before the commit. Services use
    `publish_on_commit`; this is for code that already runs after one (see the module docstring).
    Never raises: a live update is a courtesy on top of a change that is already saved. Inside a
    server (on its event loop, or in a request it runs) the message is queued for the loop and
    returned at once; a layer failure is then logged there. Elsewhere (a management command, a
    task, a test) it is sent before returning, and None says the layer was unreachable.
    """
    try:
        message = build_message(stream, type, data)
        layer = get_channel_layer()
    except Exception:
        logger.warning("realtime: cannot prepare %s on %s", type, stream, exc_info=True)
        return None
    if layer is None:
        return None
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:
        _outbox(running).put(layer, stream, message)
        return message
    loop = _server_loop()
    if loop is not None:
        try:
            loop.call_soon_threadsafe(_outbox(loop).put, layer, stream, message)
        except RuntimeError:  # the loop closed meanwhile (a server shutting down)
            return None
        return message
    try:
        sent = async_to_sync(_group_send)(layer, stream, message)
    except Exception:
        logger.warning("realtime: cannot send %s on %s", type, stream, exc_info=True)
        return None
    return message if sent else None


# Per thread (a transaction is a thread's): the newest snapshot asked for on each (stream, type).
_latest_snapshot = threading.local()


def publish_on_commit(stream: str, type: str, data: dict[str, Any] | Callable[[], dict[str, Any] | None]) -> None:
    """Send `data` to every client of `stream` once the current transaction commits.

    `data` may be a function, called after the commit, for a message that is a snapshot of what
    the commit left (a function returning None sends nothing). Outside a transaction it sends at
    once; a rolled-back transaction sends nothing. Never raises.
    """
    if callable(data):
        # A snapshot describes what the commit left, so of several asked for in one transaction
        # (an import writes 200 registrations per transaction) only the last needs computing.
        key = (stream, type)
        token = object()
        _latest_snapshot.__dict__[key] = token

        def send_if_latest() -> None:
            if _latest_snapshot.__dict__.get(key) is token:
                del _latest_snapshot.__dict__[key]
                _send_computed(stream, type, data)

        transaction.on_commit(send_if_latest, robust=True)
    else:
        transaction.on_commit(lambda: send_now(stream, type, data), robust=True)


def _send_computed(stream: str, type: str, compute: Callable[[], dict[str, Any] | None]) -> None:
    data = compute()
    if data is not None:
        send_now(stream, type, data)


async def _channel_send(layer: Any, channel: str, message: dict[str, Any]) -> bool:
    try:
        await asyncio.wait_for(layer.send(channel, message), timeout=_send_timeout())
    except Exception as exc:
        logger.warning("realtime: channel layer unavailable, dropped %s for %s: %r", message["type"], channel, exc)
        return False
    return True


def send_to_channel(channel: str, message: dict[str, Any]) -> bool:
    """Hand a message to a background worker's channel (`runworker <channel>`). Never raises.

    From a server's own threads it goes through the server's loop (one connection, like pushes); from
    elsewhere it is sent before returning. False when it could not be sent or queued.
    """
    try:
        layer = get_channel_layer()
    except Exception:
        logger.warning("realtime: no channel layer for %s", channel, exc_info=True)
        return False
    if layer is None:
        return False
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    loop = running or _server_loop()
    if loop is not None:
        try:
            if running is not None:
                running.create_task(_channel_send(layer, channel, message))
            else:
                asyncio.run_coroutine_threadsafe(_channel_send(layer, channel, message), loop)
        except RuntimeError:  # the loop closed meanwhile (a server shutting down)
            return False
        return True
    try:
        return bool(async_to_sync(_channel_send)(layer, channel, message))
    except Exception:
        logger.warning("realtime: cannot send %s for %s", message["type"], channel, exc_info=True)
        return False
