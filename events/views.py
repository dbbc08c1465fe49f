"""Pages for attendees. Placeholders for the pages work; see templates/events/."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from events import selectors
from events.links import registration_from_token
from events.models import Registration


def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.event_list_visible(user=request.user)
    return render(request, "events/event_list.html", {"events": events})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise Http404
    sessions = selectors.session_list_visible(user=request.user, event=event)
    return render(request, "events/event_detail.html", {"event": event, "sessions": sessions})


def register(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def magic_link(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_from_token(token)
    if registration is None or not registration.user.is_active:
        return render(request, "events/magic_link_invalid.html", status=400)
    login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("events:my_registration", pk=registration.pk)


def my_registration(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    registration = get_object_or_404(Registration.objects.select_related("event", "user"), pk=pk, user=request.user)
    return render(request, "events/my_registration.html", {"registration": registration})
