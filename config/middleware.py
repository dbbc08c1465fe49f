"""Project-wide guards: malformed requests get a clear 400 instead of a 500; every response a
Content-Security-Policy; a rate-limited page the 429 page."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost, SuspiciousOperation, ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.defaults import bad_request

from config.ratelimit import RateLimited

logger = logging.getLogger(__name__)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadCharacters(SuspiciousOperation):
    """A NUL character in a URL or form field: no legitimate client sends one."""


def _has_nul(request: HttpRequest) -> bool:
    # Not for the API: parsing a multipart body here would leave Ninja unable to read it (a 500),
    # and its schemas and selectors refuse NUL themselves with JSON errors in the API's own shape.
    if request.path.startswith("/api/"):
        return False
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        sources.append(request.POST)
    return any("\x00" in key or any("\x00" in v for v in values) for qd in sources for key, values in qd.lists())


class RejectNulMiddleware:
    """PostgreSQL refuses NUL in text parameters; refuse it at the door for every page and form.

    JSON bodies are validated by the API's schemas, which refuse NUL field by field.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_request(request, BadCharacters("NUL character in request"))
        return self.get_response(request)


class AdminBadInputMiddleware:
    """Django's own admin trusts hand-edited ids and filters (`?event=99999999999999999999`, a
    non-numeric bulk selection) and lets the database error escape as a 500. Organisers can type
    such URLs; answer them with the 400 page and log the cause instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/admin/"):
            return None
        if not isinstance(exception, ValidationError | ValueError | OverflowError | DataError):
            return None
        logger.warning("admin: bad input on %s: %r", request.path, exception)
        return bad_request(request, exception)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the page's own host to connect-src for the live pages' WebSockets.

    CSP Level 3 lets 'self' cover ws: and wss: on the same host, but not every browser in use at a
    venue does; naming the scheme and host keeps live pages working everywhere and allows nothing else.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts  # answered with a 400 anyway; name no host a client made up
        sockets = [f"wss://{host}"] if request.is_secure() else [f"ws://{host}", f"wss://{host}"]
        update = dict(parts.update or {})
        existing = update.get("connect-src") or []
        update["connect-src"] = [*([existing] if isinstance(existing, str) else existing), *sockets]
        parts.update = update
        return parts


class RateLimitedPageMiddleware:
    """A page whose handler raised RateLimited (config/ratelimit.py): the translated 429 page.

    The API answers the same exception in JSON (config/api.py); Ninja handles it before it gets here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        logger.info("rate limited: %s from %s", exception.scope, request.META.get("REMOTE_ADDR"))
        minutes = max(1, math.ceil(exception.retry_after / 60))
        response = render(request, "429.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
