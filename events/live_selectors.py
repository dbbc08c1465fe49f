"""Reads for live operations: who may see which stream, and the HTTP snapshot of every live page.

Every snapshot reads its streams' `seq` before its data (see `realtime.publish.current_seq`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from events import hooks
from events.live import announcement_payload, session_payload
from events.memberships import membership_granted
from events.models import Announcement, Event, Registration, Session, User
from events.programme_selectors import roadmap_stream_allowed
from events.selectors import event_dashboard_snapshot, is_organiser, programme_session_ids, session_list_visible
from realtime.groups import (
    event_attendees_stream,
    event_control_stream,
    event_dashboard_stream,
    event_public_stream,
    event_role_stream,
    user_stream,
)
from realtime.publish import current_seq

# Live pages show what is running and what comes next, not the whole programme of a training
# course that spans months.
SESSION_LIMIT = 60
ANNOUNCEMENT_LIMIT = 20
MY_DAY_EVENTS = 5

# The event streams that exist, with the number of name parts after the kind.
_STREAM_ARGS = {"public": 0, "attendees": 0, "dashboard": 0, "control": 0, "role": 1, "employer": 1, "gate": 1}
# Event streams only organisers see.
ORGANISER_ONLY = frozenset({"dashboard", "control", "gate"})


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _registration(user: Any, event: Event) -> Registration | None:
    if not _authenticated(user):
        return None
    return Registration.objects.filter(event=event, user=user, status=Registration.Status.REGISTERED).first()


def stream_allowed(*, user: Any, stream: str) -> bool:
    """Whether `user` may see `stream`: the authorisation of every live stream in one place.

    Organisers see every stream of every event; an employer only its own organisation's board; an
    attendee their own stream and their events' attendee and role streams; anyone the public stream
    of a published event. Personal streams are for their person alone, organisers included.
    """
    parts = stream.split(":")
    if parts[0] == "user" and len(parts) == 2:
        return _authenticated(user) and str(user.pk) == parts[1]
    if parts[0] == "programme":
        # A programme's roadmap (programme:<slug>:roadmap:<public|officials>): anyone, or its officials.
        return (
            len(parts) == 4
            and parts[2] == "roadmap"
            and roadmap_stream_allowed(user=user, slug=parts[1], audience=parts[3])
        )
    if parts[0] != "event" or len(parts) < 3:
        return False
    event = Event.objects.filter(slug=parts[1]).first()
    if event is None:
        return False
    kind, rest = parts[2], parts[3:]
    if len(rest) != _STREAM_ARGS.get(kind, -1):
        return False
    if _authenticated(user) and is_organiser(user):
        return True
    if kind in ORGANISER_ONLY:
        return False
    if kind == "public":
        return event.is_public
    registration = _registration(user, event)
    if registration is None:
        return False
    if kind == "attendees":
        return True
    if kind == "role":
        return registration.role == rest[0]
    if kind == "employer":
        # An organisation's board is for its granted members only: naming it at registration is a request.
        return (
            registration.role == Registration.Role.EMPLOYER
            and str(registration.organisation_id) == rest[0]
            and membership_granted(user=user, organisation=registration.organisation_id)
        )
    return False


def live_sessions(*, event: Event, user: Any = None, public_only: bool = False) -> QuerySet[Session]:
    """Sessions still relevant now: running or not yet over (an hour's grace), soonest first.

    With `user`, only those the person may see; with `public_only`, only public ones (lobby screens).
    """
    now = timezone.now()
    qs = session_list_visible(user=user, event=event) if user is not None else event.sessions.all()
    if public_only:
        qs = qs.filter(audience=Session.Audience.PUBLIC)
    qs = qs.select_related("room").filter(Q(status=Session.Status.LIVE) | Q(ends_at__gte=now - timedelta(hours=1)))
    return qs.order_by("starts_at", "id")[:SESSION_LIMIT]


# After today's sessions, the control room shows this many of the next ones.
NEXT_LIMIT = 3


def now_and_next(*, event: Event) -> list[Session]:
    """The control room's sessions: running ones, today's (in the event's zone) not yet over (an hour's
    grace), then the next `NEXT_LIMIT` after today, soonest first. Not the months of a training course."""
    now = timezone.now()
    local = now.astimezone(event.tzinfo)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    sessions = event.sessions.select_related("room").order_by("starts_at", "id")
    not_over_today = Q(ends_at__gte=now - timedelta(hours=1), starts_at__lt=tomorrow)
    today = list(sessions.filter(Q(status=Session.Status.LIVE) | not_over_today)[:SESSION_LIMIT])
    shown = {s.pk for s in today}
    later = list(sessions.filter(starts_at__gte=tomorrow).exclude(pk__in=shown)[:NEXT_LIMIT])
    return today + later


def _announcements(qs: QuerySet[Announcement]) -> list[dict[str, Any]]:
    return [announcement_payload(a) for a in qs.select_related("event")[:ANNOUNCEMENT_LIMIT]]


def _event_info(event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "title": event.title,
        "timezone": event.timezone,
        "venue": event.venue,
        "status": event.status,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
    }


def _public_counts(event: Event) -> dict[str, int]:
    """Registered and, where the check-in app provides it, present now: numbers, no names."""
    counts = {"registered": event.registrations.filter(status=Registration.Status.REGISTERED).count()}
    present = hooks.figure("present_count")
    if present is not None:
        counts["present"] = present(event=event)
    return counts


def meeting_counts(*, event: Event) -> dict[str, int] | None:
    """Meetings booked, in progress, held and no-shows, where the matching app provides them (else None).

    "Booked" and "in progress" move with the clock as well as with changes, so pages that show them
    refresh the snapshot now and then besides the pushed `meetings.counts`.
    """
    counts = hooks.figure("meeting_counts")
    return counts(event=event) if counts is not None else None


def session_attendance(*, sessions: list[Session]) -> dict[str, dict[str, int | None]]:
    """Per session (keyed by its id as a string): people inside now, checked in so far, and its capacity.

    Empty where the check-in app provides no attendance.
    """
    attendance = hooks.figure("session_attendance")
    if not sessions or attendance is None:
        return {}
    rows = attendance(session_ids=[s.pk for s in sessions])
    result: dict[str, dict[str, int | None]] = {}
    for session in sessions:
        present, arrived = rows.get(session.pk, (0, 0))
        result[str(session.pk)] = {"present": present, "arrived": arrived, "capacity": session.capacity}
    return result


# The control room's chart of arrivals over time: the last three hours up to the latest arrival.
ARRIVAL_SLOTS = 36
SLOT_SECONDS = 300


def _arrival_slots(buckets: list[dict[str, Any]], event: Event) -> list[tuple[datetime, int]]:
    """Five-minute slots from the earliest shown to the latest with an arrival, the empty ones included.

    Each slot's start is made as the check-in app makes it (from the Unix time, in the event's zone), so
    its ISO text is the key a pushed `checkin.counts` names it by.
    """
    seen = {int(datetime.fromisoformat(b["start"]).timestamp()): int(b["arrivals"]) for b in buckets}
    if not seen:
        return []
    last = max(seen)
    first = max(min(seen), last - (ARRIVAL_SLOTS - 1) * SLOT_SECONDS)
    tz = event.tzinfo
    return [(datetime.fromtimestamp(ts, tz), seen.get(ts, 0)) for ts in range(first, last + 1, SLOT_SECONDS)]


def arrival_figures(*, event: Event) -> dict[str, Any]:
    """Arrivals so far by gate, by role (in the roles' order) and per five minutes, for the control room's charts.

    Empty where the check-in app provides no arrivals. Read-only: the check-in app's grouped counts.
    """
    provider = hooks.figure("arrival_counts")
    counts = provider(event=event) if provider is not None else {}
    by_role = counts.get("by_role", {})
    order = [role for role in Registration.Role.values if role in by_role] + sorted(
        role for role in by_role if role not in Registration.Role.values
    )
    return {
        "by_gate": sorted(counts.get("by_gate", {}).items()),
        "by_role": [(role, by_role[role]) for role in order],
        "per_5_minutes": _arrival_slots(counts.get("per_5_minutes", []), event),
    }


def screen_snapshot(*, event: Event) -> dict[str, Any]:
    """The lobby screen: public sessions now and next, announcements to everyone, counts. Public data only."""
    seq = current_seq(event_public_stream(event.slug))
    sessions = [session_payload(s) for s in live_sessions(event=event, public_only=True)]
    return {
        "seq": seq,
        "event": _event_info(event),
        "sessions": sessions,
        "announcements": _announcements(event.announcements.filter(audience=Announcement.Audience.EVENT)),
        "counts": _public_counts(event),
        "now": timezone.now().isoformat(),
    }


def control_snapshot(*, event: Event) -> dict[str, Any]:
    """The organisers' control room: sessions now and next with their attendance, every announcement,
    the dashboard and meeting figures."""
    seqs = {
        event_control_stream(event.slug): current_seq(event_control_stream(event.slug)),
        event_dashboard_stream(event.slug): current_seq(event_dashboard_stream(event.slug)),
    }
    sessions = now_and_next(event=event)
    return {
        "seqs": seqs,
        "event": _event_info(event),
        "rooms": [{"id": r.pk, "name": r.name} for r in event.rooms.order_by("name")],
        "sessions": [session_payload(s) for s in sessions],
        "attendance": session_attendance(sessions=sessions),
        "announcements": _announcements(event.announcements.all()),
        "dashboard": event_dashboard_snapshot(event=event),
        "meetings": meeting_counts(event=event),
        "now": timezone.now().isoformat(),
    }


def _my_registrations(user: User) -> list[Registration]:
    cutoff = timezone.now() - timedelta(days=1)
    return list(
        Registration.objects.filter(
            user=user,
            status__in=[Registration.Status.REGISTERED, Registration.Status.INVITED, Registration.Status.WAITLISTED],
            event__ends_at__gte=cutoff,
        )
        .exclude(event__status__in=[Event.Status.DRAFT, Event.Status.CLOSED])
        .select_related("event")
        .order_by("event__starts_at")[:MY_DAY_EVENTS]
    )


def my_day_streams(*, user: User) -> list[str]:
    """The streams of a person's "My day" page: their own, and per event what their registration allows."""
    streams = [user_stream(user.pk)]
    for registration in _my_registrations(user):
        slug = registration.event.slug
        streams.append(event_public_stream(slug))
        if registration.status == Registration.Status.REGISTERED:
            streams.append(event_attendees_stream(slug))
            streams.append(event_role_stream(slug, registration.role))
    return streams


def my_day_snapshot(*, user: User) -> dict[str, Any]:
    """A person's day: their events, the sessions they may see (theirs marked), and announcements for them."""
    streams = my_day_streams(user=user)
    seqs = {stream: current_seq(stream) for stream in streams}
    events = []
    for registration in _my_registrations(user):
        event = registration.event
        # The person's programme as their calendar has it: chosen, plus what their role gives them.
        chosen, given = programme_session_ids(registration=registration)
        mine = chosen | given
        audience = Q(audience=Announcement.Audience.EVENT)
        if registration.status == Registration.Status.REGISTERED:
            audience |= Q(audience=Announcement.Audience.ROLE, role=registration.role)
            audience |= Q(audience=Announcement.Audience.SESSION, session_id__in=mine)
        events.append(
            {
                "event": _event_info(event),
                "registration": {"id": registration.pk, "role": registration.role, "status": registration.status},
                "my_sessions": sorted(mine),
                "chosen_sessions": sorted(chosen),
                "sessions": [session_payload(s) for s in live_sessions(event=event, user=user)],
                "announcements": _announcements(event.announcements.filter(audience)),
            }
        )
    return {"seqs": seqs, "user": {"id": user.pk, "language": user.language}, "events": events}
