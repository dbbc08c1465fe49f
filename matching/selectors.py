"""Reads: who may see what in matching, profiles, requests, meetings and leads.

The one rule everything here keeps: a candidate is visible to an employer only at an event where
their registration is active and `consent_share_profile` is set. Nothing returns a non-consenting
candidate to anyone but themselves and organisers.

The other: a person speaks for an organisation only once their membership is granted
(`events.memberships`). Naming an organisation at registration only asks to join it, so every
employer gate here goes through `employer_standing_at` (one event) or `_granted_employer_registrations`
(every event), which read the membership in the same query as the registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from events.memberships import granted_exists
from events.models import Event, Membership, Organisation, Registration, User
from events.selectors import is_organiser
from matching import exceptions as exc
from matching.models import (
    CandidateProfile,
    EmployerMark,
    FairConfig,
    Lead,
    Meeting,
    MeetingRequest,
    Opening,
    Skill,
    Star,
)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class EmployerStanding:
    """Where a person stands as an employer at an event: the organisation they named there (None when
    they are no registered employer) and their membership's status in it ("none" if they never asked)."""

    organisation: Organisation | None
    membership: str

    @property
    def granted(self) -> bool:
        return self.organisation is not None and self.membership == Membership.Status.GRANTED

    @property
    def waiting(self) -> bool:
        """A registered employer whose organisation has not (or no longer) accepted them."""
        return self.organisation is not None and not self.granted

    def require(self) -> Organisation:
        """The organisation, or the error that says why not: `membership_required` while the membership
        is not granted (the person knows they asked, so saying so gives nothing away), `forbidden` for
        anybody who is no employer here."""
        if self.granted:
            return self.organisation  # type: ignore[return-value]
        if self.waiting:
            raise exc.MembershipRequired(
                _("Your place in %(org)s is not approved yet, so its board, leads and meetings stay closed to you.")
                % {"org": self.organisation.name}  # type: ignore[union-attr]
            )
        raise exc.NotAllowed(_("Only employers at this event can do that."))


NOT_EMPLOYER = EmployerStanding(organisation=None, membership="none")


def _employer_registrations(user: Any) -> QuerySet[Registration]:
    """The user's active employer registrations, each with the organisation it speaks for
    (`acting_org_id`: the registration's, else the person's) and that membership's status."""
    status = Membership.objects.filter(user_id=OuterRef("user_id"), organisation_id=OuterRef("acting_org_id"))
    return (
        Registration.objects.filter(user=user, role=Registration.Role.EMPLOYER, status=Registration.Status.REGISTERED)
        .annotate(acting_org_id=Coalesce("organisation_id", "user__organisation_id"))
        .annotate(membership_status=Subquery(status.values("status")[:1]))
    )


def _granted_employer_registrations(user: Any) -> QuerySet[Registration]:
    return _employer_registrations(user).filter(granted_exists(organisation="acting_org_id"))


def employer_standing_at(*, user: Any, event: Event) -> EmployerStanding:
    """The gate of an organisation's data at an event, in one query: registration, organisation, membership."""
    if not _authenticated(user):
        return NOT_EMPLOYER
    reg = _employer_registrations(user).filter(event=event).select_related("organisation", "user__organisation").first()
    if reg is None:
        return NOT_EMPLOYER
    org = reg.organisation or reg.user.organisation
    if org is None:
        return NOT_EMPLOYER
    return EmployerStanding(organisation=org, membership=reg.membership_status or "none")


def employer_organisation_at(*, user: Any, event: Event) -> Organisation | None:
    """The organisation a user represents at an event: a registered employer there with a granted membership."""
    standing = employer_standing_at(user=user, event=event)
    return standing.organisation if standing.granted else None


def employer_organisation_required(*, user: Any, event: Event) -> Organisation:
    """The organisation of a granted member, else `membership_required` or `forbidden` (see `require`)."""
    return employer_standing_at(user=user, event=event).require()


def official_at(*, user: Any, event: Event) -> bool:
    """An official at the event who may act in bilateral meetings: invited by an organiser (the role
    cannot be self-chosen), and a granted member of the institution their registration names, if any."""
    if not _authenticated(user):
        return False
    return (
        Registration.objects.filter(event=event, user=user, role=Registration.Role.OFFICIAL)
        .filter(status=Registration.Status.REGISTERED)
        .filter(Q(organisation__isnull=True) | granted_exists())
        .exists()
    )


def member_user_ids_of(*, event: Event, organisation_ids: set[int]) -> set[int]:
    """People registered at the event for these organisations whose membership is granted."""
    return set(
        Registration.objects.filter(
            event=event, organisation_id__in=list(organisation_ids), status=Registration.Status.REGISTERED
        )
        .filter(granted_exists())
        .values_list("user_id", flat=True)
    )


def is_candidate_at(*, user: Any, event: Event) -> bool:
    if not _authenticated(user):
        return False
    return Registration.objects.filter(
        event=event, user=user, role=Registration.Role.CANDIDATE, status=Registration.Status.REGISTERED
    ).exists()


def consenting_candidate_ids(*, event: Event) -> set[int]:
    """User ids of candidates an employer may see at this event."""
    return set(
        Registration.objects.filter(
            event=event,
            role=Registration.Role.CANDIDATE,
            status=Registration.Status.REGISTERED,
            consent_share_profile=True,
        ).values_list("user_id", flat=True)
    )


def candidate_visible_to_employers(*, event: Event, user_id: int) -> bool:
    return user_id in candidates_visible_to_employers(event=event, user_ids={user_id})


def candidates_visible_to_employers(*, event: Event, user_ids: set[int]) -> set[int]:
    """Those of these people who are registered candidates at the event and let employers see them."""
    return set(
        Registration.objects.filter(
            event=event,
            user_id__in=list(user_ids),
            role=Registration.Role.CANDIDATE,
            status=Registration.Status.REGISTERED,
            consent_share_profile=True,
        ).values_list("user_id", flat=True)
    )


def can_view_profile(*, viewer: Any, event: Event, candidate_id: int) -> bool:
    """The candidate themself, organisers, and employers at the event when the candidate consented."""
    if not _authenticated(viewer):
        return False
    if viewer.pk == candidate_id or is_organiser(viewer):
        return True
    if employer_organisation_at(user=viewer, event=event) is None:
        return False
    return candidate_visible_to_employers(event=event, user_id=candidate_id)


def can_view_cv(*, viewer: Any, candidate_id: int) -> bool:
    """The candidate, organisers, and employers (granted members) at any event where the candidate consented."""
    if not _authenticated(viewer):
        return False
    if viewer.pk == candidate_id or is_organiser(viewer):
        return True
    employer_events = _granted_employer_registrations(viewer).values("event_id")
    return Registration.objects.filter(
        event_id__in=employer_events,
        user_id=candidate_id,
        role=Registration.Role.CANDIDATE,
        status=Registration.Status.REGISTERED,
        consent_share_profile=True,
    ).exists()


def profile_for(*, user: User) -> CandidateProfile | None:
    return CandidateProfile.objects.filter(user=user).prefetch_related("skill_levels__skill", "languages").first()


def profile_detail(*, profile: CandidateProfile) -> dict[str, Any]:
    """What an allowed viewer sees of a profile (no email or phone: contact goes through meetings)."""
    return {
        "candidate_id": profile.user_id,
        "name": profile.user.full_name or "",
        "headline": profile.headline,
        "education": profile.education,
        "field_of_study": profile.field_of_study,
        "years_experience": profile.years_experience,
        "seeking": profile.seeking,
        "cities": list(profile.cities or []),
        "relocate_lithuania": profile.relocate_lithuania,
        "remote": profile.remote,
        "available_from": profile.available_from.isoformat() if profile.available_from else None,
        "skills": [
            {"slug": cs.skill.slug, "name": cs.skill.name, "label": cs.skill.label, "level": cs.level}
            for cs in sorted(profile.skill_levels.all(), key=lambda cs: (-cs.level, cs.skill.name))
        ],
        "languages": [{"language": cl.language, "level": cl.level} for cl in profile.languages.all()],
        "has_cv": bool(profile.cv),
    }


def skills_all() -> QuerySet[Skill]:
    return Skill.objects.all().order_by("group", "name")


def fair_config(*, event: Event) -> FairConfig | None:
    return FairConfig.objects.filter(event=event).first()


def openings_for(*, event: Event, organisation: Organisation | None = None) -> QuerySet[Opening]:
    qs = Opening.objects.filter(event=event, is_active=True).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.prefetch_related("skill_needs__skill", "languages")


def stars_of(*, event: Event, candidate: User) -> set[int]:
    return set(Star.objects.filter(event=event, candidate=candidate).values_list("organisation_id", flat=True))


def stars_of_many(*, event: Event, candidate_ids: set[int]) -> dict[int, set[int]]:
    """Per candidate, the organisations they starred at the event."""
    out: dict[int, set[int]] = {}
    rows = Star.objects.filter(event=event, candidate_id__in=list(candidate_ids)).values_list(
        "candidate_id", "organisation_id"
    )
    for candidate_id, organisation_id in rows:
        out.setdefault(candidate_id, set()).add(organisation_id)
    return out


# Expiry is a filter, not a write: a pending request past `expires_at` reads as expired everywhere it
# is shown or counted, whether or not the every-minute sweep (meetings.meetings_expire_requests) has
# written it down yet. Writes that meet one (an answer, a new request for the pair) decide inside
# their own transaction with the same rule.


def request_open(*, request: MeetingRequest, now: datetime | None = None) -> bool:
    """Whether a request still waits for an answer: pending and not past its expiry."""
    return request.status == MeetingRequest.Status.PENDING and request.expires_at > (now or timezone.now())


def _open_requests(now: datetime | None = None) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires_at__gt=now or timezone.now())


def _as_read(requests: QuerySet[MeetingRequest], *, now: datetime | None) -> list[MeetingRequest]:
    """The requests, each pending one past its expiry shown as expired (on the instance, never saved)."""
    now = now or timezone.now()
    rows = list(requests)
    for req in rows:
        if req.status == MeetingRequest.Status.PENDING and not request_open(request=req, now=now):
            req.status = MeetingRequest.Status.EXPIRED
    return rows


def open_requests_at(*, event: Event, now: datetime | None = None) -> QuerySet[MeetingRequest]:
    """Every request at the event still waiting for an answer (pending, not past its expiry)."""
    return _open_requests(now).filter(event=event)


def pending_request_between(*, event: Event, organisation: Organisation, candidate_id: int) -> MeetingRequest | None:
    """The open request between this employer and candidate, either way, if any."""
    return open_requests_at(event=event).filter(organisation=organisation, candidate_id=candidate_id).first()


def requests_waiting_for_candidate(*, user: Any) -> QuerySet[MeetingRequest]:
    """Employers' requests still waiting for this person's answer, at every event, soonest to expire first."""
    if not _authenticated(user):
        return MeetingRequest.objects.none()
    return (
        _open_requests()
        .filter(candidate=user, sent_by=MeetingRequest.From.EMPLOYER)
        .select_related("event", "organisation", "opening")
        .order_by("expires_at", "id")
    )


def requests_for_candidate(
    *, event: Event, candidate: User, limit: int = 200, now: datetime | None = None
) -> list[MeetingRequest]:
    """Only the candidate's own requests, never anybody else's; newest first, expiry applied."""
    qs = (
        MeetingRequest.objects.filter(event=event, candidate=candidate)
        .select_related("event", "organisation", "opening")
        .order_by("-created_at")
    )
    return _as_read(qs[:limit], now=now)


def requests_for_organisation(
    *, event: Event, organisation: Organisation, limit: int = 200, now: datetime | None = None
) -> list[MeetingRequest]:
    """The organisation's requests, sent and received; newest first, expiry applied."""
    qs = (
        MeetingRequest.objects.filter(event=event, organisation=organisation)
        .select_related("event", "organisation", "candidate", "opening")
        .order_by("-created_at")
    )
    return _as_read(qs[:limit], now=now)


def requests_waiting_for_organisation(*, event: Event, organisation: Organisation) -> QuerySet[MeetingRequest]:
    """Candidates' requests still waiting for this employer's answer (open, not expired)."""
    return (
        _open_requests()
        .filter(event=event, organisation=organisation, sent_by=MeetingRequest.From.CANDIDATE)
        .select_related("candidate", "opening")
        .order_by("-created_at")
    )


def meetings_for_candidate(*, event: Event, candidate: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(event=event, candidate=candidate).select_related("organisation", "opening", "room")


def meetings_for_organisation(*, event: Event, organisation: Organisation) -> QuerySet[Meeting]:
    return Meeting.objects.filter(event=event, organisation=organisation).select_related("candidate", "opening")


def open_request_counts(*, event: Event, organisation_id: int, candidate_id: int) -> tuple[int, int]:
    """Open (pending, unexpired) requests involving the organisation, and involving the candidate."""
    pending = _open_requests().filter(event=event)
    return (
        pending.filter(organisation_id=organisation_id).count(),
        pending.filter(candidate_id=candidate_id).count(),
    )


def meeting_counts(*, event: Event) -> dict[str, int]:
    """Meetings booked, in progress, held and no-shows: the control room's figures. One query.

    Events shows them on its live pages through events.hooks (registered in MatchingConfig.ready).
    """
    now = timezone.now()
    active = Q(status__in=Meeting.ACTIVE)
    counts = Meeting.objects.filter(event=event).aggregate(
        booked=Count("id", filter=active & Q(starts_at__gt=now)),
        in_progress=Count("id", filter=active & Q(starts_at__lte=now, ends_at__gt=now)),
        held=Count("id", filter=Q(status=Meeting.Status.CONFIRMED, ends_at__lte=now)),
        no_shows=Count("id", filter=Q(status=Meeting.Status.NO_SHOW)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def active_meetings(*, event: Event) -> QuerySet[Meeting]:
    return Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE)


def leads_for(*, event: Event, organisation: Organisation) -> QuerySet[Lead]:
    return Lead.objects.filter(event=event, organisation=organisation).select_related("candidate", "captured_by")


def meeting_visible_to(*, meeting: Meeting, user: Any) -> str | None:
    """'candidate', 'employer' or 'organiser' when the user is a party to the meeting; else None."""
    if not _authenticated(user):
        return None
    if meeting.candidate_id == user.pk:
        return "candidate"
    org = employer_organisation_at(user=user, event=meeting.event)
    if org is not None and org.pk == meeting.organisation_id:
        return "employer"
    if is_organiser(user):
        return "organiser"
    return None


def request_party(*, request: MeetingRequest, user: Any) -> str | None:
    if not _authenticated(user):
        return None
    if request.candidate_id == user.pk:
        return "candidate"
    org = employer_organisation_at(user=user, event=request.event)
    if org is not None and org.pk == request.organisation_id:
        return "employer"
    return None


def candidates_with_meeting_in_slot(*, event: Event, slot: int) -> set[int]:
    return set(active_meetings(event=event).filter(slot=slot).values_list("candidate_id", flat=True))


def meetings_count_by_candidate(*, event: Event) -> dict[int, int]:
    counts: dict[int, int] = {}
    for cid in active_meetings(event=event).values_list("candidate_id", flat=True):
        counts[cid] = counts.get(cid, 0) + 1
    return counts


def marks_for_org_id(*, event: Event, organisation_id: int) -> dict[int, str]:
    return dict(
        EmployerMark.objects.filter(event=event, organisation_id=organisation_id).values_list("candidate_id", "kind")
    )
