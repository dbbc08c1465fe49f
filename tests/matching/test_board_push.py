from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from tests.matching.fair_setup import _fresh_index, add_candidate, arrive, build_fair  # noqa: F401
from tests.realtime.helpers import communicator, connect_and_close_code, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user, slug="job-fair"):
    comm = communicator(f"/ws/matching/{slug}/board/", cookie=await sync_to_async(session_cookie)(user))
    connected, _ = await comm.connect()
    assert connected
    hello = await comm.receive_json_from()
    assert hello["type"] == "hello"
    return comm


async def test_arrival_pushes_only_to_the_employer_whose_top_list_changed(actors):
    await sync_to_async(build_fair)(actors)
    a = await _connect(actors.employer_a)
    b = await _connect(actors.employer_b)
    # The candidate knows Python, not SQL: only employer A's opening ranks them.
    await sync_to_async(arrive)(actors.event, actors.candidate)
    msg = await a.receive_json_from(timeout=1)
    assert msg["type"] == "board.changed"
    assert msg["data"]["openings"][0]["candidates"][0]["candidate_id"] == actors.candidate.pk
    # B's rows did not move: B hears the number present only, with no rows.
    count = await b.receive_json_from(timeout=1)
    assert count["type"] == "board.changed" and count["data"]["openings"] == [] and count["data"]["present"] == 1
    assert await b.receive_nothing(timeout=0.3)
    assert await a.receive_nothing(timeout=0.3)
    # An analyst arrives: now B's board changes and A hears nothing.
    analyst = await sync_to_async(add_candidate)(
        actors.event, "analyst@example.org", {"sql": 4, "data-analysis": 4}, languages={"ar": 5}
    )
    await sync_to_async(arrive)(actors.event, analyst)
    msg = await b.receive_json_from(timeout=1)
    assert msg["data"]["openings"][0]["candidates"][0]["candidate_id"] == analyst.pk
    count = await a.receive_json_from(timeout=1)
    assert count["data"]["openings"] == [] and count["data"]["present"] == 2
    assert await a.receive_nothing(timeout=0.3)
    await a.disconnect()
    await b.disconnect()


async def test_board_stream_refuses_non_employers(actors):
    await sync_to_async(build_fair)(actors)
    for user, code in ((actors.candidate, 4403), (actors.outsider, 4403)):
        comm = communicator("/ws/matching/job-fair/board/", cookie=await sync_to_async(session_cookie)(user))
        assert await connect_and_close_code(comm) == code
    assert await connect_and_close_code(communicator("/ws/matching/job-fair/board/")) == 4401
    assert (
        await connect_and_close_code(
            communicator(
                "/ws/matching/no-such-fair/board/", cookie=await sync_to_async(session_cookie)(actors.employer_a)
            )
        )
        == 4404
    )


async def test_candidate_phone_gets_the_request_and_the_booking_live(actors):
    from matching import meetings

    await sync_to_async(build_fair)(actors)
    phone = communicator("/ws/matching/me/", cookie=await sync_to_async(session_cookie)(actors.candidate))
    connected, _ = await phone.connect()
    assert connected and (await phone.receive_json_from())["type"] == "hello"
    other = communicator("/ws/matching/me/", cookie=await sync_to_async(session_cookie)(actors.outsider))
    assert (await other.connect())[0] and (await other.receive_json_from())["type"] == "hello"

    def send():
        return meetings.meeting_request_create(
            event=actors.event,
            organisation=actors.org_a,
            candidate=actors.candidate,
            sent_by="employer",
            requested_by=actors.employer_a,
        )

    req = await sync_to_async(send)()
    msg = await phone.receive_json_from(timeout=1)
    assert msg["type"] == "meeting_request.created" and msg["data"]["organisation"]["name"] == "Baltic Code UAB"
    await sync_to_async(meetings.meeting_request_respond)(request_id=req.pk, user=actors.candidate, accept=True)
    types = {(await phone.receive_json_from(timeout=1))["type"] for _ in range(2)}
    assert types == {"meeting.booked", "meeting_request.updated"}
    assert await other.receive_nothing(timeout=0.3)
    await phone.disconnect()
    await other.disconnect()
