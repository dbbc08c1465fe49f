"""Who is asking, for the JSON API: the authenticator lists every router and the API object use.

Apart from config/api.py so that a router can import them at the top of its module: config/api.py
imports every router to mount it, and a router importing config/api.py back made a cycle that the
routers dodged with imports inside functions. This module imports no router.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from events.exceptions import PermissionDenied
from events.selectors import api_token_from_raw, is_organiser
from events.services import api_token_used

# Requests that only read: they leave no trace in the database (tests/architecture/test_reads_never_write.py).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.isascii():
            return None  # tokens are URL-safe base64; anything else cannot match and may not even encode
        api_token = api_token_from_raw(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS:  # reads never write
            api_token_used(token=api_token)
        request.user = api_token.user
        _speak_the_owners_language(request, api_token.user)
        return api_token.user


bearer = BearerAuth()


def _speak_the_owners_language(request: HttpRequest, user: Any) -> None:
    """Answer a token's request in the language it asks for (`Accept-Language`), else its owner's.

    LocaleMiddleware has already chosen from the header; an integration that sends none is answered
    in the language its person chose (User.language), as their emails are. Messages are worded after
    authentication, so every error of the request reads in it.
    """
    if request.headers.get("Accept-Language"):
        return
    try:
        language = translation.get_supported_language_variant(user.language or "")
    except LookupError:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language


class OrganiserBearerAuth(BearerAuth):
    """A bearer token of an organiser. Anyone else is refused (403) before their request body is read."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = super().authenticate(request, token)
        if user is not None and not is_organiser(user):
            raise PermissionDenied(_("Only organisers can do this."))
        return user


class BrowserSessionAuth(SessionAuth):
    """The browser session (with CSRF), for requests that bring no credentials of their own.

    A request with an `Authorization` header is judged by that header alone. Otherwise a bad or
    revoked token fell through to the session, whose CSRF check answered 403 "CSRF check Failed" to
    every write: the client was told the wrong thing, and a browser's session cookie could stand in
    for the token the client meant to use.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers:
            return None
        return super().__call__(request)


session_auth = BrowserSessionAuth()


class OrganiserSessionAuth(BrowserSessionAuth):
    """The browser session of an organiser (with CSRF); anyone else signed in gets a 403."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not is_organiser(user):
            raise PermissionDenied(_("Only organisers can do this."))
        return user


def _anonymous(request: HttpRequest) -> Any:
    # Lets a handler be reached without credentials. A client that did send an Authorization header
    # which failed (a typo, a revoked token) gets a 401 instead of silently seeing the public view.
    return "Authorization" not in request.headers or None


# Order matters: a bearer token wins, then the browser session (with CSRF), then anonymous. A request
# that sent an Authorization header that matched nothing ends the chain unauthenticated: a 401.
OPTIONAL_AUTH = [bearer, session_auth, _anonymous]
REQUIRED_AUTH = [bearer, session_auth]
ORGANISER_AUTH = [OrganiserBearerAuth(), OrganiserSessionAuth()]
