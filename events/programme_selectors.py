"""Reads for programmes, minutes and action items: who may see what, and the roadmap.

Who is who in a programme:
- organisers (staff) see and manage everything;
- an *official* of a programme is a granted member of one of its partner organisations, or an
  official registered (status registered) at one of its dialogue events, who is a granted member
  of the institution their registration names, if it names one (as matching.selectors.official_at);
- a *rapporteur* is someone organisers assigned to write the minutes of a session or meeting of
  one of the programme's events;
- the *lead* of an action item is any granted member of its lead organisation.

Officials, rapporteurs and organisers see every action item; everyone else only public ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.memberships import granted_exists, granted_organisation_ids, membership_granted
from events.models import ActionItem, ActionItemUpdate, Event, Minutes, Programme, Registration, Session
from events.selectors import is_organiser
from realtime.groups import roadmap_stream
from realtime.publish import current_seq

STATUSES = [value for value, _label in ActionItem.Status.choices]


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def programme_get(*, slug: str) -> Programme | None:
    return Programme.objects.filter(slug=slug).first()


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("partnerships__organisation").order_by("-starts_on", "name")


def programme_events(*, programme: Programme, user: Any) -> list[Event]:
    """The programme's events the person may see (organisers: drafts too)."""
    qs = programme.events.all().order_by("starts_at", "id")
    if not is_organiser(user):
        qs = qs.exclude(status=Event.Status.DRAFT)
    return list(qs)


def partners_by_country(*, programme: Programme) -> list[tuple[str, list[Any]]]:
    """[(country, [ProgrammePartner, …]), …], countries in alphabetical order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for partner in programme.partnerships.select_related("organisation").order_by("country", "organisation__name"):
        grouped[partner.country].append(partner)
    return sorted(grouped.items())


def is_rapporteur(*, user: Any, programme: Programme) -> bool:
    """Someone assigned to write minutes of a session or bilateral meeting of the programme's events."""
    if not _authenticated(user):
        return False
    return Minutes.objects.filter(
        Q(session__event__programme=programme) | Q(meeting__event__programme=programme), rapporteur=user
    ).exists()


def is_programme_official(*, user: Any, programme: Programme) -> bool:
    """A granted member of a partner institution, or a registered official of one of its dialogues."""
    if not _authenticated(user):
        return False
    partner_orgs = set(programme.partnerships.values_list("organisation_id", flat=True))
    if partner_orgs & granted_organisation_ids(user=user):
        return True
    return (
        Registration.objects.filter(
            user=user,
            event__programme=programme,
            event__kind=Event.Kind.DIALOGUE,
            role=Registration.Role.OFFICIAL,
            status=Registration.Status.REGISTERED,
        )
        .filter(Q(organisation__isnull=True) | granted_exists())
        .exists()
    )


def sees_officials_items(*, user: Any, programme: Programme) -> bool:
    return (
        is_organiser(user)
        or is_programme_official(user=user, programme=programme)
        or is_rapporteur(user=user, programme=programme)
    )


def may_edit_actions(*, user: Any, programme: Programme) -> bool:
    """Organisers and the programme's rapporteurs create and edit action items."""
    return is_organiser(user) or is_rapporteur(user=user, programme=programme)


def is_lead(*, user: Any, item: ActionItem) -> bool:
    return item.lead_organisation_id is not None and membership_granted(
        user=user, organisation=item.lead_organisation_id
    )


def actions_visible(*, user: Any, programme: Programme) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(programme=programme)
    if not sees_officials_items(user=user, programme=programme):
        leads = granted_organisation_ids(user=user)
        qs = qs.filter(Q(visibility=ActionItem.Visibility.PUBLIC) | Q(lead_organisation_id__in=leads))
    return qs.select_related("lead_organisation", "programme").prefetch_related("partners")


def action_visible(*, user: Any, pk: int) -> ActionItem | None:
    """The item if the person may see it: public, or they see officials' items, or they lead it."""
    item = ActionItem.objects.select_related("programme", "lead_organisation").filter(pk=pk).first()
    if item is None:
        return None
    if item.visibility == ActionItem.Visibility.PUBLIC or is_lead(user=user, item=item):
        return item
    return item if sees_officials_items(user=user, programme=item.programme) else None


def action_updates(*, item: ActionItem) -> QuerySet[ActionItemUpdate]:
    return item.updates.select_related("author").order_by("created_at", "id")


def is_overdue(item: ActionItem, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    open_statuses = (ActionItem.Status.PROPOSED, ActionItem.Status.AGREED, ActionItem.Status.IN_PROGRESS)
    return item.due_date is not None and item.due_date < today and item.status in open_statuses


def organisation_brief(org: Any) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name, "country": org.country}


def action_payload(item: ActionItem, today: date | None = None) -> dict[str, Any]:
    """An action item as the API, the roadmap stream and the roadmap page show it."""
    return {
        "id": item.pk,
        "programme": item.programme.slug,
        "title": item.title,
        "description": item.description,
        "theme": item.theme,
        "lead_country": item.lead_country,
        "lead_organisation": organisation_brief(item.lead_organisation),
        "partners": [organisation_brief(o) for o in sorted(item.partners.all(), key=lambda o: o.name)],
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "status": item.status,
        "dropped_reason": item.dropped_reason,
        "visibility": item.visibility,
        "source_session": item.source_session_id,
        "source_meeting": item.source_meeting_id,
        "overdue": is_overdue(item, today),
        "updated_at": item.updated_at.isoformat(),
    }


def _matches(item: dict[str, Any], *, country: str = "", theme: str = "", status: str = "") -> bool:
    return (
        (not country or item["lead_country"] == country)
        and (not theme or item["theme"] == theme)
        and (not status or item["status"] == status)
    )


def roadmap(*, programme: Programme, user: Any, country: str = "", theme: str = "", status: str = "") -> dict[str, Any]:
    """The roadmap: items by theme (each with its counts by status), counts and overdue items overall.

    Carries the `seqs` of the roadmap stream the person gets (read before the items, see
    realtime.publish.current_seq), so it is also that stream's snapshot.
    """
    stream = roadmap_stream_for(user=user, programme=programme)
    seqs = {stream: current_seq(stream)}
    today = timezone.localdate()
    items = [
        action_payload(i, today) for i in actions_visible(user=user, programme=programme).order_by("due_date", "id")
    ]
    items = [i for i in items if _matches(i, country=country, theme=theme, status=status)]
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_theme[item["theme"]].append(item)
    themes = [
        {"theme": name, "items": rows, "counts": _counts(rows)}
        for name, rows in sorted(by_theme.items(), key=lambda kv: (kv[0] == "", kv[0].casefold()))
    ]
    return {
        "programme": programme.slug,
        "themes": themes,
        "counts": _counts(items),
        "overdue": sum(1 for i in items if i["overdue"]),
        "seqs": seqs,
        "stream": stream,
    }


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    found = Counter(i["status"] for i in items)
    return {status: found.get(status, 0) for status in STATUSES}


def roadmap_filters(*, programme: Programme, user: Any) -> dict[str, list[str]]:
    """The countries and themes the person's roadmap can be filtered by."""
    qs = actions_visible(user=user, programme=programme)
    return {
        "countries": sorted({c for c in qs.values_list("lead_country", flat=True) if c}),
        "themes": sorted({t for t in qs.values_list("theme", flat=True) if t}, key=str.casefold),
    }


# --- The roadmap's live streams ----------------------------------------------------------------------


def roadmap_stream_for(*, user: Any, programme: Programme) -> str:
    """Officials see the whole roadmap (`…:officials`); everyone else its public items (`…:public`)."""
    audience = "officials" if sees_officials_items(user=user, programme=programme) else "public"
    return roadmap_stream(programme.slug, audience)


def roadmap_stream_allowed(*, user: Any, slug: str, audience: str) -> bool:
    programme = programme_get(slug=slug)
    if programme is None or audience not in ("public", "officials"):
        return False
    return audience == "public" or sees_officials_items(user=user, programme=programme)


# --- Minutes --------------------------------------------------------------------------------------


def session_participant(*, user: Any, session: Session) -> bool:
    """Registered at the session's event (as an official, for an officials-only session)."""
    if not _authenticated(user):
        return False
    qs = Registration.objects.filter(user=user, event_id=session.event_id, status=Registration.Status.REGISTERED)
    if session.audience == Session.Audience.OFFICIALS:
        qs = qs.filter(role=Registration.Role.OFFICIAL)
    return qs.exists()


def meeting_participant(*, user: Any, meeting: Any) -> bool:
    """The official the bilateral meeting was booked for, or a granted member of the counterpart institution."""
    if not _authenticated(user):
        return False
    return meeting.candidate_id == user.pk or membership_granted(user=user, organisation=meeting.organisation_id)


def minutes_readable(*, user: Any, minutes: Minutes, participant: bool) -> bool:
    """Drafts: the rapporteur and organisers. Published minutes: the participants too."""
    if is_organiser(user) or (_authenticated(user) and minutes.rapporteur_id == user.pk):
        return True
    return minutes.status == Minutes.Status.PUBLISHED and participant


def meeting_model() -> Any:
    """matching's Meeting, reached through the relation so that events imports nothing of matching."""
    return Minutes._meta.get_field("meeting").related_model


def bilateral_meeting(*, pk: int) -> Any | None:
    return meeting_model().objects.select_related("event").filter(pk=pk, source="bilateral").first()


def minutes_index(*, user: Any, programme: Programme) -> list[dict[str, Any]]:
    """The minutes the person may open, for the programme page: for organisers every dialogue session
    (with or without minutes yet); for others the minutes they write or, once published, take part in."""
    found = {
        (m.session_id, m.meeting_id): m
        for m in Minutes.objects.filter(
            Q(session__event__programme=programme) | Q(meeting__event__programme=programme)
        ).select_related("session__event", "meeting__event", "meeting__organisation", "meeting__candidate")
    }
    rows: list[dict[str, Any]] = []
    if is_organiser(user):
        sessions = (
            Session.objects.filter(event__programme=programme, event__kind=Event.Kind.DIALOGUE)
            .exclude(kind__in=[Session.Kind.BREAK, Session.Kind.BILATERAL])
            .select_related("event")
            .order_by("starts_at", "id")
        )
        for session in sessions:
            m = found.pop((session.pk, None), None)
            rows.append({"kind": "session", "pk": session.pk, "title": session.title, "minutes": m})
    for (session_id, meeting_id), m in found.items():
        if session_id:
            participant = session_participant(user=user, session=m.session)
            title = m.session.title
        else:
            participant = meeting_participant(user=user, meeting=m.meeting)
            title = f"{m.meeting.candidate.get_full_name()} · {m.meeting.organisation.name}"
        if minutes_readable(user=user, minutes=m, participant=participant):
            kind = "session" if session_id else "meeting"
            rows.append({"kind": kind, "pk": session_id or meeting_id, "title": title, "minutes": m})
    return rows
