"""Due dates of action items in the personal calendar feed (an events.calendar_items provider).

Every granted member of an item's lead organisation finds its due date as an all-day event: it
moves when the date moves (SEQUENCE is the item's revision, which every change of the due date,
title, status or lead bumps) and stays as CANCELLED for a while once the item is dropped, so
subscribed calendars remove it. Items without a due date have nothing to show.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from events.ical import CalendarItem, uid_host
from events.models import ActionItem, Membership

# The zone an all-day date is written in; any zone gives the same VALUE=DATE.
ZONE = "UTC"


def led_items(user_id: int) -> QuerySet[ActionItem]:
    granted = Membership.objects.filter(user_id=user_id, status=Membership.Status.GRANTED).values("organisation_id")
    return ActionItem.objects.filter(lead_organisation_id__in=granted, due_date__isnull=False)


class ActionItemsProvider:
    name = "events.action_items"

    def fingerprint(self, user_id: int, cutoff: datetime) -> tuple[list[Any], list[datetime | None]]:
        items = led_items(user_id).aggregate(n=Count("id"), last=Max("updated_at"))
        # Joining or leaving the lead organisation changes what the feed holds without touching an item.
        member = Membership.objects.filter(user_id=user_id).aggregate(
            n=Count("id", filter=Q(status=Membership.Status.GRANTED)), last=Max("decided_at")
        )
        return [items["n"], items["last"], member["n"], member["last"]], [items["last"]]

    def items(self, user_id: int, cutoff: datetime) -> list[CalendarItem]:
        host = uid_host(settings.SITE_URL)
        out = []
        for item in led_items(user_id).select_related("programme", "lead_organisation"):
            dropped = item.status == ActionItem.Status.DROPPED
            if dropped and item.updated_at < cutoff:
                continue
            start = datetime.combine(item.due_date, time.min, tzinfo=UTC)
            url = settings.SITE_URL + reverse("programmes:roadmap", args=[item.programme.slug])
            out.append(
                CalendarItem(
                    uid=f"action-{item.pk}@{host}",
                    sequence=item.revision,
                    summary=_("Due: %(title)s") % {"title": item.title},
                    start=start,
                    end=start + timedelta(days=1),
                    tzid=ZONE,
                    dtstamp=item.updated_at,
                    status="CANCELLED" if dropped else "CONFIRMED",
                    all_day=True,
                    description=f"{item.programme.name}\n{item.get_status_display()}\n{item.description}".strip(),
                    url=url,
                    categories=("action-item",),
                    last_modified=item.updated_at,
                )
            )
        return out
