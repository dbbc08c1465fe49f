"""Every WebSocket route, gathered from the apps that own the streams."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.urls import re_path

from checkin.routing import websocket_urlpatterns as checkin_ws
from events.routing import websocket_urlpatterns as events_ws
from matching.routing import websocket_urlpatterns as matching_ws
from realtime.consumers import CLOSE_NOT_FOUND


class NoSuchStreamConsumer(AsyncWebsocketConsumer):
    """Any other path: accepted and closed with 4404 ("not found, don't retry").

    Without this last route Channels raises ValueError for an unknown path, which Daphne logs as a
    traceback and answers with a 500; a mistyped or probed URL is the client's error, not ours.
    """

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)


websocket_urlpatterns = [*events_ws, *checkin_ws, *matching_ws, re_path(r"", NoSuchStreamConsumer.as_asgi())]


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _without_default_port(netloc: str, scheme: str) -> str:
    """`host[:port]` in lower case, with the scheme's default port left out as browsers leave it out."""
    netloc = netloc.strip().lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and netloc.endswith(f":{default}"):
        return netloc[: -len(default) - 1]
    return netloc


class SameOriginValidator(OriginValidator):
    """A browser may open a socket only from a page of the same site: its Origin's host *and port* must be
    the host it connected to (the Host header), which must be one of ALLOWED_HOSTS.

    Channels' AllowedHostsOriginValidator compares host names only, so a page served from another port
    of the same machine (http://127.0.0.1:9999, any local program) could open the live streams of
    http://127.0.0.1:8000 with the person's cookie. Clients that send no Origin (scanners and
    integrations with bearer tokens) are refused as before. A browser always sends Origin and Host; a
    handshake without Host (only test clients) gets Channels' host-name check alone.
    """

    def __init__(self, application: Any) -> None:
        super().__init__(application, settings.ALLOWED_HOSTS)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        origin, host = _header(scope, b"origin"), _header(scope, b"host")
        if origin is not None and host is not None:
            try:
                parts = urlsplit(origin)
                same = _without_default_port(parts.netloc, parts.scheme) == _without_default_port(host, parts.scheme)
            except ValueError:  # not a URL at all ("http://[::1")
                same = False
            if not same:
                return await WebsocketDenier()(scope, receive, send)
        return await super().__call__(scope, receive, send)
