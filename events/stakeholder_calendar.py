"""Follow-ups with stakeholders in their owner's personal calendar feed (an events.calendar_items provider).

An open follow-up is an all-day event on its due date. Once done it stays a while as CANCELLED with
a higher SEQUENCE, so subscribed calendars remove it; after the feed's cutoff it is left out.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from events.ical import CalendarItem, uid_host
from events.models import FollowUp

ZONE = "UTC"


def owned(user_id: int) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(owner_id=user_id)


class FollowUpsProvider:
    name = "events.stakeholder_follow_ups"

    def fingerprint(self, user_id: int, cutoff: datetime) -> tuple[list[Any], list[datetime | None]]:
        agg = owned(user_id).aggregate(
            n=Count("id"),
            open=Count("id", filter=Q(done_at__isnull=True)),
            created=Max("created_at"),
            done=Max("done_at"),
        )
        return [agg["n"], agg["open"], agg["created"], agg["done"]], [agg["created"], agg["done"]]

    def items(self, user_id: int, cutoff: datetime) -> list[CalendarItem]:
        host = uid_host(settings.SITE_URL)
        out = []
        for follow_up in owned(user_id).select_related("stakeholder__programme"):
            done = follow_up.done_at is not None
            if done and follow_up.done_at < cutoff:
                continue
            stakeholder = follow_up.stakeholder
            start = datetime.combine(follow_up.due_on, time.min, tzinfo=UTC)
            changed = follow_up.done_at or follow_up.created_at
            url = settings.SITE_URL + reverse("stakeholders:detail", args=[stakeholder.programme.slug, stakeholder.pk])
            out.append(
                CalendarItem(
                    uid=f"follow-up-{follow_up.pk}@{host}",
                    sequence=1 if done else 0,
                    summary=_("Follow-up: %(title)s (%(organisation)s)")
                    % {"title": follow_up.title, "organisation": stakeholder.name},
                    start=start,
                    end=start + timedelta(days=1),
                    tzid=ZONE,
                    dtstamp=changed,
                    status="CANCELLED" if done else "CONFIRMED",
                    all_day=True,
                    description=stakeholder.programme.name,
                    url=url,
                    categories=("follow-up",),
                    last_modified=changed,
                )
            )
        return out
