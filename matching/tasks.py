"""Background jobs of matching (django-q2). Each takes primary keys and is safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_q.tasks import async_task

from events.models import Event


def enqueue_timetable(run_id: int) -> None:
    async_task("matching.timetable.run_timetable", run_id)


def sweep(event_id: int | None = None) -> dict[str, int]:
    """Expire old requests and free the slots of candidates who are not in by their slot (every minute)."""
    from matching import meetings

    now = timezone.now()
    events = Event.objects.filter(status=Event.Status.LIVE)
    if event_id is not None:
        events = Event.objects.filter(pk=event_id)
    expired = released = 0
    for event in events:
        expired += meetings.meetings_expire_requests(event=event, now=now)
        released += meetings.meetings_release_absent(event=event, now=now)
    return {"expired": expired, "released": released}
