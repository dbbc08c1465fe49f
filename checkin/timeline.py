"""Check-ins as others' timelines read them, through events.hooks (events may not import checkin)."""

from __future__ import annotations

from datetime import datetime

from checkin.models import Ticket


def first_arrivals(*, registration_ids: list[int]) -> dict[int, datetime]:
    """When each registration's ticket was first scanned in; registrations never checked in are absent."""
    rows = Ticket.objects.filter(registration_id__in=registration_ids, first_in_at__isnull=False)
    return dict(rows.values_list("registration_id", "first_in_at"))
