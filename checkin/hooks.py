"""A domain event other apps react to: "this person just arrived".

Subscribers register a callback once (in their AppConfig.ready); it runs after the check-in
commits, with plain data, never inside the scan's transaction, and a failing subscriber is logged,
never raised into the door. The matching engine subscribes to put arrivals into its live index.

Subscribers run on one background thread per process, in the order of the check-ins, so the door
answers without waiting for them (a subscriber's own database work would otherwise add to every
scan). Where background tasks run inline (tests: `Q_CLUSTER["sync"]`), or with
`CHECKIN_HOOKS_INLINE = True`, they run inline right after the commit instead.

A subscriber that can handle several arrivals at once subscribes with `batch=True` and gets a list:
everything that arrived while it was busy with the previous list (at most `MAX_BATCH`), in order,
and optionally within `CHECKIN_HOOKS_WINDOW` seconds of the first (0 by default: no added wait; the
batches grow by themselves when the door is busy). At a busy door that turns a hundred arrivals a
second into a few calls, each reading its shared state once.

    from checkin.hooks import on_checkin

    def arrived(info: CheckinInfo) -> None: ...
    on_checkin(arrived)

    def arrivals(infos: list[CheckinInfo]) -> None: ...
    on_checkin(arrivals, batch=True)
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connections, transaction

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
    # Whether the holder is inside the venue after this scan (None: not known, read the door state).
    inside: bool | None = None


_subscribers: list[Callable[[CheckinInfo], None]] = []
_batch_subscribers: list[Callable[[list[CheckinInfo]], None]] = []
MAX_BATCH = 200
IDLE_CLOSE = 5.0  # seconds without arrivals before the worker closes its database connections


def on_checkin(callback: Callable[..., None], *, batch: bool = False) -> Callable[..., None]:
    """Subscribe `callback` to every successful check-in, check-out and undo. Usable as a decorator.

    With `batch=True` it is called with a list of them instead of one at a time."""
    subscribers: list = _batch_subscribers if batch else _subscribers
    if callback not in subscribers:
        subscribers.append(callback)
    return callback


def off_checkin(callback: Callable[..., None]) -> None:
    for subscribers in (_subscribers, _batch_subscribers):
        if callback in subscribers:
            subscribers.remove(callback)


def _has_subscribers() -> bool:
    return bool(_subscribers or _batch_subscribers)


def _deliver(infos: list[CheckinInfo]) -> None:
    for info in infos:
        for callback in list(_subscribers):
            try:
                callback(info)
            except Exception:
                logger.exception("checkin: subscriber %r failed for scan %s", callback, info.scan_id)
    for callback in list(_batch_subscribers):
        try:
            callback(infos)
        except Exception:
            logger.exception("checkin: subscriber %r failed for scans %s", callback, [i.scan_id for i in infos])


def _inline() -> bool:
    default = bool(getattr(settings, "Q_CLUSTER", {}).get("sync", False))
    return bool(getattr(settings, "CHECKIN_HOOKS_INLINE", default))


_queue: queue.SimpleQueue[CheckinInfo] = queue.SimpleQueue()
_worker_lock = threading.Lock()
_worker: threading.Thread | None = None


def _window() -> float:
    return float(getattr(settings, "CHECKIN_HOOKS_WINDOW", 0.0))


def _work() -> None:
    while True:
        try:
            infos = [_queue.get(timeout=IDLE_CLOSE)]
        except queue.Empty:
            # A quiet door: give this thread's connections back until the next arrival. During a
            # busy spell they stay open, as a request's would for its length.
            connections.close_all()
            continue
        # Arrivals come in bursts; a moment's wait (if configured) gathers more of one into the same
        # batch, so the subscribers read their shared state once for it, not once per person.
        window = _window()
        if window > 0:
            time.sleep(window)
        while len(infos) < MAX_BATCH:
            try:
                infos.append(_queue.get_nowait())
            except queue.Empty:
                break
        try:
            _deliver(infos)
        finally:
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None and (conn.errors_occurred or conn.in_atomic_block):
                    conn.close()  # never carry a broken connection into the next batch


def _dispatch(info: CheckinInfo) -> None:
    global _worker
    if _inline() or not _has_subscribers():
        _deliver([info])
        return
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="checkin-hooks", daemon=True)
            _worker.start()
    _queue.put(info)


def emit_after_commit(info: CheckinInfo) -> None:
    transaction.on_commit(lambda: _dispatch(info), robust=True)
