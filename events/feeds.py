"""Calendar subscription feeds: public per event (all, per track, per room) and personal per token.

Every feed answers conditional requests: the ETag and Last-Modified come from a few aggregate
queries (counts and latest `updated_at`), so a `304 Not Modified` is decided without loading a
single item or rendering the calendar.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events.calendar_items import (
    Validator,
    event_feed_items,
    event_feed_sessions,
    event_feed_state,
    track_named,
    track_slug,
)
from events.calendar_personal import feed_owner, person_name, personal_feed_items, personal_feed_validator
from events.ical import render_feed
from events.models import Event, FeedToken, Room, User

# Calendar programs poll anyway; this lets a proxy or the client skip a request within the hour.
MAX_AGE = 15 * 60


# --- Feed tokens (writes) ---


def feed_token_for(user: User) -> FeedToken:
    """The person's feed token, created on first use.

    Reads `user.feed_token`, so a listing that did `select_related("user__feed_token")` costs no
    query per person once everyone has a token.
    """
    token = getattr(user, "feed_token", None)  # None when absent (RelatedObjectDoesNotExist)
    if token is None:
        with transaction.atomic():
            token, _created = FeedToken.objects.get_or_create(user=user, defaults={"key": FeedToken.generate()})
        user.feed_token = token
    return token


@transaction.atomic
def feed_token_rotate(*, user: User) -> FeedToken:
    """Replace the person's feed token: the old feed URL answers 404 from now on."""
    token = FeedToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        token = FeedToken.objects.create(user=user, key=FeedToken.generate())
    else:
        token.key = FeedToken.generate()
        token.save(update_fields=["key", "rotated_at"])
    user.feed_token = token  # a cached old token must not be shown again
    return token


def feed_url_for(user: User) -> str:
    """The absolute https (or http in development) URL of the person's personal feed."""
    return settings.SITE_URL + reverse("calendar:personal", args=[feed_token_for(user).key])


def webcal_url(url: str) -> str:
    """The same feed as a webcal:// link, which calendar programs open as a subscription."""
    return "webcal://" + url.split("://", 1)[-1]


def event_feed_url(event: Event) -> str:
    return settings.SITE_URL + reverse("calendar:event", args=[event.slug])


def track_feed_url(event: Event, track: str) -> str:
    return settings.SITE_URL + reverse("calendar:track", args=[event.slug, track_slug(track)])


# --- Views ---


def _calendar_response(
    request: HttpRequest, validator: Validator, render: Callable[[], bytes], filename: str, private: bool
) -> HttpResponseBase:
    last_modified = int(validator.last_modified.timestamp()) if validator.last_modified else None
    not_modified = get_conditional_response(request, etag=validator.etag, last_modified=last_modified)
    if not_modified is None:
        # HEAD renders too: its Content-Length and Content-Encoding must be the GET's (RFC 9110
        # §9.3.2), and some calendar programs read them to decide whether to fetch. The body goes
        # through the gzip middleware like the GET's (config/compression.py); the server sends none.
        body = render()
        response: HttpResponseBase = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Length"] = str(len(body))
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    else:
        response = not_modified
    response["ETag"] = validator.etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    if private:
        # The URL is a secret: keep it out of search engines and referrers.
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


_PUBLIC = (Event.Status.PUBLISHED, Event.Status.LIVE, Event.Status.CLOSED)


def _public_feed(
    request: HttpRequest, slug: str, *, track: str | None = None, room: Room | None = None, suffix: str = ""
) -> HttpResponseBase:
    state = event_feed_state(slug, track=track, room_id=room.pk if room else None)
    if state is None or state[1] not in _PUBLIC:
        raise Http404
    event_id, _status, validator = state

    def render() -> bytes:
        event = Event.objects.get(pk=event_id)
        sessions = event_feed_sessions(event, track=track, room_id=room.pk if room else None)
        name = " · ".join(p for p in (event.title, suffix) if p)
        return render_feed(event_feed_items(event, sessions), name=name, zone=event.timezone)

    # The filename header stays ASCII; a name in another script falls back to the event's slug.
    filename = "-".join(p for p in (slug, slugify(suffix)) if p) + ".ics"
    return _calendar_response(request, validator, render, filename, private=False)


@require_safe
def event_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _public_feed(request, slug)


@require_safe
def track_feed(request: HttpRequest, slug: str, track_slug: str) -> HttpResponseBase:
    event = get_object_or_404(Event, slug=slug)
    track = track_named(event, track_slug)
    if track is None:
        raise Http404
    return _public_feed(request, slug, track=track, suffix=track)


@require_safe
def room_feed(request: HttpRequest, slug: str, room_id: int) -> HttpResponseBase:
    room = get_object_or_404(Room, pk=room_id, event__slug=slug)
    return _public_feed(request, slug, room=room, suffix=room.name)


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponseBase:
    owner = feed_owner(token)
    if owner is None:
        raise Http404
    user_id, language = owner
    # The person's own language, whatever the calendar program's Accept-Language says: Outlook on
    # an English office computer still shows a Lithuanian official their programme in Lithuanian.
    offered = {code for code, _name in settings.LANGUAGES}
    language = language if language in offered else settings.LANGUAGE_CODE

    def render() -> bytes:
        with translation.override(language):
            name = _("My programme · %(name)s") % {"name": person_name(user_id)}
            return render_feed(personal_feed_items(user_id), name=name, zone=settings.TIME_ZONE)

    return _calendar_response(
        request, personal_feed_validator(user_id, token, language), render, "programme.ics", private=True
    )


@require_POST
@login_required
def rotate(request: HttpRequest) -> HttpResponse:
    """The owner replaces their feed URL (organisers do it for anyone from the admin)."""
    feed_token_rotate(user=request.user)  # type: ignore[arg-type]
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)
