"""ASGI entry point: HTTP through Django, WebSockets through Channels' router."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.routing import ChannelNameRouter, ProtocolTypeRouter, URLRouter  # noqa: E402

from config.gc_tuning import tune_after_startup  # noqa: E402
from config.routing import SameOriginValidator, websocket_urlpatterns  # noqa: E402
from matching.live_worker import CHANNEL as MATCHING_LIVE  # noqa: E402
from matching.live_worker import MatchingLiveConsumer  # noqa: E402
from realtime.auth import RealtimeAuthStack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Browsers' sockets only from pages of this site, port included (config/routing.py).
        "websocket": SameOriginValidator(RealtimeAuthStack(URLRouter(websocket_urlpatterns))),
        # Background workers on the channel layer: `manage.py runworker matching-live`.
        "channel": ChannelNameRouter({MATCHING_LIVE: MatchingLiveConsumer.as_asgi()}),
    }
)

# What the first requests would import (every URLconf, view and API schema; the matching engine and
# numpy, which the door's first arrival loads) is imported now, so that it is frozen with the rest.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - importing the URLconfs is the point
import matching.board  # noqa: E402, F401

tune_after_startup()
