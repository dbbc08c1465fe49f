"""ASGI entry point: HTTP through Django, WebSockets through Channels' router."""

from __future__ import annotations

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from realtime.auth import RealtimeAuthStack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(RealtimeAuthStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything imported so far lives as long as the process. Moving it out of the collector's sight
# makes each full collection walk only what requests created since: a busy door measured full
# collections of ~85 ms without this and ~35 ms with it (bench/checkin.py, docs/checkin.md), and
# every request in flight waits out such a pause.
gc.collect()
gc.freeze()
