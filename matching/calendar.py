"""Job-fair and bilateral meetings in the personal calendar feed (events.calendar_items providers).

Both sides see a meeting: the candidate (or official), and every registered representative of the
employer (or counterpart institution) at that event whose membership of it is granted. Naming an
organisation at registration is only a request to join it, and must not put its meetings, with the
candidates' names, into the person's calendar. A cancelled or no-show meeting stays in the
feed as CANCELLED for a while, so subscribed calendars drop it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from events.memberships import granted_exists
from events.models import Registration
from matching.models import Meeting


def meetings_of(user_id: int) -> QuerySet[Meeting]:
    orgs_at = (
        Registration.objects.filter(user_id=user_id, status=Registration.Status.REGISTERED, organisation__isnull=False)
        .filter(granted_exists())
        .values_list("event_id", "organisation_id")
    )
    q = Q(candidate_id=user_id)
    for event_id, org_id in orgs_at:
        q |= Q(event_id=event_id, organisation_id=org_id)
    return Meeting.objects.filter(q)


def meeting_item(m: Meeting, *, user_id: int) -> Any:
    """The meeting as `user_id`'s calendar shows it (feed and emailed invitation alike), in the active
    language: the other side's name, the table or room. `m` needs event, organisation, candidate, room."""
    from events.ical import CalendarItem

    active = m.status in Meeting.ACTIVE
    with_whom = m.organisation.name if m.candidate_id == user_id else (m.candidate.full_name or _("Candidate"))
    where = m.room.name if m.room_id else _("Booth %(org)s, table %(t)s") % {"org": m.organisation.name, "t": m.table}
    return CalendarItem(
        uid=meeting_uid(m.pk),
        # Moves only when a calendar would show a change (Meeting.save): one SEQUENCE for feeds and emails.
        sequence=m.sequence,
        summary=_("Meeting: %(who)s") % {"who": with_whom},
        start=m.starts_at,
        end=m.ends_at,
        tzid=m.event.timezone,
        dtstamp=m.updated_at,
        status="CONFIRMED" if active else "CANCELLED",
        location=f"{where}, {m.event.venue}".strip(", "),
        categories=("meeting",),
        last_modified=m.updated_at,
    )


def meeting_uid(meeting_id: int) -> str:
    from events.ical import uid_host

    return f"meeting-{meeting_id}@{uid_host(settings.SITE_URL)}"


class MeetingsProvider:
    name = "matching.meetings"

    def fingerprint(self, user_id: int, cutoff: datetime) -> tuple[list[Any], list[datetime | None]]:
        agg = meetings_of(user_id).aggregate(n=Count("id"), last=Max("updated_at"))
        return [agg["n"], agg["last"]], [agg["last"]]

    def items(self, user_id: int, cutoff: datetime) -> list[Any]:
        out = []
        for m in meetings_of(user_id).select_related("event", "organisation", "candidate", "room"):
            if m.status not in Meeting.ACTIVE and m.updated_at < cutoff:
                continue
            out.append(meeting_item(m, user_id=user_id))
        return out
