"""A live page's socket is accepted only from a page of the same site, port included.

Channels' AllowedHostsOriginValidator compared host names only: any page served from another port
of the same machine could open http://127.0.0.1:8000's streams with the person's cookie.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tests.realtime.helpers import application, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/events/job-fair/screen/"


def _socket(origin: str, host: str, cookie: bytes | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", origin.encode()), (b"host", host.encode())]
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, PATH, headers=headers)


async def test_a_page_on_the_same_host_and_port_opens_the_socket(actors):
    comm = _socket("http://127.0.0.1:8000", "127.0.0.1:8000")
    connected, _ = await comm.connect()
    assert connected
    hello = await receive_type(comm, "hello")
    assert hello["streams"] == ["event:job-fair:public"]
    await comm.disconnect()


async def test_a_page_on_another_port_of_the_same_host_is_refused(actors):
    cookie = await database_sync_to_async(session_cookie)(actors.organiser)
    connected, _ = await _socket("http://127.0.0.1:9999", "127.0.0.1:8000", cookie).connect()
    assert not connected


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:8000", "http://127.0.0.1", "null", "http://[::1", "http://127.0.0.1:8000.evil.example"],
)
async def test_any_other_origin_is_refused(actors, origin):
    connected, _ = await _socket(origin, "127.0.0.1:8000").connect()
    assert not connected


async def test_default_ports_compare_as_browsers_write_them(actors):
    # A browser leaves out the default port in Origin; some clients write it in Host.
    comm = _socket("http://127.0.0.1", "127.0.0.1:80")
    connected, _ = await comm.connect()
    assert connected
    await comm.disconnect()
