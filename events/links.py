"""Signed links emailed to people: "my registration" without a password, and "finish your registration"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from events.models import Event, Registration, User

_SALT = "events.magic-link"


def magic_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "u": registration.user_id}, salt=_SALT, compress=True)


def magic_link_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("events:magic", args=[magic_token(registration)])


def registration_from_token(token: str) -> Registration | None:
    """The registration a magic link names, or None if it is forged, expired or stale."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.MAGIC_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Registration.objects.select_related("event", "user").filter(pk=data.get("r"), user_id=data.get("u")).first()


def person_url(registration: Registration) -> str:
    """The absolute URL of a person's registration page (login required, or use the magic link)."""
    return settings.SITE_URL + reverse("events:my_registration", args=[registration.pk])


# Its own salt: a "finish your registration" link can never pass for a magic link, nor the reverse.
_OFFER_SALT = "events.registration-offer"


def registration_offer_token(*, user: User, event: Event, choices: dict[str, Any]) -> str:
    # The address is signed too, so a link outlives no change of the account's email.
    return signing.dumps({"u": user.pk, "m": user.email, "e": event.pk, "c": choices}, salt=_OFFER_SALT, compress=True)


def registration_offer_url(*, user: User, event: Event, choices: dict[str, Any]) -> str:
    """The link emailed to an address's owner when someone else asked to register them."""
    token = registration_offer_token(user=user, event=event, choices=choices)
    return settings.SITE_URL + reverse("events:registration_offer", args=[token])


@dataclass(frozen=True)
class RegistrationOffer:
    user: User
    event: Event
    choices: dict[str, Any]


def registration_offer_from_token(token: str) -> RegistrationOffer | None:
    """What a "finish your registration" link names, or None if it is forged, expired or stale."""
    try:
        data = signing.loads(token, salt=_OFFER_SALT, max_age=settings.MAGIC_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), dict):
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("m"), is_active=True).first()
    event = Event.objects.filter(pk=data.get("e")).first()
    if user is None or event is None:
        return None
    return RegistrationOffer(user=user, event=event, choices=data["c"])
