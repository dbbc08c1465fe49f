"""WebSocket authentication by session cookie or `Authorization: Bearer` header.

The token lookup lives in a domain app; settings name it (`REALTIME_TOKEN_AUTHENTICATOR`) so this
package depends on none.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.module_loading import import_string


@database_sync_to_async
def _user_for_token(raw: str) -> Any:
    authenticate = import_string(settings.REALTIME_TOKEN_AUTHENTICATOR)
    return authenticate(raw)


class BearerTokenMiddleware:
    """Replaces the session user with the token's user when a valid bearer token is sent."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() == "bearer ":
            user = await _user_for_token(auth[7:].strip())
            if user is not None:
                scope = {**scope, "user": user}
        return await self.inner(scope, receive, send)


def RealtimeAuthStack(inner: Any) -> Any:
    return AuthMiddlewareStack(BearerTokenMiddleware(inner))
