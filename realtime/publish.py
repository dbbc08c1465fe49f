"""Publishing live updates from domain services.

Services call `publish()` inside their transaction; the message leaves only after the commit, so
no client ever sees a change that was rolled back. The channel layer is at-most-once: a message
that cannot be delivered is logged and dropped, never raised into the caller, and every message
carries a per-stream `seq` so clients notice the gap and refetch the stream's snapshot.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from realtime.groups import group_for_stream

logger = logging.getLogger(__name__)

# The consumer method that relays a layer message to its socket ("stream.message" -> stream_message).
LAYER_TYPE = "stream.message"


def _seq_key(stream: str) -> str:
    return f"rt:seq:{stream}"


def next_seq(stream: str) -> int:
    """The next sequence number of a stream, shared by all workers through the cache."""
    key = _seq_key(stream)
    try:
        cache.add(key, 0, timeout=None)
        return int(cache.incr(key))
    except Exception:  # a cache outage must not fail the caller's write
        logger.warning("realtime: cannot increment seq for %s", stream, exc_info=True)
        return 0


def current_seq(stream: str) -> int:
    """The last seq sent on a stream; snapshots carry it so a client knows where it stands."""
    try:
        return int(cache.get(_seq_key(stream)) or 0)
    except Exception:
        logger.warning("realtime: cannot read seq for %s", stream, exc_info=True)
        return 0


def build_message(stream: str, type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": type, "stream": stream, "seq": next_seq(stream), "ts": time.time(), "data": data}


def send_now(stream: str, type: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """Stamp and send one message at once. Returns it, or None if the layer was unreachable."""
    message = build_message(stream, type, data)
    layer = get_channel_layer()
    if layer is None:
        return None
    try:
        async_to_sync(layer.group_send)(group_for_stream(stream), {"type": LAYER_TYPE, "message": message})
    except Exception:
        logger.warning("realtime: channel layer unavailable, dropped %s on %s", type, stream, exc_info=True)
        return None
    return message


def publish(stream: str, type: str, data: dict[str, Any]) -> None:
    """Send `data` to every client of `stream` once the current transaction commits."""
    transaction.on_commit(lambda: send_now(stream, type, data), robust=True)
