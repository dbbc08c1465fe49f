"""Check-ins move the live counts: the organiser dashboard and the scanner's gate stream."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from checkin import hooks, services
from checkin.selectors import event_for_scanning, stream_ticket
from realtime.groups import event_dashboard_stream, event_public_stream
from tests.realtime.helpers import Listener, communicator, connect_and_close_code, receive_type, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    # database_sync_to_async runs the ORM on a worker thread whose connection outlives the test;
    # PostgreSQL would then refuse to drop the test database at the end of the run.
    yield
    await database_sync_to_async(connections.close_all)()


def _scan(slug, payload, gate, user, **kw):
    return services.checkin_scan(event=event_for_scanning(slug=slug), payload=payload, gate=gate, user=user, **kw)


async def test_scan_pushes_gate_counts_to_the_scanner_page(live, payload_of):
    payload = await database_sync_to_async(payload_of)(live.candidate, live.event)
    ticket = await database_sync_to_async(stream_ticket)(event=live.event, user=live.volunteer, device=None)
    comm = communicator(f"/ws/checkin/job-fair/gate/Main/?ticket={ticket}")
    connected, _ = await comm.connect()
    assert connected
    await receive_type(comm, "hello")
    await database_sync_to_async(_scan)("job-fair", payload, "Main", live.volunteer)
    message = await receive_type(comm, "checkin.gate")
    assert message["stream"] == "event:job-fair:gate:Main"
    assert message["data"] == {"event": "job-fair", "gate": "Main", "gate_arrivals": 1, "present": 1, "arrived": 1}
    await comm.disconnect()


async def test_dashboard_gets_present_now_arrivals_by_gate_role_and_per_five_minutes(live, payload_of):
    pa = await database_sync_to_async(payload_of)(live.candidate, live.event)
    pb = await database_sync_to_async(payload_of)(live.employer_a, live.event)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer)
        await database_sync_to_async(_scan)("job-fair", pb, "South", live.volunteer)
        await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer, direction="out")
        # Each scan: its checkin.arrival at once, and the counts snapshot (coalesced in production).
        messages = [await dashboard.next() for _ in range(6)]
    arrivals = [m["data"] for m in messages if m and m["type"] == "checkin.arrival"]
    assert [(a["gate"], a["role"], a["direction"], a["first"], a["present_delta"], a["session"]) for a in arrivals] == [
        ("North", "candidate", "in", True, 1, None),
        ("South", "employer", "in", True, 1, None),
        ("North", "candidate", "out", False, -1, None),
    ]
    assert all(isinstance(a["scan"], int) and a["event"] == "job-fair" for a in arrivals)
    counts = [m for m in messages if m and m["type"] == "checkin.counts"][-1]["data"]
    assert counts["present"] == 1 and counts["arrived"] == 2
    assert counts["by_gate"] == {"North": 1, "South": 1}
    assert counts["by_role"] == {"candidate": 1, "employer": 1}
    assert counts["by_gate_role"] == {"North": {"candidate": 1}, "South": {"employer": 1}}
    assert sum(b["arrivals"] for b in counts["per_5_minutes"]) == 2
    start = datetime.fromisoformat(counts["per_5_minutes"][-1]["start"])
    assert start.minute % 5 == 0 and start.second == 0 and start.utcoffset() == live.event.tzinfo.utcoffset(start)
    assert start <= datetime.now(start.tzinfo) < start + timedelta(minutes=5)


async def test_gate_stream_refuses_outsiders_and_forged_passes(live):
    assert await connect_and_close_code(communicator("/ws/checkin/job-fair/gate/Main/")) == 4401
    cookie = await database_sync_to_async(session_cookie)(live.candidate)
    assert await connect_and_close_code(communicator("/ws/checkin/job-fair/gate/Main/", cookie=cookie)) == 4403
    forged = "eyJlIjoxLCJ3IjoidTEifQ:1abc:xyz"
    assert await connect_and_close_code(communicator(f"/ws/checkin/job-fair/gate/Main/?ticket={forged}")) == 4401
    assert await connect_and_close_code(communicator("/ws/checkin/nope/gate/Main/")) == 4404


def test_checkin_hook_runs_after_commit_with_who_where_and_when(live, payload_of):
    seen = []
    hooks.on_checkin(seen.append)
    try:
        outcome = _scan("job-fair", payload_of(live.candidate, live.event), "Main", live.volunteer)
        _scan("job-fair", payload_of(live.candidate, live.event), "Main", live.volunteer)  # amber: no event
    finally:
        hooks.off_checkin(seen.append)
    assert len(seen) == 1
    info = seen[0]
    assert (info.event_slug, info.user_id, info.role, info.gate, info.direction, info.scan_id) == (
        "job-fair",
        live.candidate.pk,
        "candidate",
        "Main",
        "in",
        outcome.scan_id,
    )


def test_a_failing_subscriber_never_fails_the_door(live, payload_of):
    def broken(info):
        raise RuntimeError("subscriber bug")

    hooks.on_checkin(broken)
    try:
        outcome = _scan("job-fair", payload_of(live.candidate, live.event), "Main", live.volunteer)
    finally:
        hooks.off_checkin(broken)
    assert outcome.status == 201


async def test_gate_names_in_arabic_work_end_to_end(live, payload_of):
    gate = "البوابة 2"
    payload = await database_sync_to_async(payload_of)(live.candidate, live.event)
    ticket = await database_sync_to_async(stream_ticket)(event=live.event, user=live.volunteer, device=None)
    comm = communicator(f"/ws/checkin/job-fair/gate/{quote(gate)}/?ticket={ticket}")
    connected, _ = await comm.connect()
    assert connected
    await receive_type(comm, "hello")
    outcome = await database_sync_to_async(_scan)("job-fair", payload, gate, live.volunteer)
    assert outcome.status == 201
    message = await receive_type(comm, "checkin.gate")
    assert (message["data"]["gate"], message["data"]["gate_arrivals"]) == (gate, 1)
    await comm.disconnect()


async def test_every_scan_reaches_the_dashboard_at_once_while_the_counts_are_coalesced(live, payload_of, settings):
    settings.CHECKIN_COUNTS_INTERVAL = 1.5
    pa = await database_sync_to_async(payload_of)(live.candidate, live.event)
    pb = await database_sync_to_async(payload_of)(live.employer_a, live.event)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer)
        first = [await dashboard.next(0.5), await dashboard.next(0.5)]  # its arrival, and the leading counts
        assert sorted(m["type"] for m in first) == ["checkin.arrival", "checkin.counts"]
        t0 = time.monotonic()
        # The second scan falls inside the counts window: its arrival still comes at once.
        await database_sync_to_async(_scan)("job-fair", pb, "South", live.volunteer)
        arrival = await dashboard.next(0.5)
        assert arrival["type"] == "checkin.arrival" and arrival["data"]["gate"] == "South"
        assert time.monotonic() - t0 < 0.5
        # The counts that include it follow when the window closes.
        trailing = await dashboard.next(3.0)
        assert trailing["type"] == "checkin.counts" and trailing["data"]["arrived"] == 2
        assert time.monotonic() - t0 > 0.8


async def test_lobby_screens_get_the_head_count_and_nothing_personal(live, payload_of, settings):
    settings.CHECKIN_PUBLIC_COUNTS_INTERVAL = 0  # every scan at once here; 5 s apart by default
    pa = await database_sync_to_async(payload_of)(live.candidate, live.event)
    async with Listener(event_public_stream("job-fair")) as public:
        await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer)
        message = await public.next(1.0)
        await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer, direction="out")
        after = await public.next(1.0)
    assert message["type"] == "counts.changed"
    assert message["data"] == {"event": "job-fair", "present": 1}
    assert after["data"] == {"event": "job-fair", "present": 0}


async def test_counts_name_the_newest_scan_they_include(live, payload_of):
    pa = await database_sync_to_async(payload_of)(live.candidate, live.event)
    async with Listener(event_dashboard_stream("job-fair")) as dashboard:
        outcome = await database_sync_to_async(_scan)("job-fair", pa, "North", live.volunteer)
        messages = [await dashboard.next(), await dashboard.next()]
    by_type = {m["type"]: m["data"] for m in messages}
    assert by_type["checkin.arrival"]["scan"] == outcome.scan_id == by_type["checkin.counts"]["last_scan"]
