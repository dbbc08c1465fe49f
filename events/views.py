"""Pages for attendees: events, the agenda, registering, and "my registration" through a magic link.

Views parse input, call one selector or service, and render; the rules live in services.py.
"""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config import ratelimit
from events import agenda, selectors, services
from events.exceptions import AlreadyRegistered, EventsError
from events.forms import RegistrationForm
from events.links import registration_from_token, registration_offer_from_token
from events.models import Consent, Event, Registration, Session, User

# The session key under which the registration just made waits for its confirmation page.
_JUST_REGISTERED = "events.just_registered"
# The session key under which what someone typed for a person waits for that person's check.
_OFFERED = "events.registration_offered"
_OFFER_FIELDS = (
    "full_name",
    "role",
    "organisation_name",
    "language",
    "consent_share_profile",
    "consent_attendee_list",
)

# Statuses from which a person may still cancel.
_CANCELLABLE = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise Http404
    return event


def _accepts_registrations(event: Event) -> bool:
    # Only for what the page shows; registration_create enforces the rule itself.
    return event.registration_open and event.status in (Event.Status.PUBLISHED, Event.Status.LIVE)


def _agenda_by_day(sessions: list[Session], tz: zoneinfo.ZoneInfo) -> list[tuple[date, list[Session]]]:
    """Sessions grouped by the calendar day they start on in the event's own time zone."""
    return [
        (day, list(group))
        for day, group in itertools.groupby(sessions, key=lambda s: s.starts_at.astimezone(tz).date())
    ]


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.event_list_upcoming(user=request.user)
    return render(request, "events/event_list.html", {"events": events})


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    sessions = list(selectors.session_list_visible(user=request.user, event=event))
    mine = None
    if request.user.is_authenticated:
        mine = selectors.registrations_for_user(user=request.user).filter(event=event).first()
    context = {
        "event": event,
        "days": _agenda_by_day(sessions, event.tzinfo),
        "attendees": list(selectors.attendee_list_public(event=event)),
        "accepts_registrations": _accepts_registrations(event),
        "is_full": event.capacity is not None and selectors.seated_count(event=event) >= event.capacity,
        "my_registration": mine,
        **_programme_context(mine, sessions, back=request.path),
    }
    return render(request, "events/event_detail.html", context)


def _programme_context(registration: Registration | None, sessions: list[Session], *, back: str) -> dict:
    """What the "add to my programme" buttons need: which sessions are the person's, which are full.

    Marks each session with `seats_left` (None: no limit) and `over` (cancelled, ended or past).
    """
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return {"programme": None}
    chosen, given = selectors.programme_session_ids(registration=registration)
    taken = selectors.session_seats_taken(event=registration.event)
    now = timezone.now()
    for s in sessions:
        s.seats_left = None if s.capacity is None else max(s.capacity - taken.get(s.pk, 0), 0)
        s.over = s.status in (Session.Status.CANCELLED, Session.Status.ENDED) or s.ends_at < now
    return {"programme": {"registration": registration, "chosen": chosen, "given": given, "back": back}}


def _refuse_staff_link(request: HttpRequest, user: User, next_url: str) -> HttpResponse | None:
    """Staff and superusers sign in with their password only: an emailed link is no key to their powers."""
    if not (user.is_staff or user.is_superuser):
        return None
    messages.info(request, _("Organisers and staff sign in with their password, not with an emailed link."))
    return redirect(f"{reverse('events:sign_in')}?{urlencode({'next': next_url})}")


def _set_language_cookie(request: HttpRequest, response: HttpResponse, language: str) -> None:
    # The emailed link speaks the person's chosen language; keep it unless they picked another here.
    offered = {code for code, _name in settings.LANGUAGES}
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and language in offered:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


def _offered_choices(request: HttpRequest, event: Event) -> dict:
    """What someone typed for this person, waiting for them after they opened the emailed link."""
    offered = request.session.get(_OFFERED)
    if not request.user.is_authenticated or not isinstance(offered, dict) or offered.get("event") != event.slug:
        return {}
    return {name: offered[name] for name in _OFFER_FIELDS if name in offered}


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    initial = {}
    if request.user.is_authenticated:
        # A person who came back through their link registers for a second event in two taps, or
        # finds what someone typed for them, to check and send themselves.
        initial = {"full_name": request.user.full_name, **_offered_choices(request, event), "email": request.user.email}
    if request.method == "POST":
        ratelimit.hit("registration", request=request, account=request.POST.get("email"))
    form = RegistrationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_request(
                event=event,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                organisation_name=data["organisation_name"],
                language=data["language"],
                gender=data["gender"],
                city=data["city"],
                consent_share_profile=data["consent_share_profile"],
                consent_attendee_list=data["consent_attendee_list"],
                actor=request.user,
                source=Consent.Source.PAGE,
                client=request.path,
            )
        except AlreadyRegistered as exc:
            form.add_error("email", exc.message)
        except EventsError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(_OFFERED, None)
            # Only the signed-in owner learns about the registration; anyone else learns where the
            # email went, and the same whether the address was new, known or already registered.
            request.session[_JUST_REGISTERED] = {
                "event": event.slug,
                "email": data["email"],
                "registration": registration.pk if registration is not None else None,
            }
            return redirect("events:registered", slug=event.slug)
    context = {"event": event, "form": form, "accepts_registrations": _accepts_registrations(event)}
    return render(request, "events/register.html", context)


@require_safe
def registered(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation after registering; shown only to the browser that registered."""
    just = request.session.get(_JUST_REGISTERED)
    if not isinstance(just, dict) or just.get("event") != slug:
        return redirect("events:detail", slug=slug)
    event = _event_or_404(request, slug)
    registration = None
    if just.get("registration") is not None:
        registration = selectors.registration_get_for_user(user=request.user, pk=just["registration"])
    context = {"event": event, "registration": registration, "email": just.get("email", "")}
    return render(request, "events/registered.html", context)


@require_safe
def magic_link(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_from_token(token)
    if registration is None or not registration.user.is_active:
        return render(request, "events/magic_link_invalid.html", status=400)
    target = reverse("events:my_registration", args=[registration.pk])
    if (refused := _refuse_staff_link(request, registration.user, target)) is not None:
        return refused
    login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
    # The token is a key: the consent rows name the kind of link, never the link itself.
    services.email_confirm(user=registration.user, client=reverse("events:magic", args=["-"]))
    response = redirect(target)
    _set_language_cookie(request, response, registration.language)
    return response


@require_safe
def registration_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to an address's owner when someone else asked to register them: sign in, then check and send."""
    offer = registration_offer_from_token(token)
    if offer is None:
        return render(request, "events/magic_link_invalid.html", status=400)
    target = reverse("events:register", args=[offer.event.slug])
    if (refused := _refuse_staff_link(request, offer.user, target)) is not None:
        return refused
    login(request, offer.user, backend="django.contrib.auth.backends.ModelBackend")
    services.email_confirm(user=offer.user, client=reverse("events:registration_offer", args=["-"]))
    # After login(): signing in as another person starts a new session, which would drop it.
    request.session[_OFFERED] = {"event": offer.event.slug, **offer.choices}
    response = redirect(target)
    _set_language_cookie(request, response, offer.user.language)
    return response


def _own_registration_or_404(request: HttpRequest, pk: int) -> Registration:
    registration = selectors.registration_get_for_user(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    return registration


@require_safe
def my_registration(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _own_registration_or_404(request, pk)
    # The same programme as "my day" and the personal calendar feed: chosen sessions and those the role gives.
    sessions = list(selectors.programme_sessions(registration=registration))
    context = {
        "registration": registration,
        "event": registration.event,
        "sessions": sessions,
        **_programme_context(registration, sessions, back=request.path),
        "can_cancel": registration.status in _CANCELLABLE,
        "is_invited": registration.status == Registration.Status.INVITED,
    }
    return render(request, "events/my_registration.html", context)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok and target.startswith("/") else default


@require_POST
def programme_change(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    """Add a session to the person's programme or take it out (`action`: add or remove).

    A form post answers with a redirect back and a message; a script asking for JSON gets
    `{"status", "in_programme", "message"}` (and `reason` when refused, with its status).
    """
    registration = _own_registration_or_404(request, pk)
    session = Session.objects.filter(pk=session_id, event_id=registration.event_id).first()
    wants_json = "application/json" in request.headers.get("Accept", "")
    action = request.POST.get("action")
    if session is None or action not in ("add", "remove"):
        if wants_json:
            return JsonResponse({"status": "error", "reason": "bad_request", "message": _("Bad request.")}, status=400)
        raise Http404
    try:
        if action == "add":
            agenda.programme_add(registration=registration, session=session)
            message = _("Added to your programme: %(title)s. Your calendar gets an invitation.")
        else:
            agenda.programme_remove(registration=registration, session=session)
            message = _("Removed from your programme: %(title)s.")
        message %= {"title": session.title}
    except EventsError as exc:
        if wants_json:
            body = {"status": "error", "reason": exc.code, "message": exc.message, "in_programme": action == "remove"}
            return JsonResponse(body, status=exc.status)
        messages.error(request, exc.message)
    else:
        if wants_json:
            return JsonResponse({"status": "ok", "in_programme": action == "add", "message": message})
        messages.success(request, message)
    return redirect(_back(request, reverse("events:my_registration", args=[registration.pk])))


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure?"; POST cancels (a freed seat goes to the waitlist)."""
    registration = _own_registration_or_404(request, pk)
    if registration.status not in _CANCELLABLE:
        return redirect("events:my_registration", pk=pk)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("events:my_registration", pk=pk)
    return render(request, "events/cancel_confirm.html", {"registration": registration, "event": registration.event})


@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline an invitation."""
    registration = _own_registration_or_404(request, pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Please choose to accept or decline."))
        return redirect("events:my_registration", pk=pk)
    try:
        registration = services.invitation_respond(registration=registration, accept=answer == "accept")
    except EventsError as exc:
        messages.error(request, exc.message)
    else:
        if registration.status == Registration.Status.DECLINED:
            messages.success(request, _("You declined the invitation."))
        elif registration.status == Registration.Status.WAITLISTED:
            messages.success(request, _("The event is full, so you are on the waitlist."))
        else:
            messages.success(request, _("You accepted the invitation. See you there!"))
    return redirect("events:my_registration", pk=pk)


@require_safe
def me(request: HttpRequest) -> HttpResponse:
    registrations = []
    if request.user.is_authenticated:
        registrations = list(selectors.registrations_for_user(user=request.user))
    return render(request, "events/me.html", {"registrations": registrations})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("events:list")
