"""The JSON API at /api/v1/: one NinjaAPI, with a router per app and errors that are always JSON."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from events.exceptions import EventsError
from events.selectors import user_from_api_token

logger = logging.getLogger(__name__)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_from_api_token(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerAuth()


def _anonymous(request: HttpRequest) -> Any:
    # Lets a handler be reached without credentials while still trying bearer and session first.
    return True


# Order matters: a bearer token wins, then the browser session (with CSRF), then anonymous.
OPTIONAL_AUTH = [bearer, django_auth, _anonymous]
REQUIRED_AUTH = [bearer, django_auth]

api = NinjaAPI(
    title="Explorers Events API",
    version="1.0.0",
    description="Events, sessions, registrations, check-in and matching for labour-mobility programmes.",
    urls_namespace="api",
    auth=REQUIRED_AUTH,
)


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(err.get("msg", "invalid")))
    return fields


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"status": "error", "reason": "validation", "message": "Invalid input.", "errors": _field_errors(exc.errors)},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"status": "error", "reason": "unauthenticated", "message": "Authentication required."}, status=401
    )


@api.exception_handler(EventsError)
def on_domain_error(request: HttpRequest, exc: EventsError) -> HttpResponse:
    return api.create_response(
        request, {"status": "error", "reason": exc.code, "message": exc.message}, status=exc.status
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    reasons = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
    return api.create_response(
        request,
        {"status": "error", "reason": reasons.get(exc.status_code, "error"), "message": str(exc)},
        status=exc.status_code,
    )


def _register_routers() -> None:
    from checkin.api import router as checkin_router
    from events.api import router as events_router
    from matching.api import router as matching_router

    api.add_router("/", events_router)
    api.add_router("/", checkin_router)
    api.add_router("/", matching_router)


_register_routers()
