"""Publishing live updates from domain services.

Services call `publish()` inside their transaction; the message leaves only after the commit, so
no client ever sees a change that was rolled back. The channel layer is at-most-once: a message
that cannot be delivered is logged and dropped, never raised into the caller, and every message
carries a per-stream `seq` so clients notice the gap and refetch the stream's snapshot.

The envelope is `{"type", "stream", "seq", "ts", "data"}` (docs/realtime.md).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from realtime.groups import group_for_stream

logger = logging.getLogger(__name__)

# The consumer method that relays a layer message to its socket ("stream.message" -> stream_message).
LAYER_TYPE = "stream.message"

# Sends scheduled on a running event loop; kept referenced so they are not garbage-collected mid-flight.
_pending: set[asyncio.Task] = set()


def _seq_key(stream: str) -> str:
    return f"rt:seq:{stream}"


def _seq_base() -> int:
    # A stream's counter starts at the current time in milliseconds rather than at zero. When the
    # counter is lost (Redis restarted, the cache evicted the key) it resumes above every number
    # the stream has used before, so clients see a gap and resync instead of mistaking the new
    # messages for stale ones.
    return int(time.time() * 1000)


def next_seq(stream: str) -> int | None:
    """The next sequence number of a stream, shared by all workers through the cache.

    None when the cache is unreachable: the message then carries `"seq": null`, which tells
    clients to resync.
    """
    key = _seq_key(stream)
    for _attempt in range(2):
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
    is most of what a push costs the server.
    """
    return {"type": LAYER_TYPE, "text": json.dumps(message, separators=(",", ":"), ensure_ascii=False)}


async def _group_send(layer: Any, stream: str, message: dict[str, Any]) -> bool:
    try:
        send = layer.group_send(group_for_stream(stream), layer_event(message))
        await asyncio.wait_for(send, timeout=_send_timeout())
    except Exception as exc:
        # An outage logs one line per dropped message, not a traceback: it is expected and handled.
        logger.warning("realtime: channel layer unavailable, dropped %s on %s: %r", message["type"], stream, exc)
        return False
    return True


def send_now(stream: str, type: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Stamp and send one message at once. Returns it, or None if the layer was unreachable.

    Never raises: a live update is a courtesy on top of a change that is already saved.
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
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        # Called from async code on the loop's own thread: async_to_sync cannot run here, so the
        # send is scheduled on the loop instead. The message is handed out as sent.
        task = loop.create_task(_group_send(layer, stream, message))
        _pending.add(task)
        task.add_done_callback(_pending.discard)
        return message
    try:
        sent = async_to_sync(_group_send)(layer, stream, message)
    except Exception:
        logger.warning("realtime: cannot send %s on %s", type, stream, exc_info=True)
        return None
    return message if sent else None


def publish(stream: str, type: str, data: dict[str, Any]) -> None:
    """Send `data` to every client of `stream` once the current transaction commits.

    Outside a transaction it sends at once. A rolled-back transaction sends nothing.
    """
    transaction.on_commit(lambda: send_now(stream, type, data), robust=True)
