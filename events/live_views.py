"""The live pages: the organisers' control room, the lobby screen and the attendee's "My day".

Each page is a light shell; its data comes from the stream's HTTP snapshot and live messages,
through static/realtime/live.js.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext as _

from events import charts, live_selectors, selectors, sessions
from events.models import Announcement, Event, Registration
from events.stakeholder_selectors import open_follow_ups_for


def _states() -> dict[str, str]:
    return {
        "connecting": _("Connecting…"),
        # The badge says the page is connected and updating, not that the event is happening now.
        "online": pgettext("connection state", "Live"),
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


def _organiser_event(request: HttpRequest, slug: str) -> Event | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_organiser(request.user):
        raise PermissionDenied
    return get_object_or_404(Event, slug=slug)


def arrival_charts(*, event: Event) -> dict[str, SafeString]:
    """The control room's three arrival charts, drawn here as SVG in the reader's language and direction."""
    figures = live_selectors.arrival_figures(event=event)
    roles = dict(Registration.Role.choices)
    common = {
        "rtl": get_language_bidi(),
        "empty": _("No arrivals yet"),
        "item_format": _("%(label)s: %(value)s"),
        "separator": pgettext("between the items of a list", ", "),
    }
    gates = [charts.Bar(key=gate, label=gate or _("No gate"), value=n) for gate, n in figures["by_gate"]]
    by_role = [charts.Bar(key=role, label=str(roles.get(role, role)), value=n) for role, n in figures["by_role"]]
    slots = []
    for start, n in figures["per_5_minutes"]:
        end = start + timedelta(seconds=live_selectors.SLOT_SECONDS)
        tick = formats.time_format(start, "H:i")
        label = _("%(start)s–%(end)s") % {"start": tick, "end": formats.time_format(end, "H:i")}
        slots.append(charts.Bar(key=start.isoformat(), label=label, value=n, tick=tick))
    # Safe: events.charts escapes every text it draws.
    return {
        "by_gate": mark_safe(
            charts.category_chart(chart_id="chart-gate", title=_("Arrivals by gate"), bars=gates, **common)
        ),
        "by_role": mark_safe(
            charts.category_chart(chart_id="chart-role", title=_("Arrivals by role"), bars=by_role, **common)
        ),
        "per_5_minutes": mark_safe(
            charts.time_chart(chart_id="chart-time", title=_("Arrivals per five minutes"), bars=slots, **common)
        ),
    }


def control_arrivals(request: HttpRequest, slug: str) -> HttpResponse:
    """`/events/<slug>/control/arrivals`: the three charts alone, drawn again when a pushed figure needs a new bar."""
    event = _organiser_event(request, slug)
    if isinstance(event, HttpResponse):
        return event
    return render(request, "live/_arrivals.html", {"charts": arrival_charts(event=event)})


def control(request: HttpRequest, slug: str) -> HttpResponse:
    """`/events/<slug>/control`: run the event (organisers)."""
    event = _organiser_event(request, slug)
    if isinstance(event, HttpResponse):
        return event
    config = {
        "slug": event.slug,
        "timezone": event.timezone,
        "ws": f"/ws/events/{event.slug}/control/",
        "snapshot": f"/api/v1/events/{event.slug}/control",
        "counts": f"/api/v1/checkin/events/{event.slug}/counts",
        "arrivals": f"/events/{event.slug}/control/arrivals",
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
        columns={
            "time": _("Time"),
            "session": _("Session"),
            "room": _("Room"),
            "status": _("Status"),
            "attendance": _("Attendance"),
        },
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
        "charts": arrival_charts(event=event),
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
    # Stakeholder follow-ups (issue 13) are drawn on the server: they change by hand, not live.
    follow_ups = list(open_follow_ups_for(user=request.user))
    return render(request, "live/my_day.html", {"config": config, "labels": labels, "follow_ups": follow_ups})
