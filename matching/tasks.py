"""Background jobs of matching (django-q2). Each takes primary keys and is safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_q.tasks import async_task

from events.models import Event


def enqueue_timetable(run_id: int) -> None:
    async_task("matching.timetable.run_timetable", run_id)


def sweep(event_id: int | None = None) -> dict[str, int]:
    """Write down expired requests and free the slots of candidates who are not in by their slot.

    Scheduled every minute (migration 0003_sweep_schedule). Expiry is already a filter for every
    read (matching.selectors), so a late or missed run shows nobody a stale request. Without
    `event_id` it covers every event's expired requests and the live events' slots; with it, that
    event's only.
    """
    from matching import meetings

    now = timezone.now()
    if event_id is None:
        events = list(Event.objects.filter(status=Event.Status.LIVE))
        expired = meetings.meetings_expire_requests(now=now)
    else:
        events = list(Event.objects.filter(pk=event_id))
        expired = sum(meetings.meetings_expire_requests(event=event, now=now) for event in events)
    released = sum(meetings.meetings_release_absent(event=event, now=now) for event in events)
    return {"expired": expired, "released": released}
