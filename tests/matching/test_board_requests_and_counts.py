"""The employer board says what is waiting: a sent request shows as pending with its expiry (not
"No meeting yet"), "N candidates present" follows the door for every employer, and the score's "+"
parts are explained in words on tap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone, translation

from checkin import services as checkin_services
from checkin.selectors import event_for_scanning, ticket_payload
from events.models import Registration
from matching import meetings
from matching.models import MeetingRequest
from tests.matching.fair_setup import _fresh_index, arrive, build_fair  # noqa: F401
from tests.realtime.helpers import communicator, session_cookie


def _row(html: str, name: str) -> str:
    """The board card that names this candidate."""
    start = html.index(name)
    return html[html.rindex("<li", 0, start) : html.index("</li>", html.index("<form", start))]


def test_a_sent_request_shows_as_pending_on_the_row_until_it_is_withdrawn(actors, client):
    now = timezone.now()
    build_fair(actors, starts_at=now + timedelta(days=1))
    arrive(actors.event, actors.candidate)
    client.force_login(actors.employer_a)
    before = _row(client.get("/matching/job-fair/board/").content.decode(), "Zainab Candidate")
    assert "No meeting yet" in before and 'value="request"' in before
    r = client.post("/matching/job-fair/board/action/", {"action": "request", "candidate_id": actors.candidate.pk})
    assert r.status_code == 302
    req = MeetingRequest.objects.get(organisation=actors.org_a, candidate=actors.candidate)
    until = timezone.localtime(req.expires_at, actors.event.tzinfo)
    row = _row(client.get("/matching/job-fair/board/").content.decode(), "Zainab Candidate")
    assert "No meeting yet" not in row and 'value="request"' not in row
    assert "Request sent, open until" in row and f"{until:%d.%m %H:%M}" in row
    assert 'value="withdraw"' in row
    # A second tap is not offered; withdrawing brings the button back.
    client.post("/matching/job-fair/board/action/", {"action": "withdraw", "candidate_id": actors.candidate.pk})
    assert MeetingRequest.objects.get(pk=req.pk).status == "cancelled"
    row = _row(client.get("/matching/job-fair/board/").content.decode(), "Zainab Candidate")
    assert 'value="request"' in row and "Request sent" not in row
    # Withdrawing what is not there is a clear message, not an error page.
    r = client.post(
        "/matching/job-fair/board/action/", {"action": "withdraw", "candidate_id": actors.candidate.pk}, follow=True
    )
    assert r.status_code == 200 and "no longer open" in r.content.decode()


def test_a_request_past_its_time_no_longer_shows_as_pending(actors, client):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    arrive(actors.event, actors.candidate)
    req = meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
    )
    MeetingRequest.objects.filter(pk=req.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(actors.employer_a)
    row = _row(client.get("/matching/job-fair/board/").content.decode(), "Zainab Candidate")
    assert "Request sent" not in row and 'value="request"' in row


def test_the_score_parts_are_explained_in_words_in_the_readers_language(actors, client):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    arrive(actors.event, actors.candidate)
    client.force_login(actors.employer_a)
    row = _row(client.get("/matching/job-fair/board/").content.decode(), "Zainab Candidate")
    assert '<details class="meta why"><summary>' in row
    assert "Location +15" in row and "What the points mean" in row
    assert "can work where the job is" in row and "up to 15 points" in row
    with translation.override("ar"):
        row = _row(
            client.get("/matching/job-fair/board/", headers={"accept-language": "ar"}).content.decode(),
            "Zainab Candidate",
        )
    assert "ماذا تعني النقاط" in row


pytestmark_async = pytest.mark.django_db(transaction=True)


async def _board(user):
    comm = communicator("/ws/matching/job-fair/board/", cookie=await sync_to_async(session_cookie)(user))
    connected, _ = await comm.connect()
    assert connected and (await comm.receive_json_from())["type"] == "hello"
    return comm


async def _next(comm, type_: str, timeout: float = 2.0):
    while True:
        msg = await comm.receive_json_from(timeout=timeout)
        if msg["type"] == type_:
            return msg


@pytestmark_async
async def test_the_request_reaches_the_board_as_a_pending_row(actors):
    await sync_to_async(build_fair)(actors, starts_at=timezone.now() + timedelta(days=1))
    await sync_to_async(arrive)(actors.event, actors.candidate)
    board = await _board(actors.employer_a)

    def send():
        return meetings.meeting_request_create(
            event=actors.event,
            organisation=actors.org_a,
            candidate=actors.candidate,
            sent_by="employer",
            requested_by=actors.employer_a,
        )

    req = await sync_to_async(send)()
    msg = await _next(board, "board.changed")
    (row,) = [c for o in msg["data"]["openings"] for c in o["candidates"] if c["candidate_id"] == actors.candidate.pk]
    assert row["request"]["id"] == req.pk and row["request"]["sent_by"] == "employer"
    assert row["request"]["expires_at"] == req.expires_at.isoformat()
    await sync_to_async(meetings.meeting_request_cancel)(request_id=req.pk, user=actors.employer_a)
    msg = await _next(board, "board.changed")
    (row,) = [c for o in msg["data"]["openings"] for c in o["candidates"] if c["candidate_id"] == actors.candidate.pk]
    assert row["request"] is None
    await board.disconnect()


@pytestmark_async
async def test_a_door_scan_moves_every_employers_present_count(actors):
    now = timezone.now()
    event = actors.event

    def setup():
        event.starts_at, event.ends_at, event.status = now - timedelta(hours=1), now + timedelta(hours=6), "live"
        event.save()
        build_fair(actors, starts_at=now)

    await sync_to_async(setup)()
    a, b = await _board(actors.employer_a), await _board(actors.employer_b)

    def scan():
        registration = Registration.objects.get(event=event, user=actors.candidate)
        checkin_services.checkin_scan(
            event=event_for_scanning(slug=event.slug),
            payload=ticket_payload(checkin_services.ticket_issue(registration=registration)),
            gate="Main",
            user=actors.organiser,
        )

    await sync_to_async(scan)()
    # The candidate fits only employer A's opening; employer B's rows did not move, yet its count did.
    for board in (a, b):
        msg = await _next(board, "board.changed")
        while msg["data"].get("present") != 1:
            msg = await _next(board, "board.changed")
        assert msg["data"]["present"] == 1
    await a.disconnect()
    await b.disconnect()
