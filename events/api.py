"""JSON API handlers for events, sessions, registrations and the dashboard snapshot."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from events import selectors
from events.models import Event

router = Router(tags=["events"])


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    capacity: int | None
    status: str
    registration_open: bool
    description: str


def _optional_auth() -> list:
    from config.api import OPTIONAL_AUTH

    return OPTIONAL_AUTH


@router.get("/events", response=list[EventOut], auth=_optional_auth())
def event_list(request: HttpRequest) -> list[Event]:
    return list(selectors.event_list_visible(user=request.user))


@router.get("/events/{slug}", response=EventOut, auth=_optional_auth())
def event_detail(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise HttpError(404, "No such event.")
    return event


@router.get("/events/{slug}/dashboard", auth=_optional_auth())
def event_dashboard(request: HttpRequest, slug: str) -> dict:
    """Snapshot of the organiser dashboard stream (`event:<slug>:dashboard`)."""
    if not selectors.is_organiser(request.user):
        raise HttpError(403, "Organisers only.")
    event = get_object_or_404(Event, slug=slug)
    return selectors.event_dashboard_snapshot(event=event)
