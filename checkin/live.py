"""Live counts after check-ins: the organiser dashboard (`checkin.counts`) and each gate (`checkin.gate`).

A snapshot of the counts is one query over the event's arrivals. At a hundred scans a second,
computing it for every scan would cost more than the scans; so each process coalesces: the first
scan after a quiet spell schedules one publication `CHECKIN_COUNTS_INTERVAL` seconds later (0.5 by
default), and scans in between only add their gate to it. Dashboards update well within a second.
With the interval at 0 (tests) the counts are sent at once, after the commit.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection, transaction

from realtime.groups import checkin_gate_stream, event_dashboard_stream
from realtime.publish import send_now

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: dict[int, set[str]] = {}


def _interval() -> float:
    return float(getattr(settings, "CHECKIN_COUNTS_INTERVAL", 0.5))


def send_counts(event_id: int, gates: set[str]) -> None:
    """Compute the counts now and send them to the dashboard and to every gate in `gates`."""
    from checkin.selectors import counts_snapshot
    from events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    data = counts_snapshot(event=event)
    send_now(event_dashboard_stream(event.slug), "checkin.counts", data)
    for gate in sorted(gates):
        send_now(
            checkin_gate_stream(event.slug, gate or "-"),
            "checkin.gate",
            {
                "event": event.slug,
                "gate": gate,
                "gate_arrivals": data["by_gate"].get(gate, 0),
                "present": data["present"],
                "arrived": data["arrived"],
            },
        )


def _flush(event_id: int) -> None:
    with _lock:
        gates = _pending.pop(event_id, set())
    try:
        send_counts(event_id, gates)
    except Exception:
        logger.warning("checkin: cannot publish counts for event %s", event_id, exc_info=True)
    finally:
        # This timer thread opened its own connection; do not leave it behind.
        connection.close()


def _schedule(event_id: int, gate: str) -> None:
    interval = _interval()
    if interval <= 0:
        send_counts(event_id, {gate})
        return
    with _lock:
        pending = _pending.get(event_id)
        if pending is not None:
            pending.add(gate)
            return
        _pending[event_id] = {gate}
    timer = threading.Timer(interval, _flush, args=(event_id,))
    timer.daemon = True
    timer.start()


def counts_changed(*, event_id: int, gate: str) -> None:
    """Tell the dashboard and the gate that the counts moved, once the transaction commits."""
    transaction.on_commit(lambda: _schedule(event_id, gate), robust=True)
