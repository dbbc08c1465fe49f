"""Expiry is a filter, not a write: a request past its time reads as expired everywhere at once, the
sweep writes it down, and writes that meet it decide in their own transaction."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from matching import meetings, tasks
from matching.models import MeetingRequest
from tests.factories import EventFactory
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401

REQ = "/api/v1/matching/events/job-fair/requests"


def _ask(actors, *, sent_minutes_ago: int) -> MeetingRequest:
    return meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="candidate",
        requested_by=actors.candidate,
        now=timezone.now() - timedelta(minutes=sent_minutes_ago),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_request_past_its_time_reads_as_expired_on_every_page_before_the_sweep(actors):
    build_fair(actors, request_expiry_minutes=15)
    req = _ask(actors, sent_minutes_ago=16)
    candidate, employer = _client(actors.candidate), _client(actors.employer_a)
    assert [r["status"] for r in candidate.get(REQ).json()["items"]] == ["expired"]
    assert [r["status"] for r in employer.get(REQ).json()["items"]] == ["expired"]
    me = candidate.get("/matching/job-fair/me/").content.decode()
    assert "Expired" in me and "Open until" not in me
    board = employer.get("/matching/job-fair/board/").content.decode()
    assert "Candidates asking to meet you" not in board
    # Nothing was written: the sweep does that, and tells both sides.
    assert MeetingRequest.objects.get(pk=req.pk).status == MeetingRequest.Status.PENDING
    assert tasks.sweep(actors.event.pk)["expired"] == 1
    assert MeetingRequest.objects.get(pk=req.pk).status == MeetingRequest.Status.EXPIRED


def test_an_open_request_shows_until_its_time(actors):
    build_fair(actors, request_expiry_minutes=15)
    _ask(actors, sent_minutes_ago=14)
    assert [r["status"] for r in _client(actors.candidate).get(REQ).json()["items"]] == ["pending"]
    board = _client(actors.employer_a).get("/matching/job-fair/board/").content.decode()
    assert "Candidates asking to meet you" in board


def test_answering_or_withdrawing_an_expired_request_is_refused_without_the_sweep(actors):
    build_fair(actors, request_expiry_minutes=15)
    req = _ask(actors, sent_minutes_ago=16)
    employer = _client(actors.employer_a)
    r = employer.post(f"/api/v1/matching/requests/{req.pk}/accept")
    assert (r.status_code, r.json()["reason"]) == (409, "request_closed")
    r = _client(actors.candidate).post(f"/api/v1/matching/requests/{req.pk}/cancel")
    assert (r.status_code, r.json()["reason"]) == (409, "request_closed")


def test_a_new_request_for_the_pair_expires_the_old_one_in_its_own_transaction(actors):
    build_fair(actors, request_expiry_minutes=15)
    old = _ask(actors, sent_minutes_ago=16)
    new = _ask(actors, sent_minutes_ago=0)
    assert MeetingRequest.objects.get(pk=old.pk).status == MeetingRequest.Status.EXPIRED
    assert new.status == MeetingRequest.Status.PENDING


def test_the_scheduled_sweep_covers_every_events_requests(actors):
    build_fair(actors, request_expiry_minutes=15)
    req = _ask(actors, sent_minutes_ago=30)
    other = EventFactory(slug="other-fair")
    assert actors.event.status != "live" and other.pk
    assert tasks.sweep() == {"expired": 1, "released": 0}
    assert MeetingRequest.objects.get(pk=req.pk).status == MeetingRequest.Status.EXPIRED
    assert tasks.sweep() == {"expired": 0, "released": 0}
