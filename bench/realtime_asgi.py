"""The project's ASGI application plus a bare echo consumer, for bench/realtime.py's baseline.

`/ws/bench/echo/` accepts anyone, joins one group, echoes what it receives and relays the group's
messages; `POST /bench/poke?k=N` sends `{"k": N}` to that group with no database and no auth. Both
exist only in this module, which only the benchmark serves.

`BENCH_CHECKIN_COUNTS_INTERVAL`, when set, overrides the check-in counts' coalescing interval
(`CHECKIN_COUNTS_INTERVAL`) in this worker, so the bench can show what it costs and buys.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from config.asgi import application as project

if os.environ.get("BENCH_CHECKIN_COUNTS_INTERVAL"):
    settings.CHECKIN_COUNTS_INTERVAL = float(os.environ["BENCH_CHECKIN_COUNTS_INTERVAL"])

GROUP = "bench.echo"


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data='{"type":"hello"}')

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data or "")

    async def bench_msg(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])


echo = EchoConsumer.as_asgi()
_websocket = project.application_mapping["websocket"]
_http = project.application_mapping["http"]


async def _poke(scope: dict, receive: Any, send: Any) -> None:
    while (await receive()).get("more_body"):
        pass
    k = parse_qs(scope.get("query_string", b"").decode()).get("k", ["0"])[0]
    text = json.dumps({"type": "bench", "k": int(k)})
    await get_channel_layer().group_send(GROUP, {"type": "bench.msg", "text": text})
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"k":' + k.encode() + b"}"})


async def application(scope: dict, receive: Any, send: Any) -> None:
    if scope["type"] == "websocket" and scope["path"] == "/ws/bench/echo/":
        return await echo(scope, receive, send)
    if scope["type"] == "http" and scope["path"] == "/bench/poke":
        return await _poke(scope, receive, send)
    return await project(scope, receive, send)
