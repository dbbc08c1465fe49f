"""Against real Daphne processes: an HTTP change on a server reaches a WebSocket client."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.conftest import make_token, requires_redis
from tests.realtime.helpers import session_cookie
from tests.servers import DaphneServer, daphne, running  # noqa: F401  (daphne is a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PATH = "/ws/events/job-fair/dashboard/"


async def _next_of_type(ws, type: str, timeout: float = 5.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == type:
                return message


async def _register_outsider(base_url: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        return await http.post(
            "/api/v1/events/job-fair/registrations",
            json={"name": "Otto Outsider", "email": "outsider@example.org"},
            headers={"Authorization": f"Bearer {token}"},
        )


def test_registration_over_http_reaches_the_organisers_socket(actors, daphne):  # noqa: F811
    cookie = session_cookie(actors.organiser).decode()
    token = make_token(actors.outsider)

    async def scenario() -> tuple[httpx.Response, dict, dict]:
        headers = {"Cookie": cookie, "Origin": daphne.origin}
        async with websockets.connect(daphne.ws_url + PATH, additional_headers=headers) as ws:
            hello = await _next_of_type(ws, "hello")
            response = await _register_outsider(daphne.url, token)
            pushed = await _next_of_type(ws, "registrations.changed")
        return response, hello, pushed

    response, hello, pushed = asyncio.run(scenario())
    assert response.status_code == 201, response.text
    assert hello["streams"] == ["event:job-fair:dashboard"]
    assert pushed["data"]["by_role"]["candidate"]["registered"] == 2

    snapshot = httpx.get(
        daphne.url + "/api/v1/events/job-fair/dashboard",
        headers={"Authorization": f"Bearer {make_token(actors.organiser)}"},
    ).json()
    assert snapshot["seq"] >= pushed["seq"]
    assert snapshot["by_role"] == pushed["data"]["by_role"]


def test_refused_client_sees_the_close_code_on_a_real_server(actors, daphne):  # noqa: F811
    token = make_token(actors.outsider)

    async def scenario() -> int | None:
        headers = {"Authorization": f"Bearer {token}", "Origin": daphne.origin}
        async with websockets.connect(daphne.ws_url + PATH, additional_headers=headers) as ws:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            return ws.close_code

    assert asyncio.run(scenario()) == 4403


@requires_redis
def test_change_through_worker_a_reaches_a_socket_on_worker_b(actors):
    organiser_token = make_token(actors.organiser)
    outsider_token = make_token(actors.outsider)
    worker_a, worker_b = DaphneServer(), DaphneServer()

    async def scenario() -> tuple[httpx.Response, dict]:
        headers = {"Authorization": f"Bearer {organiser_token}", "Origin": worker_b.origin}
        async with websockets.connect(worker_b.ws_url + PATH, additional_headers=headers) as ws:
            await _next_of_type(ws, "hello")
            response = await _register_outsider(worker_a.url, outsider_token)
            pushed = await _next_of_type(ws, "registrations.changed")
        return response, pushed

    with running(worker_a, worker_b):
        response, pushed = asyncio.run(scenario())
    assert response.status_code == 201, response.text
    assert pushed["data"]["by_role"]["candidate"]["registered"] == 2
