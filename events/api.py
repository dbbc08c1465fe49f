"""JSON API handlers for events, sessions, registrations and the dashboard snapshot.

Who may do what:
- organisers (staff) manage everything;
- anyone sees non-draft events and the sessions their audience allows (public; registered-only once
  registered; officials-only for officials of that event);
- a signed-in person (bearer token or session) registers themselves and reads or changes their own
  registration; nobody but organisers lists registrations, so people who did not consent to appear
  in attendee lists never show;
- anyone may ask to register any address, and gets the same 202 whatever the address: its owner is
  emailed and nothing of theirs changes (events.services.registration_request);
- consents are only ever the person's own (events.consents), organisers' included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from config import ratelimit
from config.auth import OPTIONAL_AUTH, ORGANISER_AUTH
from config.pagination import paginated
from events import selectors, services, sessions
from events.exceptions import InvalidTransition, PermissionDenied
from events.models import Consent, Event, Organisation, Programme, Registration, Session
from events.schemas import _SLUG as SLUG_RE
from events.schemas import (
    MAX_ID,
    ErrorOut,
    EventIn,
    EventOut,
    EventPatch,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
    RegistrationRole,
    RegistrationStatus,
    SessionIn,
    SessionOut,
    SessionPatch,
    optional_auth_openapi,
)

__all__ = ["EventOut", "RegistrationOut", "SessionOut", "router"]

router = Router(tags=["events"])

# Documented in the OpenAPI schema; every error has the ErrorOut shape (see config/api.py).
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
ObjectIdPath = Path(..., ge=1, le=MAX_ID)
# Operations anyone may call: their credentials are optional in the OpenAPI document too.
PUBLIC = optional_auth_openapi()

# Roles a person may give themselves; the others (official, speaker, organiser, door staff) grant
# access to more than the public sees, so only organisers hand them out.
SELF_ROLES = frozenset({Registration.Role.CANDIDATE, Registration.Role.EMPLOYER})
# What a person may change on their own registration.
SELF_FIELDS = frozenset({"status", "language", "consent_share_profile", "consent_attendee_list"})


def _require_organiser(request: HttpRequest) -> None:
    if not selectors.is_organiser(request.user):
        raise PermissionDenied(_("Only organisers can do this."))


def _visible_event(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_visible(user=request.user, slug=slug) if SLUG_RE.fullmatch(slug) else None
    if event is None:
        raise HttpError(404, _("No such event."))
    return event


def _invalid(field: str, message: str) -> ValidationError:
    """A 422 for one field, shaped like the ones the schemas produce."""
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": "value_error"}])


def _programme(fields: dict[str, Any]) -> None:
    """Replace `programme` (a slug) with the Programme it names."""
    if fields.get("programme") is not None:
        programme = Programme.objects.filter(slug=fields["programme"]).first()
        if programme is None:
            raise _invalid("programme", _("No programme with this slug."))
        fields["programme"] = programme


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise _invalid("ends_at", _("ends_at must not be before starts_at."))


def _organisation(fields: dict[str, Any]) -> None:
    """Replace `organisation` (a name) or `organisation_id` with the Organisation they name."""
    name = fields.pop("organisation", None)
    pk = fields.pop("organisation_id", None)
    if pk is not None:
        org = Organisation.objects.filter(pk=pk).first()
        if org is None:
            raise _invalid("organisation_id", _("No organisation with this id."))
        fields["organisation"] = org
    elif name is not None:
        org = selectors.organisation_match(name=name)
        if org is None:
            raise _invalid("organisation", _("No organisation with this name; an organiser can add it."))
        fields["organisation"] = org


# Events --------------------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventOut], **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
@paginated
def event_list(request: HttpRequest) -> QuerySet[Event]:
    return selectors.event_list_visible(user=request.user)


@router.post("/events", response={201: EventOut, **ERRORS}, auth=ORGANISER_AUTH)
def event_create(request: HttpRequest, payload: EventIn) -> Status[Event]:
    _require_organiser(request)
    fields = payload.model_dump()
    _programme(fields)
    return Status(201, services.event_create(**fields))


@router.get("/events/{slug}", response={200: EventOut, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
def event_detail(request: HttpRequest, slug: str) -> Event:
    return _visible_event(request, slug)


@router.patch("/events/{slug}", response={200: EventOut, **ERRORS}, auth=ORGANISER_AUTH)
def event_update(request: HttpRequest, slug: str, payload: EventPatch) -> Event:
    _require_organiser(request)
    event = _visible_event(request, slug)
    fields = payload.model_dump(exclude_unset=True)
    _check_times(fields.get("starts_at", event.starts_at), fields.get("ends_at", event.ends_at))
    _programme(fields)
    return services.event_update(event=event, **fields)


@router.get("/events/{slug}/dashboard", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def event_dashboard(request: HttpRequest, slug: str) -> dict:
    """Snapshot of the organiser dashboard stream (`event:<slug>:dashboard`); refetch it after a gap in `seq`."""
    _require_organiser(request)
    return selectors.event_dashboard_snapshot(event=_visible_event(request, slug))


# Sessions ------------------------------------------------------------------------------------------


@router.get(
    "/events/{slug}/sessions",
    response={200: list[SessionOut], **ERRORS},
    auth=OPTIONAL_AUTH,
    openapi_extra=PUBLIC,
)
@paginated
def session_list(request: HttpRequest, slug: str) -> QuerySet[Session]:
    """The agenda as this caller may see it; cancelled sessions stay listed with status `cancelled`."""
    event = _visible_event(request, slug)
    return selectors.session_list_visible(user=request.user, event=event)


@router.post("/events/{slug}/sessions", response={201: SessionOut, **ERRORS}, auth=ORGANISER_AUTH)
def session_create(request: HttpRequest, slug: str, payload: SessionIn) -> Status[Session]:
    _require_organiser(request)
    event = _visible_event(request, slug)
    fields = payload.model_dump()
    room_name = fields.pop("room")
    # A new room and its first session appear together or not at all.
    with transaction.atomic():
        room = services.room_get_or_create(event=event, name=room_name) if room_name else None
        return Status(201, sessions.session_create(event=event, room=room, **fields))


def _session(session_id: int) -> Session:
    return get_object_or_404(Session.objects.select_related("event", "room"), pk=session_id)


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
def session_detail(request: HttpRequest, session_id: int = ObjectIdPath) -> Session:
    event = _visible_event(request, _session(session_id).event.slug)
    session = selectors.session_list_visible(user=request.user, event=event).filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, _("No such session."))
    return session


@router.patch("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, auth=ORGANISER_AUTH)
def session_update(request: HttpRequest, payload: SessionPatch, session_id: int = ObjectIdPath) -> Session:
    """Change a session; changes a calendar must see bump its `revision`.

    A new `status` follows the sessions' transitions (409 `invalid_transition` otherwise): scheduled →
    live or cancelled, live → ended or cancelled, cancelled → scheduled; an ended session stays ended.
    """
    _require_organiser(request)
    session = _session(session_id)
    fields = payload.model_dump(exclude_unset=True)
    _check_times(fields.get("starts_at", session.starts_at), fields.get("ends_at", session.ends_at))
    with transaction.atomic():
        if "room" in fields:
            name = fields["room"]
            fields["room"] = services.room_get_or_create(event=session.event, name=name) if name else None
        return sessions.session_update(session=session, **fields)


@router.delete("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, auth=ORGANISER_AUTH)
def session_cancel(request: HttpRequest, session_id: int = ObjectIdPath) -> Session:
    """Cancel a session, exactly as `POST /sessions/{id}/cancel` does: it stays listed with status `cancelled`,
    so calendars can show the cancellation. An ended or already cancelled session: 409 `invalid_transition`."""
    _require_organiser(request)
    return sessions.session_cancel(session=_session(session_id))


# Registrations -------------------------------------------------------------------------------------


@router.get("/events/{slug}/registrations", response={200: list[RegistrationOut], **ERRORS}, auth=ORGANISER_AUTH)
@paginated
def registration_list(
    request: HttpRequest,
    slug: str,
    status: RegistrationStatus | None = None,
    role: RegistrationRole | None = None,
) -> QuerySet[Registration]:
    """Everyone registered for the event, consenting or not: organisers only."""
    _require_organiser(request)
    event = _visible_event(request, slug)
    qs = (
        event.registrations.select_related("event", "user", "user__feed_token", "organisation", "ticket")
        .prefetch_related("sessions")
        .order_by("created_at", "id")
    )
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    return qs


class RegistrationRequestedOut(Schema):
    status: str = Field(description="Always `ok`.")
    detail: str = Field(description="For people: check the address's inbox.")


def _requested() -> Status[dict[str, str]]:
    # One answer for a new address, a known one and one already registered: nobody learns who is here.
    return Status(
        202,
        {
            "status": "ok",
            "detail": _("Check the inbox of this address: we sent a link there to finish or confirm the registration."),
        },
    )


def client_label(request: HttpRequest) -> str:
    """Where a consent came from: the API token's name, or the page's path for a browser session."""
    header = request.headers.get("Authorization", "")
    scheme, _space, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        return selectors.api_token_label(raw.strip())
    return request.path


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, 202: RegistrationRequestedOut, **ERRORS, 429: ErrorOut},
    auth=OPTIONAL_AUTH,
    openapi_extra=PUBLIC,
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn) -> Status[Any]:
    """Register a person. Over capacity the registration is `waitlisted`; `invite` sends an invitation.

    With your own email (your token or session) you are registered at once: 201 and the registration.
    Anyone else (no credentials, or another person's token) gets 202 `{"status": "ok", "detail": …}`
    whatever the address: a new address is registered and its owner emailed (the consents wait until
    they open the link); a known address changes nothing and its owner is emailed a link to finish
    or their own link. Organisers register anyone (201), but give no consent for someone else
    (403 `consent_owner_only`).
    """
    event = _visible_event(request, slug)
    organiser = selectors.is_organiser(request.user)
    if not organiser:  # organisers' integrations register whole lists
        ratelimit.hit("registration", request=request, account=payload.email)
    fields = payload.model_dump()
    own = request.user.is_authenticated and fields["email"] == request.user.email.lower()
    if organiser:
        if not own and (fields["consent_share_profile"] or fields["consent_attendee_list"]):
            raise PermissionDenied(
                _("Only the person themself can give or withdraw their consent."), code="consent_owner_only"
            )
        _organisation(fields)
        registration = services.registration_create(
            event=event,
            email=fields["email"],
            full_name=fields["name"],
            role=fields["role"],
            organisation=fields.get("organisation"),
            language=fields["language"],
            delegation=fields["delegation"],
            consent_share_profile=fields["consent_share_profile"],
            consent_attendee_list=fields["consent_attendee_list"],
            invited=fields["invite"],
            by_organiser=True,
            actor=request.user,
            source=Consent.Source.API,
            client=client_label(request),
        )
        return Status(201, registration)
    if fields["role"] not in SELF_ROLES:
        raise PermissionDenied(_("Only organisers can register someone in this role."))
    if fields["invite"] or fields["delegation"]:
        raise PermissionDenied(_("Only organisers can send invitations or set a delegation."))
    # People name an organisation only to ask to join it (registration_create does the asking).
    organisation_name = fields.get("organisation") or ""
    if fields.get("organisation_id") is not None:
        _organisation(fields)
        organisation_name = fields["organisation"].name
    registration = services.registration_request(
        event=event,
        email=fields["email"],
        full_name=fields["name"],
        role=fields["role"],
        organisation_name=organisation_name,
        language=fields["language"],
        consent_share_profile=fields["consent_share_profile"],
        consent_attendee_list=fields["consent_attendee_list"],
        actor=request.user,
        source=Consent.Source.API,
        client=client_label(request),
    )
    if registration is None:
        return _requested()
    return Status(201, selectors.registration_get(pk=registration.pk))


def _own_or_organised(request: HttpRequest, registration_id: int) -> Registration:
    registration = selectors.registration_get(pk=registration_id)
    # Someone else's registration is "not found", not "forbidden": ids must not confirm who registered.
    if registration is None or not (selectors.is_organiser(request.user) or registration.user_id == request.user.pk):
        raise HttpError(404, _("No such registration."))
    return registration


@router.get("/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS})
def registration_detail(request: HttpRequest, registration_id: int = ObjectIdPath) -> Registration:
    return _own_or_organised(request, registration_id)


def _check_self_change(registration: Registration, fields: dict[str, Any]) -> None:
    """People may cancel, answer an invitation, and change their language and consent: nothing else."""
    others = sorted(set(fields) - SELF_FIELDS)
    if others:
        raise PermissionDenied(_("Only organisers can change: %(fields)s.") % {"fields": ", ".join(others)})
    status = fields.get("status")
    if status is None or status == registration.status or status == Registration.Status.CANCELLED:
        return
    answering = registration.status == Registration.Status.INVITED and status in (
        Registration.Status.REGISTERED,
        Registration.Status.DECLINED,
    )
    if not answering:
        raise InvalidTransition(_("You can cancel your registration, or accept or decline an invitation."))


@router.patch("/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS})
def registration_update(
    request: HttpRequest, payload: RegistrationPatch, registration_id: int = ObjectIdPath
) -> Registration:
    """Change a registration. `status: cancelled` cancels it and gives the seat to the waitlist.

    `consent_*` only by the person themself (anyone else, organisers too: 403 `consent_owner_only`).
    """
    registration = _own_or_organised(request, registration_id)
    fields = payload.model_dump(exclude_unset=True)
    if not selectors.is_organiser(request.user):
        _check_self_change(registration, fields)
    _organisation(fields)
    if {"organisation", "organisation_id"} & payload.model_fields_set:
        fields.setdefault("organisation", None)  # an explicit null clears it
    updated = services.registration_update(
        registration=registration,
        actor=request.user,
        source=Consent.Source.API,
        client=client_label(request),
        **fields,
    )
    return selectors.registration_get(pk=updated.pk)
