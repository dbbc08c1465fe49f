"""What django-axes needs from us: whose account a sign-in names, and the page a locked-out person sees.

The lockout itself is django-axes' (settings: AXES_*; docs/security.md).
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.ratelimit import client_address


def client_ip(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address the rate limits use, or None when there is none.

    A login without a request address (Django's test client's force_login, a management command)
    must not reach the database as "unknown": PostgreSQL's inet column refuses it.
    """
    address = client_address(request)
    return None if address == "unknown" else address


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in attempt names, as stored: emails are kept lower-case, so
    "Organiser@…" and "organiser@…" are one account and share one count of failures."""
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("email") or request.POST.get("username") or ""
    return str(raw).strip().lower()


def seconds_until_unlocked(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """When the lockout of this account and this address ends at the latest: the cool-off after the
    last failure counted against either (failures during the lockout are not counted)."""
    cool_off = get_cool_off(request)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    latest = AccessAttempt.objects.filter(
        Q(username=username_of(request, credentials)) | Q(ip_address=client_ip(request)),
        attempt_time__gte=now - cool_off,
    ).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((latest + cool_off - now).total_seconds()))


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the 429 page with the time until the lockout ends."""
    # django-axes' async middleware passes the credentials where the response belongs; they are also
    # kept on the request, which both paths set.
    if not isinstance(credentials, dict):
        credentials = original_response if isinstance(original_response, dict) else None
    credentials = credentials or getattr(request, "axes_credentials", None)
    seconds = seconds_until_unlocked(request, credentials)
    response = render(request, "registration/locked_out.html", {"minutes": max(1, math.ceil(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response
