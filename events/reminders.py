"""Reminders before sessions: a django-q2 schedule (every five minutes, see migration 0003) runs
`send_due_reminders`, which emails each person in a session once per reminder offset.

Offsets are per event (`EventCalendarSettings.reminder_offsets`, minutes; default a day and an
hour). When several offsets are due at once (someone joined an hour before the start) only the
nearest is sent. The ledger key holds the session's start time, so moving a session re-arms them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from events.calendar_items import attendees_of, event_page_url, upcoming_sessions_starting
from events.models import EventCalendarSettings, Registration, Session, default_reminder_offsets
from events.tasks import send_once


def offsets_for(session: Session) -> list[int]:
    calendar_settings = getattr(session.event, "calendar_settings", None)
    return list(calendar_settings.reminder_offsets) if calendar_settings is not None else default_reminder_offsets()


def _longest_offset() -> int:
    longest = max(default_reminder_offsets())
    for offsets in EventCalendarSettings.objects.values_list("reminder_offsets", flat=True):
        longest = max([longest, *[o for o in offsets or [] if isinstance(o, int)]])
    return longest


def send_due_reminders(now: datetime | None = None) -> int:
    """Email every due reminder that has not been sent; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    window = now + timedelta(minutes=_longest_offset())
    for session in upcoming_sessions_starting(after=now, before=window):
        due = [o for o in offsets_for(session) if session.starts_at - timedelta(minutes=o) <= now]
        if not due:
            continue
        offset = min(due)
        for registration in attendees_of(session):
            key = f"reminder:{registration.user_id}:{session.pk}:{offset}:{int(session.starts_at.timestamp())}"
            sent += send_once(
                key=key,
                recipient=registration.user.email,
                build=lambda r=registration, s=session: _reminder(r, s),
            )
    return sent


def _reminder(registration: Registration, session: Session) -> EmailMultiAlternatives:
    event = session.event
    with translation.override(registration.language or "en"):
        start = timezone.localtime(session.starts_at, event.tzinfo)
        when = formats.date_format(start, "DATETIME_FORMAT")
        location = ", ".join(p for p in (session.room.name if session.room else "", event.venue) if p)
        body = render_to_string(
            "calendar/email_reminder.txt",
            {
                "person": registration.user,
                "session": session,
                "event": event,
                "when": when,
                "location": location,
                "url": event_page_url(event),
            },
        )
        subject = _("Reminder: %(title)s at %(time)s") % {"title": session.title, "time": when}
    return EmailMultiAlternatives(subject=subject, body=body, to=[registration.user.email])
