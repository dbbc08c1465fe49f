"""The live pages: the organisers' control room, the lobby screen and the attendee's "My day".

Each page is a light shell; its data comes from the stream's HTTP snapshot and live messages,
through static/realtime/live.js.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from events import selectors, sessions
from events.models import Announcement, Event, Registration


def _states() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        "online": _("Live"),
        "catching-up": _("Catching up…"),
        "offline": _("Offline, reconnecting…"),
        "refused": _("Not available"),
    }


def _labels(**extra: str) -> dict[str, object]:
    """Words the page's script shows, translated here so the script holds no language."""
    return {
        "states": _states(),
        "live": _("Live"),
        "changed": _("Changed"),
        "cancelled": _("Cancelled"),
        "ended": _("Ended"),
        "nothing": _("Nothing scheduled"),
        "general": _("Sessions"),
        **extra,
    }


# How often the control room rereads its snapshot for figures that change with the clock alone.
CONTROL_REFRESH_SECONDS = 60


def control(request: HttpRequest, slug: str) -> HttpResponse:
    """`/events/<slug>/control`: run the event (organisers)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_organiser(request.user):
        raise PermissionDenied
    event = get_object_or_404(Event, slug=slug)
    config = {
        "slug": event.slug,
        "timezone": event.timezone,
        "ws": f"/ws/events/{event.slug}/control/",
        "snapshot": f"/api/v1/events/{event.slug}/control",
        "counts": f"/api/v1/checkin/events/{event.slug}/counts",
        # Changes are pushed; this refresh is for what moves with the clock alone ("in progress").
        "refreshSeconds": CONTROL_REFRESH_SECONDS,
        # Which buttons a session in each status gets: the sessions' own table, not a copy in the page.
        "actions": sessions.control_actions(),
    }
    labels = _labels(
        minutes=_("Minutes"),
        room=_("Room"),
        start=_("Start"),
        end=_("End"),
        delay=_("Delay"),
        move=_("Move"),
        cancel=_("Cancel"),
        confirmCancel=_("Cancel this session for everyone?"),
        everyone=_("Everyone"),
        present=_("%(present)s here now"),
        presentOf=_("%(present)s of %(capacity)s here now"),
        arrived=_("%(arrived)s checked in"),
        status={
            "scheduled": _("Scheduled"),
            "live": _("Live"),
            "ended": _("Ended"),
            "cancelled": _("Cancelled"),
        },
    )
    context = {
        "event": event,
        "config": config,
        "labels": labels,
        "roles": Registration.Role.choices,
        "audiences": Announcement.Audience.choices,
        "site_languages": settings.LANGUAGES,
    }
    return render(request, "live/control.html", context)


def screen(request: HttpRequest, slug: str) -> HttpResponse:
    """`/events/<slug>/screen`: a lobby screen. No login; public data only."""
    event = selectors.event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise Http404
    config = {
        "slug": event.slug,
        "timezone": event.timezone,
        "ws": f"/ws/events/{event.slug}/screen/",
        "snapshot": f"/api/v1/events/{event.slug}/live",
    }
    labels = _labels(registered=_("Registered"), present=_("Here now"), now=_("Now"))
    return render(request, "live/screen.html", {"event": event, "config": config, "labels": labels})


def my_day(request: HttpRequest) -> HttpResponse:
    """`/me/day`: my registrations, sessions, meetings and announcements, live."""
    if not request.user.is_authenticated:
        return render(request, "live/my_day_signed_out.html", status=401)
    config = {"ws": "/ws/me/day/", "snapshot": "/api/v1/me/day", "matching": "/api/v1/matching/"}
    labels = _labels(
        updates=_("%(n)s updates"),
        accept=_("Accept"),
        decline=_("Decline"),
        table=_("table"),
        meetings=_("Meetings"),
        none=_("You have no events coming up."),
        fresh=_("New"),
        announcements=_("Announcements"),
        sessions=_("Sessions"),
        roles=dict(Registration.Role.choices),
        statuses=dict(Registration.Status.choices),
    )
    return render(request, "live/my_day.html", {"config": config, "labels": labels})
