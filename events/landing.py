"""Where a person lands after signing in without a `?next`: the page their role works on.

One rule for every sign-in page, tested per role (tests/events/test_landing.py):

- organisers (staff accounts): the control room of an event happening now, else the admin's list
  of events (where they run every event);
- door staff (registered at an event in the door-staff or organiser role): the scanner of their
  event happening now, else of their next one;
- employers (registered as an employer): their board at the fair happening now, else the next one;
- everyone else (candidates, officials, speakers) and anyone with no event ahead: their own page.

Only events that have not ended count, the one happening now first, then the soonest.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration

_DOOR_ROLES = (Registration.Role.STAFF, Registration.Role.ORGANISER)


def _current_first(events: Any) -> Any:
    now = timezone.now()
    return (
        events.filter(ends_at__gte=now)
        .exclude(status=Event.Status.DRAFT)
        .annotate(later=Case(When(starts_at__lte=now, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("later", "starts_at", "id")
    )


def _my_event(user: Any, roles: tuple[str, ...]) -> Event | None:
    registered = Registration.objects.filter(user=user, role__in=roles, status=Registration.Status.REGISTERED)
    return _current_first(Event.objects.filter(pk__in=registered.values("event_id"))).first()


def landing_url(user: Any) -> str:
    """The path a signed-in person is sent to when nothing asked for another."""
    if user.is_staff and user.is_active:
        now = timezone.now()
        happening = _current_first(Event.objects.filter(starts_at__lte=now)).first()
        if happening is not None:
            return reverse("live:control", args=[happening.slug])
        return reverse("admin:events_event_changelist")
    door = _my_event(user, _DOOR_ROLES)
    if door is not None:
        return reverse("checkin:scan", args=[door.slug])
    fair = _my_event(user, (Registration.Role.EMPLOYER,))
    if fair is not None:
        return reverse("matching:board", args=[fair.slug])
    return reverse("events:me")
