"""The matching engine's reaction to arrivals in a worker of its own (`runworker matching-live`)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from datetime import timedelta

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import ApplicationCommunicator
from django.utils import timezone

from checkin.selectors import ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from matching import board
from matching.live_worker import CHANNEL, MatchingLiveConsumer, _wire, on_arrivals
from tests.conftest import make_token, requires_redis
from tests.matching.fair_setup import _fresh_index, build_fair, checkin_info, set_inside  # noqa: F401
from tests.realtime.helpers import communicator, session_cookie
from tests.servers import BASE_DIR, DaphneServer, child_env, running

pytestmark = pytest.mark.django_db(transaction=True)


async def test_with_the_worker_on_a_web_worker_only_passes_the_batch_on(actors, settings):
    settings.MATCHING_LIVE_WORKER = True
    await sync_to_async(build_fair)(actors)
    await sync_to_async(set_inside)(actors.event, actors.candidate)
    info = await sync_to_async(checkin_info)(actors.event, actors.candidate)
    await sync_to_async(on_arrivals)([info])
    message = await asyncio.wait_for(get_channel_layer().receive(CHANNEL), 2)
    assert message == {"type": "arrivals", "infos": [_wire(info)]}
    # Nothing was scored here: this process has no index for the event.
    assert actors.event.pk not in board.index._indexes


async def test_the_worker_scores_arrivals_and_pushes_the_boards_and_shrugs_off_garbage(actors):
    await sync_to_async(build_fair)(actors)
    await sync_to_async(set_inside)(actors.event, actors.candidate)
    info = await sync_to_async(checkin_info)(actors.event, actors.candidate)
    employer = communicator(
        "/ws/matching/job-fair/board/", cookie=await sync_to_async(session_cookie)(actors.employer_a)
    )
    assert (await employer.connect())[0]
    assert (await employer.receive_json_from())["type"] == "hello"
    worker = ApplicationCommunicator(MatchingLiveConsumer.as_asgi(), {"type": "channel", "channel": CHANNEL})
    # Malformed batches are logged and dropped; the worker carries on with the next one.
    await worker.send_input({"type": "arrivals", "infos": "not a list"})
    await worker.send_input({"type": "arrivals", "infos": [{"event_id": "x"}, 7, None]})
    await worker.send_input({"type": "arrivals", "infos": [_wire(info)]})
    pushed = await employer.receive_json_from(timeout=3)
    assert pushed["type"] == "board.changed"
    assert pushed["data"]["openings"][0]["candidates"][0]["candidate_id"] == actors.candidate.pk
    await employer.disconnect()


@requires_redis
@pytest.mark.e2e
def test_a_scan_on_a_web_worker_reaches_the_employer_through_the_live_worker(actors):
    build_fair(actors)
    event = actors.event
    event.starts_at, event.ends_at, event.status = timezone.now(), timezone.now() + timedelta(hours=6), "live"
    event.save()
    payload = ticket_payload(ticket_issue(registration=Registration.objects.get(event=event, user=actors.candidate)))
    door, cookie = make_token(actors.organiser), session_cookie(actors.employer_a).decode()
    env = child_env(MATCHING_LIVE_WORKER="1")
    web = DaphneServer(env=env)
    live = subprocess.Popen(
        [sys.executable, "manage.py", "runworker", CHANNEL],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    async def scenario() -> dict:
        headers = {"Cookie": cookie, "Origin": web.origin}
        async with websockets.connect(web.ws_url + "/ws/matching/job-fair/board/", additional_headers=headers) as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
            async with httpx.AsyncClient(timeout=30) as http:
                answer = await http.post(
                    f"{web.url}/api/v1/checkin/scan",
                    json={"payload": payload, "event": "job-fair", "gate": "Main"},
                    headers={"Authorization": f"Bearer {door}"},
                )
            assert answer.status_code == 201, answer.text
            async with asyncio.timeout(15):
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "board.changed":
                        return message

    try:
        with running(web):
            time.sleep(1.0)  # the worker connects to Redis and listens
            assert live.poll() is None, live.stderr.read().decode()[-2000:] if live.stderr else ""
            pushed = asyncio.run(scenario())
    finally:
        live.terminate()
        live.wait(10)
    assert pushed["data"]["openings"][0]["candidates"][0]["candidate_id"] == actors.candidate.pk
