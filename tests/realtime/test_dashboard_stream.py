"""The organiser dashboard stream, through the full ASGI application (origin check, auth, routing)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from events import services
from realtime.consumers import (
    CLOSE_BAD_MESSAGE,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_RATE_LIMITED,
    CLOSE_TOO_BIG,
    CLOSE_UNAUTHENTICATED,
)
from tests.conftest import make_token
from tests.realtime.helpers import communicator, connect_and_close_code, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/events/job-fair/dashboard/"


async def _open(comm) -> dict:
    connected, _ = await comm.connect()
    assert connected
    return await receive_type(comm, "hello")


async def test_organiser_sees_a_new_registration_pushed_with_the_counts(actors):
    comm = communicator(PATH, cookie=await database_sync_to_async(session_cookie)(actors.organiser))
    hello = await _open(comm)
    assert hello["streams"] == ["event:job-fair:dashboard"]

    await database_sync_to_async(services.registration_create)(
        event=actors.event, email="new@example.org", full_name="New Candidate"
    )

    message = await receive_type(comm, "registrations.changed")
    await comm.disconnect()
    assert message["stream"] == "event:job-fair:dashboard"
    assert message["data"]["by_role"]["candidate"]["registered"] == 2
    assert message["data"]["total"] == 5


async def test_pushed_message_matches_the_http_snapshot(actors):
    comm = communicator(PATH, token=await database_sync_to_async(make_token)(actors.organiser))
    await _open(comm)
    await database_sync_to_async(services.registration_create)(
        event=actors.event, email="snap@example.org", full_name="Snap Shot"
    )
    message = await receive_type(comm, "registrations.changed")
    await comm.disconnect()

    @database_sync_to_async
    def snapshot() -> dict:
        client = Client()
        client.force_login(actors.organiser)
        response = client.get("/api/v1/events/job-fair/dashboard")
        assert response.status_code == 200
        return response.json()

    body = await snapshot()
    # The snapshot is at least as new as the message (other capabilities publish on this stream too,
    # e.g. check-in counts), and shows the same registration figures.
    assert body["seq"] >= message["seq"]
    assert {k: v for k, v in body.items() if k != "seq"} == {k: v for k, v in message["data"].items() if k != "seq"}


async def test_bearer_token_in_the_header_authenticates(actors):
    token = await database_sync_to_async(make_token)(actors.organiser)
    comm = communicator(PATH, token=token)
    hello = await _open(comm)
    await comm.disconnect()
    assert hello["type"] == "hello"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", CLOSE_UNAUTHENTICATED), ("outsider", CLOSE_FORBIDDEN), ("employer_a", CLOSE_FORBIDDEN)],
)
async def test_non_organisers_are_refused_with_a_close_code(actors, who, expected):
    cookie = None if who == "anonymous" else await database_sync_to_async(session_cookie)(getattr(actors, who))
    assert await connect_and_close_code(communicator(PATH, cookie=cookie)) == expected


async def test_revoked_or_unknown_tokens_are_unauthenticated(actors):
    assert await connect_and_close_code(communicator(PATH, token="ee_not-a-token")) == CLOSE_UNAUTHENTICATED


async def test_unknown_event_is_not_found(actors):
    token = await database_sync_to_async(make_token)(actors.organiser)
    code = await connect_and_close_code(communicator("/ws/events/no-such-event/dashboard/", token=token))
    assert code == CLOSE_NOT_FOUND


async def test_foreign_origin_is_rejected_at_the_handshake(actors):
    token = await database_sync_to_async(make_token)(actors.organiser)
    connected, _ = await communicator(PATH, token=token, origin=b"https://evil.example").connect()
    assert not connected


async def test_ping_is_answered_with_pong_echoing_its_id(actors):
    comm = communicator(PATH, token=await database_sync_to_async(make_token)(actors.organiser))
    await _open(comm)
    await comm.send_to(text_data=json.dumps({"type": "ping", "id": 7}))
    pong = await receive_type(comm, "pong")
    await comm.disconnect()
    assert pong["id"] == 7


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ({"bytes_data": b"\x00\x01"}, CLOSE_BAD_MESSAGE),
        ({"text_data": "not json"}, CLOSE_BAD_MESSAGE),
        ({"text_data": "[1, 2]"}, CLOSE_BAD_MESSAGE),
        ({"text_data": '{"type": "subscribe", "stream": "event:other:dashboard"}'}, CLOSE_BAD_MESSAGE),
        ({"text_data": '{"type": "ping", "extra": true}'}, CLOSE_BAD_MESSAGE),
        ({"text_data": '{"type": "ping", "id": "' + "x" * 2000 + '"}'}, CLOSE_TOO_BIG),
    ],
)
async def test_bad_client_messages_close_with_a_code(actors, frame, expected, caplog):
    comm = communicator(PATH, token=await database_sync_to_async(make_token)(actors.organiser))
    await _open(comm)
    await comm.send_to(**frame)
    output = await comm.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": expected}
    assert "Traceback" not in caplog.text


async def test_flooding_pings_closes_as_rate_limited(actors):
    comm = communicator(PATH, token=await database_sync_to_async(make_token)(actors.organiser))
    await _open(comm)
    for _ in range(40):
        await comm.send_to(text_data='{"type": "ping"}')
    code = None
    for _ in range(41):
        output = await comm.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            code = output["code"]
            break
    assert code == CLOSE_RATE_LIMITED


async def test_unreachable_layer_closes_with_try_again_later(actors, caplog):
    from django.test import override_settings

    from realtime.consumers import CLOSE_TRY_AGAIN

    token = await database_sync_to_async(make_token)(actors.organiser)
    with override_settings(CHANNEL_LAYERS={"default": {"BACKEND": "tests.realtime.layers.UnreachableLayer"}}):
        assert await connect_and_close_code(communicator(PATH, token=token)) == CLOSE_TRY_AGAIN
    assert "channel layer unavailable" in caplog.text
    assert "Traceback" not in caplog.text


async def test_layer_lost_under_a_connected_socket_closes_with_try_again_later(actors):
    from django.test import override_settings

    from realtime.consumers import CLOSE_TRY_AGAIN
    from tests.realtime.layers import DroppingLayer

    token = await database_sync_to_async(make_token)(actors.organiser)
    with override_settings(CHANNEL_LAYERS={"default": {"BACKEND": "tests.realtime.layers.DroppingLayer"}}):
        DroppingLayer.down = False
        comm = communicator(PATH, token=token)
        await _open(comm)
        DroppingLayer.down = True
        try:
            output = await comm.receive_output(timeout=2)
        finally:
            DroppingLayer.down = False
    assert output == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN}
