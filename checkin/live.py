"""Live counts after check-ins: the organiser dashboard (`checkin.counts`) and each gate (`checkin.gate`).

A snapshot of the counts is a few grouped queries over the event's arrivals and session
attendance. At a hundred scans a second, computing it for every scan would cost more than the
scans; so each process coalesces per event (`realtime.coalesce`): the first scan after a quiet
spell is published at once, and the scans of the following `CHECKIN_COUNTS_INTERVAL` seconds (0.5
by default) are published together when it ends, one snapshot for all of them, naming every gate
they came through. A lone check-in reaches the dashboard within tens of milliseconds; a busy door
costs at most one snapshot per interval, event and process. With the interval at 0 (tests) the
counts are sent at once, after the commit, for every scan.

So that the figures move the moment a person walks in, every successful door scan also sends a
small `checkin.arrival` at once (no query: what the door already knows, which the control room adds
to the figures it shows); the next snapshot then replaces them with the database's own count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from realtime.coalesce import Coalescer
from realtime.groups import checkin_gate_stream, event_dashboard_stream, event_public_stream
from realtime.publish import publish_on_commit, send_now


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


_coalescer = Coalescer(send_counts, _interval, "checkin-counts")


def _public_interval() -> float | None:
    value = getattr(settings, "CHECKIN_PUBLIC_COUNTS_INTERVAL", 5.0)
    return None if value is None else float(value)


def send_public_counts(event_id: int, _items: set[object] | None = None) -> None:
    """People inside now, for the lobby screens (`counts.changed` on the public stream: a number, no names)."""
    from checkin.models import Ticket
    from events.models import Event

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    present = Ticket.objects.filter(event=event, inside=True).count()
    send_now(event_public_stream(event.slug), "counts.changed", {"event": event.slug, "present": present})


# Every phone at the event listens on the public stream too, so its head count goes out at most once
# per CHECKIN_PUBLIC_COUNTS_INTERVAL (5 s): live enough for a screen across the hall, and a trickle
# beside the door's own rate. None turns it off (screens then reread their snapshot once a minute).
_public = Coalescer(send_public_counts, lambda: _public_interval() or 0.0, "public-counts")


def arrival(
    *,
    event_slug: str,
    scan_id: int,
    gate: str,
    role: str,
    direction: str,
    first: bool,
    present_delta: int,
    session_id: int | None,
    first_in_session: bool,
    at: str,
) -> None:
    """Tell the dashboard about one door scan as soon as it commits (docs/realtime.md, checkin.arrival)."""
    data = {
        "event": event_slug,
        "scan": scan_id,
        "gate": gate,
        "role": role,
        "direction": direction,
        "first": first,
        "present_delta": present_delta,
        "session": session_id,
        "first_in_session": first_in_session,
        "at": at,
    }
    publish_on_commit(event_dashboard_stream(event_slug), "checkin.arrival", data)


def counts_changed(*, event_id: int, gate: str) -> None:
    """Tell the dashboard and the gate that the counts moved, once the transaction commits."""
    transaction.on_commit(lambda: _coalescer.add(event_id, gate), robust=True)
    if _public_interval() is not None:
        transaction.on_commit(lambda: _public.add(event_id), robust=True)
