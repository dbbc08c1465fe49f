"""The personal feed and invitations: what one person is in, and what their calendar was told.

The events provider (registrations → the event, programme sessions, officials-only sessions) is
registered here; other apps register theirs through `events.calendar_items.register_provider`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events.calendar_items import (
    ACTIVE,
    SessionRow,
    Validator,
    as_datetime,
    cancelled_cutoff,
    event_item,
    event_revision,
    host,
    make_validator,
    providers,
    register_provider,
    scalar_row,
    session_item,
    session_rows,
    withdrawn_at,
)
from events.ical import CalendarItem, registration_uid, session_uid
from events.models import CalendarCopy, Event, EventCalendarSettings, FeedToken, Registration, Session, User


@dataclass
class Wanted:
    """One item a registration puts in the person's calendar."""

    uid: str
    kind: str
    object_id: int
    registration: Registration
    session: SessionRow | None
    revision: int
    cancelled: bool

    def item(self, bump: int) -> CalendarItem:
        event = self.registration.event
        sequence = self.revision + bump
        if self.session is not None:
            return session_item(self.session, event=event, sequence=sequence)
        return event_item(self.registration, event=event, sequence=sequence)


def wanted_for(registrations: list[Registration]) -> dict[str, Wanted]:
    """Items the registrations put in calendars: the event, the programme, officials-only sessions.

    The registrations need `event` (and ideally `event__calendar_settings`) loaded. Cancelled
    sessions are included (marked) so callers can tell people and keep them in feeds.
    """
    h = host()
    wanted: dict[str, Wanted] = {}
    seated = {r.pk: r for r in registrations if r.status == Registration.Status.REGISTERED}
    for r in registrations:
        if r.status in ACTIVE:
            uid = registration_uid(r.event_id, r.pk, h)
            wanted[uid] = Wanted(uid, CalendarCopy.Kind.EVENT, r.pk, r, None, event_revision(r.event), False)
    if not seated:
        return wanted
    links = list(
        Registration.sessions.through.objects.filter(registration_id__in=list(seated)).values_list(
            "registration_id", "session_id"
        )
    )
    by_id = {s.pk: s for s in session_rows(Session.objects.filter(pk__in={sid for _r, sid in links}))}
    pairs = [(seated[rid], by_id[sid]) for rid, sid in links if sid in by_id]
    officials = {r.event_id: r for r in seated.values() if r.role == Registration.Role.OFFICIAL}
    if officials:
        extra = session_rows(Session.objects.filter(event_id__in=officials, audience=Session.Audience.OFFICIALS))
        pairs.extend((officials[s.event_id], s) for s in extra)
    for r, s in pairs:
        uid = session_uid(s.pk, h)
        cancelled = s.status == Session.Status.CANCELLED
        wanted.setdefault(uid, Wanted(uid, CalendarCopy.Kind.SESSION, s.pk, r, s, s.revision, cancelled))
    return wanted


def registrations_of(user_id: int) -> list[Registration]:
    return list(
        Registration.objects.filter(user_id=user_id).select_related("event", "event__calendar_settings", "user")
    )


class EventsProvider:
    """Events and sessions from the person's registrations."""

    name = "events"

    def fingerprint(self, user_id: int, cutoff: datetime) -> tuple[list[Any], list[datetime | None]]:
        # One round trip of scalar subqueries: the 304 path must stay within a few milliseconds.
        reg, event = Registration._meta.db_table, Event._meta.db_table
        cal, copy = EventCalendarSettings._meta.db_table, CalendarCopy._meta.db_table
        session, through = Session._meta.db_table, Registration.sessions.through._meta.db_table
        row = scalar_row(
            f"""SELECT
            (SELECT COUNT(*) FROM {reg} r WHERE r.user_id = %s),
            (SELECT MAX(r.updated_at) FROM {reg} r WHERE r.user_id = %s),
            (SELECT MAX(e.updated_at) FROM {reg} r JOIN {event} e ON e.id = r.event_id WHERE r.user_id = %s),
            (SELECT SUM(c.revision) FROM {reg} r JOIN {cal} c ON c.event_id = r.event_id WHERE r.user_id = %s),
            (SELECT COUNT(*) FROM {through} t JOIN {reg} r ON r.id = t.registration_id WHERE r.user_id = %s),
            (SELECT MAX(s.updated_at) FROM {through} t JOIN {reg} r ON r.id = t.registration_id
                JOIN {session} s ON s.id = t.session_id WHERE r.user_id = %s),
            (SELECT COUNT(*) FROM {session} s JOIN {reg} r ON r.event_id = s.event_id
                WHERE r.user_id = %s AND r.role = %s AND s.audience = %s),
            (SELECT MAX(s.updated_at) FROM {session} s JOIN {reg} r ON r.event_id = s.event_id
                WHERE r.user_id = %s AND r.role = %s AND s.audience = %s),
            (SELECT COUNT(*) FROM {copy} c WHERE c.user_id = %s),
            (SELECT MAX(c.updated_at) FROM {copy} c WHERE c.user_id = %s)""",
            [user_id] * 6 + [user_id, Registration.Role.OFFICIAL, Session.Audience.OFFICIALS] * 2 + [user_id] * 2,
        )
        values = [as_datetime(v) if i in (1, 2, 5, 7, 9) else v for i, v in enumerate(row or ())]
        return values, [values[i] for i in (1, 2, 5, 7, 9)] if values else []

    def items(self, user_id: int, cutoff: datetime) -> list[CalendarItem]:
        wanted = wanted_for(registrations_of(user_id))
        copies = {c.uid: c for c in CalendarCopy.objects.filter(user_id=user_id)}
        items = []
        for uid, w in wanted.items():
            copy = copies.get(uid)
            if w.cancelled and w.session is not None and w.session.updated_at < cutoff:
                continue
            if copy is not None and not copy.active:
                # Withdrawn from this person although the item itself goes on (sync has not run yet).
                continue
            items.append(w.item(copy.bump if copy else 0))
        items.extend(_withdrawn(user_id, [c for c in copies.values() if c.uid not in wanted], cutoff))
        return items


def _withdrawn(user_id: int, copies: list[CalendarCopy], cutoff: datetime) -> list[CalendarItem]:
    """Items once sent to the person and since withdrawn from them: CANCELLED for 30 days."""
    recent = [c for c in copies if not c.active and c.updated_at >= cutoff]
    if not recent:
        return []
    rows = session_rows(Session.objects.filter(pk__in=[c.object_id for c in recent if c.kind == "session"]))
    sessions = {row.pk: row for row in rows}
    events = Event.objects.select_related("calendar_settings").in_bulk({row.event_id for row in rows})
    regs = Registration.objects.select_related("event", "event__calendar_settings").in_bulk(
        [c.object_id for c in recent if c.kind == CalendarCopy.Kind.EVENT]
    )
    items = []
    for c in recent:
        if c.kind == CalendarCopy.Kind.SESSION and c.object_id in sessions:
            s = sessions[c.object_id]
            event = events[s.event_id]
            item = session_item(s, event=event, sequence=s.revision + c.bump, status="CANCELLED")
            items.append(withdrawn_at(item, c.updated_at))
        elif c.kind == CalendarCopy.Kind.EVENT and c.object_id in regs:
            r = regs[c.object_id]
            item = event_item(r, event=r.event, sequence=event_revision(r.event) + c.bump, status="CANCELLED")
            items.append(withdrawn_at(item, c.updated_at))
    return items


register_provider(EventsProvider())


_FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def feed_owner(token: str) -> tuple[int, str] | None:
    """The active person a feed token belongs to and their language; None for an unknown or rotated token."""
    # Tokens are URL-safe base64; anything else (a NUL, which PostgreSQL refuses outright) cannot match.
    if not _FEED_TOKEN.fullmatch(token):
        return None
    row = scalar_row(
        f"SELECT t.user_id, u.language FROM {FeedToken._meta.db_table} t JOIN {User._meta.db_table} u"
        " ON u.id = t.user_id WHERE t.key = %s AND u.is_active = %s",
        [token, True],
    )
    return (row[0], row[1] or "") if row else None


def personal_feed_validator(user_id: int, token: str, language: str) -> Validator:
    cutoff = cancelled_cutoff()
    # The feed is written in the person's language: a change of language is a change of the feed.
    parts: list[Any] = ["person", user_id, token, language, cutoff.date()]
    stamps: list[datetime | None] = []
    for provider in providers():
        p, s = provider.fingerprint(user_id, cutoff)
        parts.append((provider.name, p))
        stamps.extend(s)
    return make_validator(parts, stamps)


def personal_feed_items(user_id: int) -> list[CalendarItem]:
    cutoff = cancelled_cutoff()
    items: list[CalendarItem] = []
    for provider in providers():
        items.extend(provider.items(user_id, cutoff))
    items.sort(key=lambda i: (i.start, i.uid))
    return items


def person_name(user_id: int) -> str:
    user = User.objects.filter(pk=user_id).only("full_name", "email").first()
    return user.get_full_name() if user else ""
