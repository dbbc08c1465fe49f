"""The JSON API at /api/v1/: one NinjaAPI, with a router per app and errors that are always JSON.

Every error has the same shape, so an integration needs one code path for failures:
`{"status": "error", "reason": <stable code>, "message": <sentence for people>}`, plus `errors`
(field -> list of messages) for bad input.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.api_messages import field_message
from config.auth import REQUIRED_AUTH, bearer
from config.ratelimit import RateLimited
from events.exceptions import EventsError

logger = logging.getLogger(__name__)


def error_body(reason: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "error", "reason": reason, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


class JsonErrorsNinjaAPI(NinjaAPI):
    """A NinjaAPI whose "method not allowed" and "no such path" answers are JSON like every other error."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Ninja answers a wrong method with a plain-text 405 and leaves unknown paths to Django's HTML
        # 404; wrapping its views and adding a last catch-all keeps /api/v1/ JSON-only.
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        urls.append(re_path(r"^.*$", _json_404, name="api-not-found"))
        return urls


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = api.create_response(
                request,
                error_body("not_allowed", _("Allowed methods: %(allowed)s.") % {"allowed": allowed}),
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


def _json_404(request: HttpRequest) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("No such API endpoint.")), status=404)


def _docs_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and its docs page: public and read-only, answering like every other route.

    A write is a JSON 405 (not Django's HTML CSRF page: nothing here changes, so there is nothing to
    forge), and a bad bearer token a 401.
    """

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            allowed = "GET, HEAD"
            response = api.create_response(
                request,
                error_body("not_allowed", _("Allowed methods: %(allowed)s.") % {"allowed": allowed}),
                status=405,
            )
            response["Allow"] = allowed
            return response
        if "Authorization" in request.headers and bearer(request) is None:
            return on_auth_error(request, AuthenticationError())
        return view(request, *args, **kwargs)

    return wrapper


api = JsonErrorsNinjaAPI(
    title="Explorers Events API",
    version="1.0.0",
    description=(
        "Events, sessions, registrations, check-in and matching for labour-mobility programmes. "
        "Authenticate with `Authorization: Bearer <token>` (tokens: `manage.py create_api_token EMAIL`)."
    ),
    urls_namespace="api",
    auth=REQUIRED_AUTH,
    docs_decorator=_docs_guard,
)


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "filters")]
        fields.setdefault(".".join(loc) or "__all__", []).append(field_message(err))
    return fields


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, error_body("validation", _("Invalid input."), _field_errors(exc.errors)), status=422
    )


@api.exception_handler(DjangoValidationError)
def on_model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # Raised by a service's full_clean(): the model's own rules (unique slug, ends after start…).
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    errors = {("__all__" if k == "__all__" else k): [str(m) for m in v] for k, v in errors.items()}
    return api.create_response(request, error_body("validation", _("Invalid input."), errors), status=422)


@api.exception_handler(IntegrityError)
def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests racing to create the same thing: the database's unique constraint decides.
    logger.info("API integrity error: %s", exc)
    return api.create_response(
        request, error_body("conflict", _("This conflicts with something that already exists.")), status=409
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, error_body("unauthenticated", _("Authentication required: send a valid bearer token.")), status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = max(1, math.ceil(exc.retry_after / 60))
    message = ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = api.create_response(request, error_body("rate_limited", message), status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(EventsError)
def on_domain_error(request: HttpRequest, exc: EventsError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, exc.message), status=exc.status)


_HTTP_REASONS = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and exc.__cause__ is not None:
        # Ninja raises HttpError(400) from the parser's exception when the body is not JSON at all
        # (bad syntax, bytes that are not UTF-8, absurd nesting). Wrong shapes and types are 422.
        return api.create_response(
            request, error_body("malformed_json", _("The request body is not valid JSON.")), status=400
        )
    return api.create_response(
        request, error_body(_HTTP_REASONS.get(exc.status_code, "error"), str(exc)), status=exc.status_code
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(ObjectDoesNotExist)
def on_vanished(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Something deleted between the lookup and the write (an organiser removing an event meanwhile).
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(DjangoPermissionDenied)
def on_django_permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body("forbidden", _("You may not do this.")), status=403)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return api.create_response(request, error_body("too_large", _("The request body is too large.")), status=413)
    return api.create_response(request, error_body("bad_request", _("Bad request.")), status=400)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, never the client's fault: log it whole, answer in JSON like everything else.
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return api.create_response(request, error_body("server_error", _("Something went wrong on our side.")), status=500)


def _register_routers() -> None:
    from checkin.api import router as checkin_router
    from events.agenda_api import router as agenda_router
    from events.api import router as events_router
    from events.live_api import router as live_router
    from events.privacy_api import router as privacy_router
    from events.programme_api import router as programme_router
    from events.questionnaire_api import router as questionnaire_router
    from events.questionnaire_summary_api import router as questionnaire_summary_router
    from events.stakeholder_api import router as stakeholder_router
    from matching.api import router as matching_router
    from matching.indicators_api import router as indicators_router
    from matching.outcome_api import router as outcome_router

    api.add_router("/", events_router)
    api.add_router("/", agenda_router)
    api.add_router("/", live_router)
    api.add_router("/", privacy_router)
    api.add_router("/", programme_router)
    api.add_router("/", questionnaire_router)
    api.add_router("/", questionnaire_summary_router)
    api.add_router("/", stakeholder_router)
    api.add_router("/", checkin_router)
    api.add_router("/", matching_router)
    api.add_router("/", indicators_router)
    api.add_router("/", outcome_router)


_register_routers()
