"""The matching engine's reaction to door arrivals, in a worker of its own (Redis deployments).

With `MATCHING_LIVE_WORKER=1` (and `REDIS_URL`), the check-in hook in each web worker passes every
batch of arrivals to the channel `matching-live` (one channel-layer send per batch) instead of
scoring them itself; `manage.py runworker matching-live` holds the event's one board index, scores
the arrivals and pushes the employers' boards through the channel layer to every web worker.

Without it (the embedded defaults, or a single worker) the web worker's hook thread does the work
itself, as before. Board reads (the page, the API) never depend on this worker: they re-sync the
index of the worker that serves them from the database.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import Any

from channels.consumer import SyncConsumer
from django.conf import settings

from checkin.hooks import CheckinInfo
from matching import board
from realtime.publish import send_to_channel

logger = logging.getLogger(__name__)

CHANNEL = "matching-live"
MAX_INFOS = 500


def _wire(info: CheckinInfo) -> dict[str, Any]:
    return {**dataclasses.asdict(info), "at": info.at.isoformat()}


def _unwire(data: Any) -> CheckinInfo | None:
    """An arrival from the channel, or None for anything malformed (logged, never raised)."""
    try:
        return CheckinInfo(
            event_id=int(data["event_id"]),
            event_slug=str(data["event_slug"]),
            registration_id=int(data["registration_id"]),
            user_id=int(data["user_id"]),
            role=str(data["role"]),
            session_id=None if data["session_id"] is None else int(data["session_id"]),
            gate=str(data["gate"]),
            direction=str(data["direction"]),
            at=datetime.fromisoformat(str(data["at"])),
            scan_id=int(data["scan_id"]),
            inside=None if data.get("inside") is None else bool(data["inside"]),
        )
    except (KeyError, TypeError, ValueError):
        logger.warning("matching-live: dropped a malformed arrival: %r", data)
        return None


def on_arrivals(infos: list[CheckinInfo]) -> None:
    """The check-in hook's batch subscriber: score here, or hand the batch to the live worker."""
    if getattr(settings, "MATCHING_LIVE_WORKER", False):
        send_to_channel(CHANNEL, {"type": "arrivals", "infos": [_wire(i) for i in infos[:MAX_INFOS]]})
        return
    board.on_checkin_infos(infos)


class MatchingLiveConsumer(SyncConsumer):
    """`runworker matching-live`: one consumer takes every batch, in order, and keeps the index."""

    def arrivals(self, message: dict[str, Any]) -> None:
        raw = message.get("infos")
        if not isinstance(raw, list):
            logger.warning("matching-live: a message without a list of arrivals")
            return
        infos = [info for info in map(_unwire, raw[:MAX_INFOS]) if info is not None]
        try:
            board.on_checkin_infos(infos)
        except Exception:
            # The worker must outlive a bad batch; boards re-sync from the database when read.
            logger.exception("matching-live: a batch of %d arrivals failed", len(infos))
