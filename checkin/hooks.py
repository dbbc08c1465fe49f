"""A domain event other apps react to: "this person just arrived".

Subscribers register a callback once (in their AppConfig.ready); it runs after the check-in
commits, with plain data, never inside the scan's transaction, and a failing subscriber is logged,
never raised into the door. The matching engine subscribes to put arrivals into its live index.

    from checkin.hooks import on_checkin

    def arrived(info: CheckinInfo) -> None: ...
    on_checkin(arrived)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckinInfo:
    event_id: int
    event_slug: str
    registration_id: int
    user_id: int
    role: str
    session_id: int | None
    gate: str
    direction: str  # "in", "out", or "undo"
    at: datetime
    scan_id: int


_subscribers: list[Callable[[CheckinInfo], None]] = []


def on_checkin(callback: Callable[[CheckinInfo], None]) -> Callable[[CheckinInfo], None]:
    """Subscribe `callback` to every successful check-in, check-out and undo. Usable as a decorator."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


def off_checkin(callback: Callable[[CheckinInfo], None]) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def _deliver(info: CheckinInfo) -> None:
    for callback in list(_subscribers):
        try:
            callback(info)
        except Exception:
            logger.exception("checkin: subscriber %r failed for scan %s", callback, info.scan_id)


def emit_after_commit(info: CheckinInfo) -> None:
    transaction.on_commit(lambda: _deliver(info), robust=True)
