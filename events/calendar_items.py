"""Reads for calendars: items of an event, a track or a room, cheap validators, and the provider registry.

The personal feed gathers items from a registry of providers, so other apps add theirs without
touching this module: the matching app registers its job-fair meetings with `register_provider`
from its AppConfig.ready(). A provider answers two questions: a cheap fingerprint of everything its
items depend on (for ETag / 304 without rendering) and the items themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from events.ical import CalendarItem, registration_uid, session_uid, uid_host
from events.models import Event, Registration, Session

# A cancelled item stays in feeds this long as STATUS:CANCELLED, so every subscriber sees it go.
CANCELLED_KEPT = timedelta(days=30)
# Registrations that put the event in the person's calendar.
ACTIVE = (Registration.Status.REGISTERED, Registration.Status.INVITED)


def host() -> str:
    return _host(settings.SITE_URL)


@lru_cache(maxsize=8)
def _host(site_url: str) -> str:
    return uid_host(site_url)


def cancelled_cutoff(now: datetime | None = None) -> datetime:
    """Cancelled items updated before this are dropped. Whole UTC days, so a feed is stable within a day."""
    now = now or timezone.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0) - CANCELLED_KEPT


def event_page_url(event: Event) -> str:
    return _page_url(settings.SITE_URL, event.slug)


@lru_cache(maxsize=1024)
def _page_url(site_url: str, slug: str) -> str:
    # Cached: a 2,000-session feed would otherwise spend a fifth of its time in reverse().
    return site_url + reverse("events:detail", args=[slug])


@dataclass(frozen=True, slots=True)
class SessionRow:
    """The columns of a session a calendar needs, read without building model instances.

    Instantiating 2,000 Session and Room objects costs more than rendering them; feeds read rows.
    """

    pk: int
    event_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    speakers: str
    description: str
    room_name: str | None
    track: str
    revision: int
    updated_at: datetime
    audience: str


# SessionRow's fields as model columns, room name last (it comes through a join).
_SESSION_COLUMNS = tuple("id" if f == "pk" else f for f in SessionRow.__slots__ if f != "room_name")


def session_rows(sessions: QuerySet[Session]) -> list[SessionRow]:
    return [SessionRow(*row[:8], row[-1], *row[8:-1]) for row in sessions.values_list(*_SESSION_COLUMNS, "room__name")]


def _location(session: SessionRow, event: Event) -> str:
    return ", ".join(part for part in (session.room_name, event.venue, event.address) if part)


def session_item(session: SessionRow, *, event: Event, sequence: int, status: str | None = None) -> CalendarItem:
    cancelled = session.status == Session.Status.CANCELLED
    description = "\n\n".join(part for part in (session.speakers, session.description) if part)
    return CalendarItem(
        uid=session_uid(session.pk, host()),
        sequence=sequence,
        summary=session.title,
        start=session.starts_at,
        end=session.ends_at,
        tzid=event.timezone,
        dtstamp=session.updated_at,
        last_modified=session.updated_at,
        status=status or ("CANCELLED" if cancelled else "CONFIRMED"),
        location=_location(session, event),
        description=description,
        url=event_page_url(event),
        categories=(session.track,) if session.track else (),
    )


def withdrawn_at(item: CalendarItem, when: datetime) -> CalendarItem:
    """The item as withdrawn from one person at `when`: its stamps say when it changed for them."""
    stamp = max(item.last_modified or when, when)
    return dataclasses.replace(item, dtstamp=stamp, last_modified=stamp)


def is_all_day(event: Event) -> bool:
    """An event spanning several days shows as an all-day block rather than one long meeting."""
    tz = event.tzinfo
    return event.starts_at.astimezone(tz).date() != event.ends_at.astimezone(tz).date()


def event_item(registration: Registration, *, event: Event, sequence: int, status: str | None = None) -> CalendarItem:
    if status is None:
        status = {
            Registration.Status.REGISTERED: "CONFIRMED",
            Registration.Status.INVITED: "TENTATIVE",
        }.get(registration.status, "CANCELLED")
    stamp = max(event.updated_at, registration.updated_at)
    return CalendarItem(
        uid=registration_uid(event.pk, registration.pk, host()),
        sequence=sequence,
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        tzid=event.timezone,
        dtstamp=stamp,
        last_modified=stamp,
        status=status,
        all_day=is_all_day(event),
        location=", ".join(part for part in (event.venue, event.address) if part),
        description=event.description,
        url=event_page_url(event),
    )


def event_revision(event: Event) -> int:
    calendar_settings = getattr(event, "calendar_settings", None)
    return calendar_settings.revision if calendar_settings is not None else 0


# --- Public event feeds: public sessions of one event, optionally one track or one room ---


def event_feed_sessions(event: Event, *, track: str | None = None, room_id: int | None = None) -> QuerySet[Session]:
    qs = event.sessions.filter(audience=Session.Audience.PUBLIC).exclude(
        status=Session.Status.CANCELLED, updated_at__lt=cancelled_cutoff()
    )
    if track is not None:
        qs = qs.filter(track=track)
    if room_id is not None:
        qs = qs.filter(room_id=room_id)
    return qs


def track_slug(track: str) -> str:
    """A track's name in URLs. Unicode letters stay: a track named only in Arabic keeps a URL of its own."""
    return slugify(track, allow_unicode=True)


def track_named(event: Event, slug: str) -> str | None:
    """The public track whose slug is `slug` (tracks are free text; URLs carry their slug).

    Only tracks of public sessions count: a track of officials-only sessions has no feed, so its
    URL answers 404 exactly like a track that does not exist.
    """
    public = event.sessions.filter(audience=Session.Audience.PUBLIC).exclude(track="")
    for track in public.values_list("track", flat=True).distinct():
        if track_slug(track) == slug:
            return track
    return None


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None


def make_validator(parts: list[Any], stamps: list[datetime | None]) -> Validator:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    known = [s for s in stamps if s is not None]
    return Validator(etag=f'"{digest}"', last_modified=max(known) if known else None)


def as_datetime(value: Any) -> datetime | None:
    """A timestamp from raw SQL: SQLite gives text or a naive UTC datetime, PostgreSQL an aware one."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def scalar_row(sql: str, params: list[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def event_feed_state(
    slug: str, *, track: str | None = None, room_id: int | None = None
) -> tuple[int, str, Validator] | None:
    """The event's id, status and feed validator from one query: the whole 304 path.

    Raw SQL because the ORM's query compilation alone costs more than the 5 ms budget's share.
    """
    cutoff = cancelled_cutoff()
    cond = "s.event_id = e.id AND s.audience = %s AND NOT (s.status = %s AND s.updated_at < %s)"
    extra: list[Any] = [
        Session.Audience.PUBLIC,
        Session.Status.CANCELLED,
        connection.ops.adapt_datetimefield_value(cutoff),
    ]
    if track is not None:
        cond += " AND s.track = %s"
        extra.append(track)
    if room_id is not None:
        cond += " AND s.room_id = %s"
        extra.append(room_id)
    sessions, events = Session._meta.db_table, Event._meta.db_table
    row = scalar_row(
        f"SELECT e.id, e.status, e.updated_at, (SELECT COUNT(*) FROM {sessions} s WHERE {cond}),"
        f" (SELECT MAX(s.updated_at) FROM {sessions} s WHERE {cond}) FROM {events} e WHERE e.slug = %s",
        [*extra, *extra, slug],
    )
    if row is None:
        return None
    event_id, status, updated, count, latest = row
    updated, latest = as_datetime(updated), as_datetime(latest)
    parts = ["event", event_id, track, room_id, updated, count, latest, cutoff.date()]
    return event_id, status, make_validator(parts, [updated, latest])


def event_feed_items(event: Event, sessions: QuerySet[Session]) -> list[CalendarItem]:
    return [session_item(s, event=event, sequence=s.revision) for s in session_rows(sessions.order_by("starts_at"))]


# --- The personal feed and invitations: what one person is in ---


class ItemProvider(Protocol):
    name: str

    def fingerprint(self, user_id: int, cutoff: datetime) -> tuple[list[Any], list[datetime | None]]:
        """Cheap aggregates that change whenever the provider's items change."""

    def items(self, user_id: int, cutoff: datetime) -> list[CalendarItem]:
        """The person's items, cancelled ones updated since `cutoff` included as CANCELLED."""


_PROVIDERS: dict[str, ItemProvider] = {}


def register_provider(provider: ItemProvider) -> None:
    _PROVIDERS[provider.name] = provider


def providers() -> list[ItemProvider]:
    return list(_PROVIDERS.values())


def upcoming_sessions_starting(*, after: datetime, before: datetime) -> QuerySet[Session]:
    """Sessions starting in a window, not cancelled and not already ended early (for reminders)."""
    return (
        Session.objects.filter(starts_at__gt=after, starts_at__lte=before)
        .exclude(status__in=[Session.Status.CANCELLED, Session.Status.ENDED])
        .select_related("event", "event__calendar_settings", "room")
    )


def attendees_of(session: Session) -> QuerySet[Registration]:
    """Seated people who have the session in their calendar: its programme, or officials for officials-only."""
    condition = Q(sessions=session)
    if session.audience == Session.Audience.OFFICIALS:
        condition |= Q(role=Registration.Role.OFFICIAL)
    return (
        Registration.objects.filter(event_id=session.event_id, status=Registration.Status.REGISTERED)
        .filter(condition)
        .select_related("user")
        .distinct()
    )


# Action items' due dates, for the members of their lead organisation (issue 12).
from events.action_calendar import ActionItemsProvider  # noqa: E402

register_provider(ActionItemsProvider())

# Follow-ups with a programme's stakeholders, for their owner (issue 13).
from events.stakeholder_calendar import FollowUpsProvider  # noqa: E402

register_provider(FollowUpsProvider())
