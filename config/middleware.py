"""Project-wide guards that turn malformed requests into a clear 400 instead of a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request

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
