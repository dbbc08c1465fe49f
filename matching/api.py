"""JSON API handlers of the matching app (mounted under /api/v1/matching/...).

Handlers parse input, call one service or selector, and render. Every error is JSON with a stable
`reason`; a non-consenting candidate is reported as `not_found` to everybody but themselves.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from pydantic import AfterValidator, StrictBool, StrictInt

from config import ratelimit
from config.auth import OPTIONAL_AUTH
from config.pagination import Mapped, paginated
from events.api import client_label
from events.exceptions import EventsError
from events.models import Consent, Event, Organisation
from events.schemas import BodyIn, Day, ErrorOut, optional_auth_openapi
from events.selectors import event_get_visible, is_organiser
from events.text import PLAIN_LINE, PLAIN_TEXT
from matching import board, meetings, selectors, services, timetable
from matching import exceptions as exc
from matching.gap_report import gap_report
from matching.models import MeetingRequest, Opening, ScheduleRun, Skill

router = Router(tags=["matching"])


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it as invalid input rather than fail at the database.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


# Free text (notes, messages) may hold line breaks; a Line (headline, city, skill) may not. Neither may
# hold control or direction-changing characters (events/text.py).
Text = Annotated[str, AfterValidator(_no_nul), PLAIN_TEXT]
Line = Annotated[str, AfterValidator(_no_nul), PLAIN_LINE]

MAX_ID = 2**31 - 1
Id = Path(..., ge=1, le=MAX_ID)


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _event(request: HttpRequest, slug: str) -> Event:
    # Checked before the query: PostgreSQL refuses some bytes (NUL) outright, which would be a 500.
    if not _SLUG.fullmatch(slug):
        raise exc.NotFound(_("No such event."))
    event = event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise exc.NotFound(_("No such event."))
    return event


def _employer_org(request: HttpRequest, event: Event) -> Organisation:
    # 403 "membership_required" while the person's membership is pending, refused or removed.
    return selectors.employer_organisation_required(user=request.user, event=event)


def _employer_org_or_none(request: HttpRequest, event: Event) -> Organisation | None:
    """The employer's organisation; None for a person who is no employer here (they act for themself);
    403 "membership_required" for an employer whose membership is not granted."""
    standing = selectors.employer_standing_at(user=request.user, event=event)
    return None if standing.organisation is None else standing.require()


class SkillOut(Schema):
    slug: str
    name: str = Field(description="The name in English: stable, what `skill` fields and aliases match.")
    label: str = Field(
        description="The name in the caller's language (Accept-Language, else their own), English when none."
    )
    group: str
    aliases: list[str]
    esco_uri: str


@router.get(
    "/matching/skills",
    response={200: list[SkillOut], 401: ErrorOut, 422: ErrorOut},
    auth=OPTIONAL_AUTH,
    openapi_extra=optional_auth_openapi(),
)
@paginated
def skill_list(request: HttpRequest) -> QuerySet[Skill]:
    return selectors.skills_all()


class SkillLevelIn(BodyIn):
    skill: Line = Field(..., min_length=1, max_length=60)
    level: StrictInt = Field(..., ge=1, le=5)


class LanguageLevelIn(BodyIn):
    language: Line = Field(..., min_length=2, max_length=5)
    level: StrictInt = Field(..., ge=1, le=5)


class ProfileIn(BodyIn):
    headline: Line = Field("", max_length=140)
    education: Line = Field("", max_length=12)
    field_of_study: Line = Field("", max_length=120)
    years_experience: StrictInt = Field(0, ge=0, le=60)
    seeking: Literal["internship", "job", "both"] = "both"
    cities: list[Line] = Field(default_factory=list, max_length=12)
    relocate_lithuania: StrictBool = False
    remote: StrictBool = False
    available_from: Day | None = None
    skills: list[SkillLevelIn] = Field(default_factory=list, max_length=40)
    languages: list[LanguageLevelIn] = Field(default_factory=list, max_length=11)


@router.get("/matching/me/profile", response={200: dict, **ERRORS})
def profile_get(request: HttpRequest) -> dict:
    profile = selectors.profile_for(user=request.user)
    if profile is None:
        raise exc.NotFound(_("You have no profile yet."))
    return selectors.profile_detail(profile=profile)


@router.put("/matching/me/profile", response={200: dict, **ERRORS})
def profile_put(request: HttpRequest, payload: ProfileIn) -> dict:
    data = payload.model_dump()
    by_slug = dict(Skill.objects.filter(slug__in=[s["skill"] for s in data["skills"]]).values_list("slug", "pk"))
    unknown = [s["skill"] for s in data["skills"] if s["skill"] not in by_slug]
    if unknown:
        raise exc.InvalidInput(_("Unknown skill: %(slug)s") % {"slug": unknown[0]})
    data["skills"] = [(by_slug[s["skill"]], s["level"]) for s in data["skills"]]
    data["languages"] = [(lg["language"], lg["level"]) for lg in data["languages"]]
    profile = services.profile_update(user=request.user, **data)
    return selectors.profile_detail(profile=selectors.profile_for(user=profile.user))


class ConsentIn(BodyIn):
    consent: StrictBool


@router.post("/matching/events/{slug}/consent", response={200: dict, **ERRORS})
def consent_set(request: HttpRequest, slug: str, payload: ConsentIn) -> dict:
    reg = services.consent_set(
        user=request.user,
        actor=request.user,
        event=_event(request, slug),
        consent=payload.consent,
        source=Consent.Source.API,
        client=client_label(request),
    )
    return {"consent": reg.consent_share_profile}


@router.get("/matching/events/{slug}/board", response={200: dict, **ERRORS})
def board_get(request: HttpRequest, slug: str) -> dict:
    event = _event(request, slug)
    org = _employer_org(request, event)
    data = board.board_for(event=event, organisation_id=org.pk)
    titles = dict(Opening.objects.filter(organisation=org, event=event).values_list("pk", "title"))
    for op in data["openings"]:
        op["title"] = titles.get(op["opening_id"], "")
    return data


@router.get("/matching/events/{slug}/candidates/{candidate_id}", response={200: dict, **ERRORS})
def candidate_get(request: HttpRequest, slug: str, candidate_id: int = Id) -> dict:
    event = _event(request, slug)
    if not selectors.can_view_profile(viewer=request.user, event=event, candidate_id=candidate_id):
        raise exc.NoConsent(_("No such candidate."))
    from events.models import User

    profile = selectors.profile_for(user=User(pk=candidate_id))
    if profile is None:
        raise exc.NotFound(_("No such candidate."))
    return selectors.profile_detail(profile=profile)


class MarkIn(BodyIn):
    candidate_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    kind: Literal["shortlist", "not_now"] | None = None


@router.post("/matching/events/{slug}/marks", response={200: dict, **ERRORS})
def mark_set(request: HttpRequest, slug: str, payload: MarkIn) -> dict:
    kind = services.mark_set(
        event=_event(request, slug), user=request.user, candidate_id=payload.candidate_id, kind=payload.kind
    )
    return {"candidate_id": payload.candidate_id, "kind": kind}


class StarIn(BodyIn):
    organisation_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    on: StrictBool = True


@router.post("/matching/events/{slug}/stars", response={200: dict, **ERRORS})
def star_set(request: HttpRequest, slug: str, payload: StarIn) -> dict:
    on = services.star_set(
        event=_event(request, slug), candidate=request.user, organisation_id=payload.organisation_id, on=payload.on
    )
    return {"organisation_id": payload.organisation_id, "on": on}


@router.get("/matching/events/{slug}/my-matches", response={200: list[dict], **ERRORS})
@paginated
def my_matches(request: HttpRequest, slug: str) -> list[dict]:
    event = _event(request, slug)
    if not selectors.is_candidate_at(user=request.user, event=event):
        raise exc.NotAllowed(_("Only candidates at this event have matches."))
    return board.matches_for_candidate(event=event, user_id=request.user.pk)


class RequestIn(BodyIn):
    candidate_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    organisation_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    opening_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    message: Text = Field("", max_length=280)


@router.post("/matching/events/{slug}/requests", response={201: dict, **ERRORS, 429: ErrorOut})
def request_create(request: HttpRequest, slug: str, payload: RequestIn) -> Status[dict]:
    ratelimit.hit("meeting_request", request=request, account=request.user)
    event = _event(request, slug)
    org = _employer_org_or_none(request, event)
    if org is not None:
        if payload.candidate_id is None:
            raise exc.InvalidInput(_("Say which candidate to meet."))
        from events.models import User

        candidate = User.objects.filter(pk=payload.candidate_id).first()
        if candidate is None:
            raise exc.NoConsent(_("No such candidate."))
        sent_by = MeetingRequest.From.EMPLOYER
    elif selectors.is_candidate_at(user=request.user, event=event):
        org = Organisation.objects.filter(pk=payload.organisation_id or 0).first()
        if org is None:
            raise exc.NotFound(_("No such employer."))
        candidate = request.user
        sent_by = MeetingRequest.From.CANDIDATE
    else:
        raise exc.NotAllowed(_("Only candidates and employers at this event can ask for meetings."))
    opening = None
    if payload.opening_id is not None:
        opening = Opening.objects.filter(pk=payload.opening_id).first()
        if opening is None:
            raise exc.NotFound(_("No such opening."))
    req = meetings.meeting_request_create(
        event=event,
        organisation=org,
        candidate=candidate,
        sent_by=sent_by,
        requested_by=request.user,
        opening=opening,
        message=payload.message,
    )
    return Status(201, meetings.request_payload(req))


@router.get("/matching/events/{slug}/requests", response={200: list[dict], **ERRORS})
@paginated
def request_list(request: HttpRequest, slug: str) -> list[dict]:
    event = _event(request, slug)
    org = _employer_org_or_none(request, event)
    if org is not None:
        requests = selectors.requests_for_organisation(event=event, organisation=org)
    else:
        requests = selectors.requests_for_candidate(event=event, candidate=request.user)
    return [meetings.request_payload(r) for r in requests]


@router.post("/matching/requests/{request_id}/{action}", response={200: dict, **ERRORS})
def request_action(request: HttpRequest, action: Literal["accept", "decline", "cancel"], request_id: int = Id) -> dict:
    if action == "cancel":
        req = meetings.meeting_request_cancel(request_id=request_id, user=request.user)
    else:
        req = meetings.meeting_request_respond(request_id=request_id, user=request.user, accept=action == "accept")
    out = meetings.request_payload(req)
    if action == "accept" and hasattr(req, "meeting"):
        out["meeting"] = meetings.meeting_payload(req.meeting)
    return out


@router.get("/matching/events/{slug}/meetings", response={200: list[dict], **ERRORS})
@paginated
def meeting_list(request: HttpRequest, slug: str) -> Mapped:
    event = _event(request, slug)
    org = _employer_org_or_none(request, event)
    if org is not None:
        qs = selectors.meetings_for_organisation(event=event, organisation=org)
    else:
        qs = selectors.meetings_for_candidate(event=event, candidate=request.user)
    return Mapped(qs.select_related("event").order_by("starts_at", "table", "id"), meetings.meeting_payload)


@router.post("/matching/meetings/{meeting_id}/{action}", response={200: dict, **ERRORS})
def meeting_action(request: HttpRequest, action: Literal["confirm", "cancel", "no-show"], meeting_id: int = Id) -> dict:
    if action == "confirm":
        m = meetings.meeting_confirm(meeting_id=meeting_id, user=request.user)
    elif action == "cancel":
        m = meetings.meeting_cancel(meeting_id=meeting_id, user=request.user)
    else:
        refill = meetings.meeting_no_show(meeting_id=meeting_id, user=request.user)
        from matching.models import Meeting

        m = Meeting.objects.select_related("event", "organisation").get(pk=meeting_id)
        return {**meetings.meeting_payload(m), "refill": meetings.meeting_payload(refill) if refill else None}
    return meetings.meeting_payload(m)


class LeadIn(BodyIn):
    candidate_id: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    badge: Line | None = Field(None, min_length=1, max_length=200)
    rating: StrictInt | None = Field(None, ge=1, le=5)
    note: Text | None = Field(None, max_length=2000)


def _lead_out(lead: Any) -> dict:
    return {
        "candidate_id": lead.candidate_id,
        "rating": lead.rating,
        "note": lead.note,
        "updated_at": lead.updated_at.isoformat(),
    }


@router.post("/matching/events/{slug}/leads", response={200: dict, **ERRORS})
def lead_capture(request: HttpRequest, slug: str, payload: LeadIn) -> dict:
    event = _event(request, slug)
    if payload.badge is not None:
        lead = services.lead_from_badge(event=event, user=request.user, payload=payload.badge)
        if payload.rating is not None or payload.note is not None:
            lead = services.lead_capture(
                event=event, user=request.user, candidate_id=lead.candidate_id, rating=payload.rating, note=payload.note
            )
    elif payload.candidate_id is not None:
        lead = services.lead_capture(
            event=event, user=request.user, candidate_id=payload.candidate_id, rating=payload.rating, note=payload.note
        )
    else:
        raise exc.InvalidInput(_("Scan a badge or name a candidate."))
    return _lead_out(lead)


@router.get("/matching/events/{slug}/leads", response={200: list[dict], **ERRORS})
@paginated
def lead_list(request: HttpRequest, slug: str) -> Mapped:
    event = _event(request, slug)
    org = _employer_org(request, event)
    return Mapped(selectors.leads_for(event=event, organisation=org).order_by("-updated_at", "-id"), _lead_out)


@router.get("/matching/events/{slug}/gap-report", response={200: dict, **ERRORS})
def gap_report_get(request: HttpRequest, slug: str) -> dict:
    if not is_organiser(request.user):
        raise exc.NotAllowed(_("Only organisers can see the skills-gap report."))
    return gap_report(event=_event(request, slug))


class WishIn(BodyIn):
    counterpart_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    weight: StrictInt | None = Field(None, ge=1, le=5)


@router.get("/matching/events/{slug}/wishes", response={200: list[dict], **ERRORS})
@paginated
def wish_list(request: HttpRequest, slug: str) -> Mapped:
    """An official's own wishes for bilateral meetings at a dialogue event."""
    event = _event(request, slug)
    from matching.models import BilateralWish

    wishes = BilateralWish.objects.filter(event=event, official=request.user).select_related("counterpart")
    return Mapped(
        wishes.order_by("id"),
        lambda w: {"counterpart_id": w.counterpart_id, "name": w.counterpart.name, "weight": w.weight},
    )


@router.post("/matching/events/{slug}/wishes", response={200: dict, **ERRORS})
def wish_set(request: HttpRequest, slug: str, payload: WishIn) -> dict:
    wish = timetable.bilateral_wish_set(
        event=_event(request, slug), official=request.user, counterpart_id=payload.counterpart_id, weight=payload.weight
    )
    return {"counterpart_id": payload.counterpart_id, "weight": wish.weight if wish else None}


class TimetableIn(BodyIn):
    kind: Literal["booths", "bilateral"] = "booths"
    fair: StrictBool = True


def _run_out(run: ScheduleRun) -> dict:
    return {
        "id": run.pk,
        "kind": run.kind,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
        "meetings_created": run.meetings_created,
    }


@router.post("/matching/events/{slug}/timetable", response={202: dict, **ERRORS})
def timetable_start(request: HttpRequest, slug: str, payload: TimetableIn) -> Status[dict]:
    if not is_organiser(request.user):
        raise exc.NotAllowed(_("Only organisers can run the timetable."))
    run = timetable.timetable_run_start(
        event=_event(request, slug), user=request.user, kind=payload.kind, fair=payload.fair
    )
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get("/matching/timetable-runs/{run_id}", response={200: dict, **ERRORS})
def timetable_status(request: HttpRequest, run_id: int = Id) -> dict:
    if not is_organiser(request.user):
        raise exc.NotAllowed(_("Only organisers can see timetable runs."))
    run = ScheduleRun.objects.filter(pk=run_id).first()
    if run is None:
        raise exc.NotFound(_("No such run."))
    return _run_out(run)


__all__ = ["EventsError", "router"]
