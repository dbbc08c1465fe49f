"""Meeting figures for the organisers' control room, pushed as `meetings.counts` on the control stream.

Every service that changes a meeting (booked, cancelled, confirmed, no-show, released, a timetable
run) calls `meetings_changed`; after the commit the figures are counted once and sent whole, the
same as the control snapshot's `meetings`. Changes are coalesced per event and process like the
check-in counts (`realtime.coalesce`): the first change after a quiet spell is sent at once, those
of the following `MEETING_COUNTS_INTERVAL` seconds (0.5 by default; 0 sends every time) together
when it ends. "In progress" also moves with the clock, which no service sees: the control room
refreshes its snapshot now and then for that.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from events.models import Event
from matching.selectors import meeting_counts
from realtime.coalesce import Coalescer
from realtime.groups import event_control_stream
from realtime.publish import send_now


def _interval() -> float:
    return float(getattr(settings, "MEETING_COUNTS_INTERVAL", 0.5))


def send_meeting_counts(event_id: int, _items: set[object] | None = None) -> None:
    """Count the event's meetings now and send the figures to its control room."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    send_now(event_control_stream(event.slug), "meetings.counts", meeting_counts(event=event))


_coalescer = Coalescer(send_meeting_counts, _interval, "meeting-counts")


def meetings_changed(*, event_id: int) -> None:
    """Tell the control room that the event's meeting figures moved, once the transaction commits."""
    transaction.on_commit(lambda: _coalescer.add(event_id), robust=True)
