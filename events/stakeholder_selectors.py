"""Reads for a programme's stakeholders: who may see them, the directory, one timeline, coverage.

Least privilege: the directory names people and what was said to them, so only organisers (staff)
and the programme's own staff see it. Programme staff are the granted members of its lead and
implementing partner organisations; officials of other partners, employers and candidates see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from events import hooks
from events.memberships import granted_organisation_ids
from events.models import (
    FollowUp,
    Interaction,
    Membership,
    Programme,
    ProgrammePartner,
    QuestionnaireResponse,
    Registration,
    Stakeholder,
    User,
)
from events.selectors import is_organiser

STAFF_ROLES = (ProgrammePartner.Role.LEAD, ProgrammePartner.Role.IMPLEMENTING)
KINDS = [value for value, _label in Stakeholder.Kind.choices]
# The "last contact" filter: none yet, or within / not within the last N days.
LAST_CONTACT_CHOICES = ("never", "30", "90", "older90")


def may_see_stakeholders(*, user: Any, programme: Programme) -> bool:
    """Organisers, and granted members of the programme's lead and implementing partners."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if is_organiser(user):
        return True
    staff_orgs = set(programme.partnerships.filter(role__in=STAFF_ROLES).values_list("organisation_id", flat=True))
    return bool(staff_orgs & granted_organisation_ids(user=user))


def programme_people(*, programme: Programme) -> list[User]:
    """Who may be listed as taking part or own a follow-up: organisers and programme staff, by name."""
    staff_orgs = programme.partnerships.filter(role__in=STAFF_ROLES).values_list("organisation_id", flat=True)
    granted = Membership.objects.filter(organisation_id__in=staff_orgs, status=Membership.Status.GRANTED)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(pk__in=granted.values("user_id")))
        .order_by("full_name", "email")
    )


@dataclass
class DirectoryFilters:
    kind: str = ""
    country: str = ""
    city: str = ""
    last_contact: str = ""
    open_follow_ups: bool = False
    tag: str = ""
    errors: list[str] = field(default_factory=list)


def stakeholders_annotated(*, programme: Programme) -> QuerySet[Stakeholder]:
    today = timezone.localdate()
    return programme.stakeholders.annotate(
        last_contact=Max("interactions__happened_on"),
        open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True), distinct=True),
        overdue_follow_ups=Count(
            "follow_ups", filter=Q(follow_ups__done_at__isnull=True, follow_ups__due_on__lt=today), distinct=True
        ),
        contact_count=Count("contacts", distinct=True),
    )


def directory(*, programme: Programme, filters: DirectoryFilters, today: date | None = None) -> list[Stakeholder]:
    """The programme's stakeholders matching the (already validated) filters, by name."""
    today = today or timezone.localdate()
    qs = stakeholders_annotated(programme=programme)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.city:
        qs = qs.filter(city__iexact=filters.city)
    if filters.open_follow_ups:
        qs = qs.filter(open_follow_ups__gt=0)
    if filters.last_contact == "never":
        qs = qs.filter(last_contact__isnull=True)
    elif filters.last_contact in ("30", "90"):
        qs = qs.filter(last_contact__gte=today - timezone.timedelta(days=int(filters.last_contact)))
    elif filters.last_contact == "older90":
        qs = qs.filter(last_contact__lt=today - timezone.timedelta(days=90))
    rows = list(qs.order_by("name", "id"))
    if filters.tag:
        rows = [s for s in rows if filters.tag in (s.tags or [])]
    return rows


def filter_options(*, programme: Programme) -> dict[str, list[str]]:
    qs = programme.stakeholders.all()
    return {
        "countries": sorted(set(qs.values_list("country", flat=True))),
        "cities": sorted({c for c in qs.values_list("city", flat=True) if c}),
    }


def stakeholder_get(*, programme: Programme, pk: int) -> Stakeholder | None:
    return programme.stakeholders.filter(pk=pk).first()


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # "interaction", "follow_up" or "event"
    item: Any
    overdue: bool = False


@dataclass
class AttendedEvent:
    """One of the programme's events that the stakeholder's people registered for (computed, never stored)."""

    event: Any
    registered: int = 0
    checked_in: int = 0
    people: list[str] = field(default_factory=list)  # names of the stakeholder's contacts among them


def stakeholder_registrations(*, stakeholder: Stakeholder) -> QuerySet[Registration]:
    """Seated registrations at the programme's events of the stakeholder's people: accounts linked to its
    contacts, and people who registered for the organisation of the same name and country (chosen or typed)."""
    user_ids = list(stakeholder.contacts.exclude(user=None).values_list("user_id", flat=True))
    ours = (
        Q(user_id__in=user_ids)
        | Q(organisation__name__iexact=stakeholder.name, organisation__country=stakeholder.country)
        | Q(organisation__isnull=True, organisation_name__iexact=stakeholder.name)
    )
    return (
        Registration.objects.filter(event__programme_id=stakeholder.programme_id, status__in=Registration.SEATED)
        .filter(ours)
        .select_related("event", "user")
    )


def attended_events(*, stakeholder: Stakeholder) -> list[AttendedEvent]:
    """The programme's events the stakeholder's people registered for, with how many came through the door.

    Check-ins belong to checkin, which events may not import: they come through the `first_arrivals`
    figure (events/hooks.py); without the checkin app, nobody counts as checked in.
    """
    registrations = list(stakeholder_registrations(stakeholder=stakeholder))
    if not registrations:
        return []
    provider = hooks.figure("first_arrivals")
    arrived = provider(registration_ids=[r.pk for r in registrations]) if provider else {}
    contact_names = dict(stakeholder.contacts.exclude(user=None).values_list("user_id", "name"))
    by_event: dict[int, AttendedEvent] = {}
    for registration in registrations:
        row = by_event.setdefault(registration.event_id, AttendedEvent(event=registration.event))
        row.registered += 1
        row.checked_in += registration.pk in arrived
        name = contact_names.get(registration.user_id)
        if name and name not in row.people:
            row.people.append(name)
    return sorted(by_event.values(), key=lambda a: a.event.starts_at, reverse=True)


def timeline(*, stakeholder: Stakeholder, today: date | None = None) -> list[TimelineEntry]:
    """Interactions, follow-ups and events attended, newest first; open follow-ups past their date are
    flagged overdue. Events are found from registrations and check-ins each time: nothing is written."""
    today = today or timezone.localdate()
    entries: list[TimelineEntry] = []
    for attended in attended_events(stakeholder=stakeholder):
        day = attended.event.starts_at.astimezone(attended.event.tzinfo).date()
        entries.append(TimelineEntry(day, "event", attended))
    interactions = Interaction.objects.filter(stakeholder=stakeholder).prefetch_related("staff", "contacts")
    for interaction in interactions:
        entries.append(TimelineEntry(interaction.happened_on, "interaction", interaction))
    for follow_up in FollowUp.objects.filter(stakeholder=stakeholder).select_related("owner"):
        overdue = follow_up.done_at is None and follow_up.due_on < today
        entries.append(TimelineEntry(follow_up.due_on, "follow_up", follow_up, overdue))
    order = {"follow_up": 2, "interaction": 1, "event": 0}
    return sorted(entries, key=lambda e: (e.day, order[e.kind]), reverse=True)


def coverage(*, programme: Programme) -> list[dict[str, Any]]:
    """For each type: how many stakeholders are listed, how many have been reached (one interaction or
    more) and how many answered (submitted a response to one of the programme's questionnaires)."""
    listed = dict(programme.stakeholders.values_list("kind").annotate(n=Count("id")))
    reached = dict(
        programme.stakeholders.filter(interactions__isnull=False)
        .values_list("kind")
        .annotate(n=Count("id", distinct=True))
    )
    submitted = QuestionnaireResponse.objects.filter(
        questionnaire__programme=programme, submitted_at__isnull=False
    ).values("stakeholder_id")
    answered = dict(
        programme.stakeholders.filter(pk__in=submitted).values_list("kind").annotate(n=Count("id", distinct=True))
    )
    rows = []
    for value, label in Stakeholder.Kind.choices:
        total = listed.get(value, 0)
        hit = reached.get(value, 0)
        answers = answered.get(value, 0)
        rows.append(
            {
                "kind": value,
                "label": label,
                "listed": total,
                "reached": hit,
                "percent": round(100 * hit / total) if total else 0,
                "answered": answers,
                "answered_percent": round(100 * answers / total) if total else 0,
            }
        )
    return rows


def open_follow_ups_for(*, user: Any) -> QuerySet[FollowUp]:
    """The person's open follow-ups, soonest first (for "my day" and their calendar feed)."""
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(owner=user, done_at__isnull=True)
        .select_related("stakeholder__programme")
        .order_by("due_on", "id")
    )
