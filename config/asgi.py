"""ASGI entry point: HTTP through Django, WebSockets through Channels' router."""

from __future__ import annotations

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.routing import ChannelNameRouter, ProtocolTypeRouter, URLRouter  # noqa: E402

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
import matching.board  # noqa: E402
import matching.board_index  # noqa: E402, F401

# Everything imported so far lives as long as the process. Moving it out of the collector's sight
# makes each full collection walk only what requests created since: a busy door measured full
# collections of ~85 ms without this and ~35 ms with it (bench/checkin.py, docs/checkin.md), and
# every request in flight waits out such a pause.
gc.collect()
gc.freeze()
# A young collection every 5,000 new container objects rather than Python's 700: at 700 the objects
# of the requests in flight are caught alive again and again and promoted to the old generation, and
# a busy door then paid a full collection (~35 ms, which every request in flight waits out) every
# few seconds. Measured at 100 scans/s (bench/checkin.py, docs/checkin.md): p99 ~55 -> ~20 ms.
gc.set_threshold(5000, 10, 10)
