"""Signed magic links that let an attendee reach "my registration" without a password."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from events.models import Registration

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
