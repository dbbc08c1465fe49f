"""A batch of door scans (the hook's worker drains them together) is one pass and one push per board."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching import board
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair, checkin_info, set_inside  # noqa: F401
from tests.realtime.helpers import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def three_arrivals(actors):
    """The candidate, a second Python developer, and a candidate who scanned in and out again."""
    build_fair(actors)
    board.index_for(actors.event)  # loaded before the arrivals, as at a fair under way
    second = add_candidate(actors.event, "second@example.org", {"python": 5, "django": 4}, languages={"en": 5})
    gone = add_candidate(actors.event, "gone@example.org", {"python": 5}, languages={"en": 5})
    for user in (actors.candidate, second):
        set_inside(actors.event, user)
    set_inside(actors.event, gone, inside=False)
    infos = [
        checkin_info(actors.event, actors.candidate),
        checkin_info(actors.event, gone),
        checkin_info(actors.event, second),
        checkin_info(actors.event, gone, direction="out"),
        checkin_info(actors.event, actors.candidate, session_id=99),  # a session scan: not the boards' business
    ]
    return second, gone, infos


async def test_a_batch_of_arrivals_is_one_push_to_the_board_with_everyone(actors):
    second, gone, infos = await sync_to_async(three_arrivals)(actors)
    comm = communicator("/ws/matching/job-fair/board/", cookie=await sync_to_async(session_cookie)(actors.employer_a))
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from())["type"] == "hello"
    await sync_to_async(board.on_checkin_infos)(infos)
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "board.changed"
    shown = {c["candidate_id"] for o in msg["data"]["openings"] for c in o["candidates"]}
    assert {actors.candidate.pk, second.pk} <= shown
    assert gone.pk not in shown  # in and out again within the batch: where they are now counts
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()


@pytest.mark.skipif(
    getattr(django_settings, "PRODUCTION_TIMING", False),
    reason="a query-count pin: with production timing the hook thread handles the same arrivals at the same time",
)
def test_a_batch_costs_the_same_queries_for_two_arrivals_as_for_one(actors):
    *_people, infos = three_arrivals(actors)
    board.reset_all()
    board.index_for(actors.event)
    with CaptureQueriesContext(connection) as one:
        board.on_checkin_infos(infos[:1])
    board.reset_all()
    board.index_for(actors.event)
    with CaptureQueriesContext(connection) as many:
        board.on_checkin_infos(infos)
    # The door state, the event, its settings, visibility, profiles, stars and shortlists are
    # read once per batch, however many people came through.
    assert len(many.captured_queries) == len(one.captured_queries)


async def test_a_busy_door_pushes_each_board_at_once_then_at_most_once_per_interval(actors, settings):
    settings.MATCHING_BOARD_PUSH_INTERVAL = 0.4
    second, gone, infos = await sync_to_async(three_arrivals)(actors)
    comm = communicator("/ws/matching/job-fair/board/", cookie=await sync_to_async(session_cookie)(actors.employer_a))
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from())["type"] == "hello"
    # Three bursts of arrivals in quick succession: the first is pushed at once, the other two
    # together when the interval ends, with the rows as they stand then.
    await sync_to_async(board.on_checkin_infos)(infos[:1])
    first = await comm.receive_json_from(timeout=0.3)
    assert {c["candidate_id"] for o in first["data"]["openings"] for c in o["candidates"]} == {actors.candidate.pk}
    await sync_to_async(board.on_checkin_infos)(infos[1:3])
    await sync_to_async(board.on_checkin_infos)(infos[3:])
    assert await comm.receive_nothing(timeout=0.2)
    trailing = await comm.receive_json_from(timeout=1)
    shown = {c["candidate_id"] for o in trailing["data"]["openings"] for c in o["candidates"]}
    assert {actors.candidate.pk, second.pk} <= shown and gone.pk not in shown
    assert await comm.receive_nothing(timeout=0.6)
    await comm.disconnect()


def test_arrivals_seen_by_another_process_reach_this_index_from_the_recent_door_changes(actors, monkeypatch, settings):
    from checkin.models import Ticket

    settings.MATCHING_SYNC_OTHER_WORKERS = True  # several web workers, each with an index (Redis)
    second, gone, infos = three_arrivals(actors)
    board.on_checkin_infos(infos[:1])
    index = board.index_for(actors.event, sync=False)
    assert second.pk not in index.present
    # `second` was scanned in through another server process: its hook ran there, not here. The
    # door state says so; the next arrival here looks at what changed at the door since last time.
    Ticket.objects.filter(registration__user=second).update(last_scan_at=timezone.now())
    monkeypatch.setattr(board.pushes, "SYNC_EVERY", 0.0)
    with CaptureQueriesContext(connection) as queries:
        board.on_checkin_infos(infos[1:2])
    assert second.pk in index.present and gone.pk not in index.present
    # Only the tickets that changed were read, not everyone inside.
    door_reads = [q["sql"] for q in queries.captured_queries if "last_scan_at" in q["sql"]]
    assert len(door_reads) == 1
