"""Signing in: the password sign-in that lands each role where it works, and "email me my link".

Attendees have no password; a person who lost their emailed link asks for it here or on an event's
page. The answer is the same page, with the same status and the same work done (one rate-limit count
and one queued task), whether or not the address is known: the lookup happens in the worker
(events.lost_links), so the page tells nobody who is registered.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config import ratelimit
from events import selectors
from events.landing import landing_url
from events.lost_links import link_request


class SignInView(auth_views.LoginView):
    """Django's password sign-in; without `?next` each role lands on its own page (events/landing.py)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


@require_POST
def my_link_request(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """ "Email me my link", from the sign-in page or (with `slug`) an event's page."""
    event = None
    if slug is not None:
        event = selectors.event_get_visible(user=request.user, slug=slug)
        if event is None:
            raise Http404
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "registration/link_request.html", {"link_form": form, "event": event}, status=400)
    email = form.cleaned_data["email"]
    # The same budget as registering, which also emails a known address its link (config/ratelimit.py).
    ratelimit.hit("registration", request=request, account=email)
    link_request(email=email, event=event)
    return render(request, "registration/link_sent.html", {"email": email, "event": event})
