"""JSON API of live operations: snapshots of the live pages, session actions, announcements.

Snapshots (`GET`) are the HTTP half of each live stream (docs/realtime.md). Actions are for
organisers: a session's through events.sessions (the same functions as the sessions API and the
admin), announcements through events.live.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from config.auth import OPTIONAL_AUTH, ORGANISER_AUTH
from config.pagination import Mapped, paginated
from events import live, live_selectors, selectors, sessions
from events.models import Announcement, Event, Registration, Room, Session
from events.schemas import MAX_ID, ErrorOut, Language, ObjectId, optional_auth_openapi, text

router = Router(tags=["live"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
AnnouncementText = text(live.MAX_ANNOUNCEMENT, min_length=1)


def _event(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_visible(user=request.user, slug=slug) if len(slug) <= 80 else None
    if event is None:
        raise HttpError(404, _("No such event."))
    return event


def _session(session_id: int) -> Session:
    session = Session.objects.select_related("event").filter(pk=session_id).first() if session_id <= MAX_ID else None
    if session is None:
        raise HttpError(404, _("No such session."))
    return session


class DelayIn(Schema):
    minutes: int = Field(..., ge=1, le=sessions.MAX_DELAY_MINUTES, strict=True)


class MoveIn(Schema):
    room_id: ObjectId


class AnnouncementIn(Schema):
    text: AnnouncementText
    audience: Literal["event", "role", "session"] = "event"
    role: Registration.Role | None = None
    session_id: ObjectId | None = None
    language: Language = "en"
    translations: dict[Language, text(live.MAX_ANNOUNCEMENT)] = Field(  # type: ignore[valid-type]
        default_factory=dict, description='The same announcement in other languages, e.g. {"ar": "…"}.'
    )


@router.get(
    "/events/{slug}/live", response={200: dict, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=optional_auth_openapi()
)
def screen_snapshot(request: HttpRequest, slug: str) -> dict:
    """Snapshot of the public stream (`event:<slug>:public`): lobby screens. No login needed."""
    return live_selectors.screen_snapshot(event=_event(request, slug))


@router.get("/events/{slug}/control", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def control_snapshot(request: HttpRequest, slug: str) -> dict:
    """Snapshot of the control room (`event:<slug>:control` and `event:<slug>:dashboard`)."""
    return live_selectors.control_snapshot(event=_event(request, slug))


@router.get("/me/day", response={200: dict, **ERRORS})
def my_day_snapshot(request: HttpRequest) -> dict:
    """Snapshot of "My day" (`user:<id>` plus the event streams of the person's registrations)."""
    return live_selectors.my_day_snapshot(user=request.user)


def _session_out(session: Session) -> dict:
    return live.session_payload(Session.objects.select_related("room").get(pk=session.pk))


@router.post("/sessions/{session_id}/start", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def session_start(request: HttpRequest, session_id: int) -> dict:
    return _session_out(sessions.session_start(session=_session(session_id)))


@router.post("/sessions/{session_id}/end", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def session_end(request: HttpRequest, session_id: int) -> dict:
    return _session_out(sessions.session_end(session=_session(session_id)))


@router.post("/sessions/{session_id}/cancel", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def session_cancel(request: HttpRequest, session_id: int) -> dict:
    return _session_out(sessions.session_cancel(session=_session(session_id)))


@router.post("/sessions/{session_id}/delay", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def session_delay(request: HttpRequest, session_id: int, payload: DelayIn) -> dict:
    return _session_out(sessions.session_delay(session=_session(session_id), minutes=payload.minutes))


@router.post("/sessions/{session_id}/move", response={200: dict, **ERRORS}, auth=ORGANISER_AUTH)
def session_move(request: HttpRequest, session_id: int, payload: MoveIn) -> dict:
    session = _session(session_id)
    room = Room.objects.filter(pk=payload.room_id, event_id=session.event_id).first()
    if room is None:
        raise HttpError(404, _("No such room at this event."))
    return _session_out(sessions.session_move(session=session, room=room))


@router.get("/events/{slug}/announcements", response={200: list[dict], **ERRORS}, auth=ORGANISER_AUTH)
@paginated
def announcement_list(request: HttpRequest, slug: str) -> Mapped:
    """Every announcement of the event, newest first (the history)."""
    event = _event(request, slug)
    return Mapped(event.announcements.select_related("event").order_by("-created_at", "-id"), live.announcement_payload)


@router.post("/events/{slug}/announcements", response={201: dict, **ERRORS}, auth=ORGANISER_AUTH)
def announcement_create(request: HttpRequest, slug: str, payload: AnnouncementIn) -> Status[dict]:
    event = _event(request, slug)
    session = None
    if payload.session_id is not None:
        session = Session.objects.filter(pk=payload.session_id, event=event).first()
        if session is None:
            raise HttpError(404, _("No such session at this event."))
    announcement = live.announcement_send(
        event=event,
        sender=request.user,
        text=payload.text,
        audience=payload.audience,
        role=payload.role or "",
        session=session,
        language=payload.language,
        translations=dict(payload.translations),
    )
    return Status(201, live.announcement_payload(announcement))


__all__ = ["Announcement", "router"]
