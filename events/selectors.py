"""Reads: what a given user may see."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from events.models import ApiToken, Event, Organisation, Registration, Session, User
from realtime.groups import event_dashboard_stream
from realtime.publish import current_seq


def api_token_from_raw(raw: str) -> ApiToken | None:
    """The unrevoked token of an active user with this secret (its user loaded), else None. Only
    reads: `services.api_token_used` records use, on requests that change something."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def user_from_api_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown or revoked token."""
    token = api_token_from_raw(raw)
    return token.user if token is not None else None


def api_token_label(raw: str) -> str:
    """How a consent names the API client it came through: the token's name and prefix, never the secret."""
    if not raw or len(raw) > 200 or not raw.isascii():
        return "api"
    token = ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).only("name", "prefix").first()
    if token is None:
        return "api"
    return f"api token {token.prefix}: {token.name}"[:200]


def is_organiser(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


def event_list_visible(*, user: Any) -> QuerySet[Event]:
    """Organisers see every event; everyone else sees published, live and closed ones."""
    qs = Event.objects.select_related("programme")
    if is_organiser(user):
        return qs
    return qs.exclude(status=Event.Status.DRAFT)


# What Event.slug can hold. Anything else cannot name an event, and some of it (a NUL) PostgreSQL
# refuses outright, so it never reaches the query.
_EVENT_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def event_get_visible(*, user: Any, slug: str) -> Event | None:
    if not isinstance(slug, str) or not _EVENT_SLUG.fullmatch(slug):
        return None
    return event_list_visible(user=user).filter(slug=slug).first()


def is_official_at(*, user: Any, event: Event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(
        event=event, user=user, role=Registration.Role.OFFICIAL, status=Registration.Status.REGISTERED
    ).exists()


def is_registered_at(*, user: Any, event: Event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(event=event, user=user, status=Registration.Status.REGISTERED).exists()


def session_list_visible(*, user: Any, event: Event) -> QuerySet[Session]:
    """Public sessions for all; registered-only for registered people; officials-only for officials."""
    qs = event.sessions.select_related("room").order_by("starts_at", "id")
    if is_organiser(user):
        return qs
    audiences = [Session.Audience.PUBLIC]
    if is_registered_at(user=user, event=event):
        audiences.append(Session.Audience.REGISTERED)
    if is_official_at(user=user, event=event):
        audiences.append(Session.Audience.OFFICIALS)
    return qs.filter(audience__in=audiences)


def attendee_list_public(*, event: Event) -> QuerySet[Registration]:
    """People who agreed to appear in attendee lists. Nobody else, ever.

    `organisation_granted` says whether the organisation beside a name may be shown: only a granted
    member's, so nobody appears as "Baltic Code UAB" for having typed it."""
    from events.memberships import granted_exists

    return (
        event.registrations.filter(status=Registration.Status.REGISTERED, consent_attendee_list=True)
        .select_related("user", "organisation")
        .annotate(organisation_granted=granted_exists())
        .order_by("user__full_name")
    )


def event_dashboard_snapshot(*, event: Event) -> dict[str, Any]:
    """Registrations by role and status: the organiser dashboard's HTTP snapshot."""
    # The seq is read before the data (see realtime.publish.current_seq).
    seq = current_seq(event_dashboard_stream(event.slug))
    rows = event.registrations.values("role", "status").annotate(n=Count("id"))
    by_role: dict[str, dict[str, int]] = {}
    by_status: dict[str, int] = dict.fromkeys(Registration.Status.values, 0)
    for row in rows:
        by_role.setdefault(row["role"], {})[row["status"]] = row["n"]
        by_status[row["status"]] += row["n"]
    seated = event.registrations.filter(status=Registration.Status.REGISTERED).count()
    return {
        "event": event.slug,
        "seq": seq,
        "capacity": event.capacity,
        "registered": seated,
        "by_status": by_status,
        "by_role": by_role,
        "total": sum(by_status.values()),
    }


def registrations_for_user(*, user: User) -> QuerySet[Registration]:
    return Registration.objects.filter(user=user).select_related("event", "organisation").order_by("event__starts_at")


def seated_count(*, event: Event) -> int:
    return event.registrations.filter(Q(status=Registration.Status.REGISTERED)).count()


def event_list_upcoming(*, user: Any) -> QuerySet[Event]:
    """Events a visitor can still attend (published or live, not yet over), soonest first."""
    statuses = [Event.Status.PUBLISHED, Event.Status.LIVE]
    if is_organiser(user):
        statuses.append(Event.Status.DRAFT)
    return (
        event_list_visible(user=user)
        .filter(status__in=statuses, ends_at__gte=timezone.now())
        .order_by("starts_at", "id")
    )


def registration_get(*, pk: Any) -> Registration | None:
    if not isinstance(pk, int):
        return None
    return Registration.objects.select_related("event", "user", "organisation").filter(pk=pk).first()


def registration_get_for_user(*, user: Any, pk: int) -> Registration | None:
    """The user's own registration, or None (someone else's registration is never returned)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return registrations_for_user(user=user).select_related("user").filter(pk=pk).first()


def organisation_match(*, name: str) -> Organisation | None:
    """A known organisation whose name matches, ignoring case, so a self-registration joins it."""
    name = " ".join(name.split())
    if not name:
        return None
    return Organisation.objects.filter(name__iexact=name).order_by("id").first()


def programme_session_ids(*, registration: Registration) -> tuple[set[int], set[int]]:
    """The sessions in a person's calendar: (chosen, given). `chosen` they added and may remove;
    `given` come with their role (officials-only sessions for a seated official), as in the personal feed."""
    chosen = set(registration.sessions.values_list("id", flat=True))
    given: set[int] = set()
    if registration.status == Registration.Status.REGISTERED and registration.role == Registration.Role.OFFICIAL:
        given = set(
            Session.objects.filter(event_id=registration.event_id, audience=Session.Audience.OFFICIALS).values_list(
                "id", flat=True
            )
        )
    return chosen, given - chosen


def programme_sessions(*, registration: Registration) -> QuerySet[Session]:
    """A person's programme: the sessions they chose and those their role gives them, soonest first."""
    chosen, given = programme_session_ids(registration=registration)
    return Session.objects.filter(pk__in=chosen | given).select_related("room").order_by("starts_at", "id")


def session_seats_taken(*, event: Event) -> dict[int, int]:
    """Per session with a capacity: how many people with a confirmed place chose it."""
    rows = (
        Registration.sessions.through.objects.filter(
            session__event=event, session__capacity__isnull=False, registration__status=Registration.Status.REGISTERED
        )
        .values("session_id")
        .annotate(n=Count("id"))
    )
    return {row["session_id"]: row["n"] for row in rows}
