from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import meetings
from matching.models import Meeting, MeetingRequest
from tests.matching.fair_setup import _fresh_index, add_candidate, arrive, build_fair  # noqa: F401

REQ = "/api/v1/matching/events/job-fair/requests"


def _request(client, employer, candidate, opening=None):
    client.force_login(employer)
    body = {"candidate_id": candidate.pk}
    if opening is not None:
        body["opening_id"] = opening.pk
    return client.post(REQ, body, content_type="application/json")


def _accept(client, candidate, request_id):
    client.force_login(candidate)
    return client.post(f"/api/v1/matching/requests/{request_id}/accept")


def test_accepting_books_the_next_free_table_slot_and_both_see_it(actors, client):
    fair = build_fair(actors)
    r = _request(client, actors.employer_a, actors.candidate, fair.opening_a)
    assert r.status_code == 201 and r.json()["status"] == "pending"
    r = _accept(client, actors.candidate, r.json()["id"])
    assert r.status_code == 200
    meeting = r.json()["meeting"]
    assert (meeting["slot"], meeting["table"], meeting["status"]) == (0, 1, "booked")
    assert meeting["starts_at"] == fair.config.starts_at.isoformat()
    client.force_login(actors.employer_a)
    assert [m["id"] for m in client.get("/api/v1/matching/events/job-fair/meetings").json()["items"]] == [meeting["id"]]
    client.force_login(actors.candidate)
    assert [m["id"] for m in client.get("/api/v1/matching/events/job-fair/meetings").json()["items"]] == [meeting["id"]]


def test_one_table_never_holds_two_meetings_in_a_slot(actors, client):
    build_fair(actors)  # employer A staffs one table
    other = add_candidate(actors.event, "second@example.org", {"python": 3})
    first = _accept(client, actors.candidate, _request(client, actors.employer_a, actors.candidate).json()["id"])
    second = _accept(client, other, _request(client, actors.employer_a, other).json()["id"])
    assert first.json()["meeting"]["slot"] == 0
    assert second.json()["meeting"]["slot"] == 1


def test_two_tables_hold_two_meetings_in_one_slot(actors, client):
    build_fair(actors)  # employer B staffs two tables
    other = add_candidate(actors.event, "second@example.org", {"sql": 3})
    first = _accept(client, actors.candidate, _request(client, actors.employer_b, actors.candidate).json()["id"])
    second = _accept(client, other, _request(client, actors.employer_b, other).json()["id"])
    assert (first.json()["meeting"]["slot"], first.json()["meeting"]["table"]) == (0, 1)
    assert (second.json()["meeting"]["slot"], second.json()["meeting"]["table"]) == (0, 2)


def test_a_candidate_is_never_in_two_meetings_at_once(actors, client):
    build_fair(actors)
    a = _accept(client, actors.candidate, _request(client, actors.employer_a, actors.candidate).json()["id"])
    b = _accept(client, actors.candidate, _request(client, actors.employer_b, actors.candidate).json()["id"])
    assert a.json()["meeting"]["slot"] == 0
    assert b.json()["meeting"]["slot"] == 1


def test_cancelling_frees_the_slot_for_the_next_booking(actors, client):
    build_fair(actors)
    other = add_candidate(actors.event, "second@example.org", {"python": 3})
    first = _accept(client, actors.candidate, _request(client, actors.employer_a, actors.candidate).json()["id"])
    client.force_login(actors.employer_a)
    r = client.post(f"/api/v1/matching/meetings/{first.json()['meeting']['id']}/cancel")
    assert r.json()["status"] == "cancelled"
    second = _accept(client, other, _request(client, actors.employer_a, other).json()["id"])
    assert second.json()["meeting"]["slot"] == 0


def test_declining_books_nothing(actors, client):
    build_fair(actors)
    rid = _request(client, actors.employer_a, actors.candidate).json()["id"]
    client.force_login(actors.candidate)
    r = client.post(f"/api/v1/matching/requests/{rid}/decline")
    assert r.json()["status"] == "declined"
    assert not Meeting.objects.exists()


def test_only_the_receiver_answers_and_others_learn_nothing(actors, client):
    build_fair(actors)
    rid = _request(client, actors.employer_a, actors.candidate).json()["id"]
    client.force_login(actors.employer_a)
    assert client.post(f"/api/v1/matching/requests/{rid}/accept").json()["reason"] == "forbidden"
    client.force_login(actors.employer_b)
    assert client.post(f"/api/v1/matching/requests/{rid}/accept").status_code == 404
    client.force_login(actors.outsider)
    assert client.post(f"/api/v1/matching/requests/{rid}/decline").status_code == 404


def test_candidate_sees_only_their_own_requests(actors, client):
    build_fair(actors)
    other = add_candidate(actors.event, "second@example.org", {"python": 3})
    mine = _request(client, actors.employer_a, actors.candidate).json()["id"]
    _request(client, actors.employer_a, other)
    client.force_login(actors.candidate)
    assert [r["id"] for r in client.get(REQ).json()["items"]] == [mine]
    client.force_login(actors.employer_b)
    assert client.get(REQ).json()["items"] == []


def test_the_day_is_full_when_no_slot_fits_both(actors, client):
    build_fair(actors, slots=1)
    other = add_candidate(actors.event, "second@example.org", {"python": 3})
    _accept(client, actors.candidate, _request(client, actors.employer_a, actors.candidate).json()["id"])
    r = _accept(client, other, _request(client, actors.employer_a, other).json()["id"])
    assert r.status_code == 409 and r.json()["reason"] == "no_free_slot"
    assert MeetingRequest.objects.get(candidate=other).status == "pending"


def test_booking_starts_after_the_running_slot(actors, client):
    now = timezone.now()
    fair = build_fair(actors, starts_at=now - timedelta(minutes=25))  # slot 2 runs now
    r = _accept(client, actors.candidate, _request(client, actors.employer_a, actors.candidate).json()["id"])
    assert r.json()["meeting"]["slot"] == 3
    assert fair.config.slot_at(now) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_double_book_a_table(actors):
    """Eight candidates accept at once for a one-table employer: eight different slots."""
    import threading

    from django.db import connection

    fair = build_fair(actors, slots=8)
    fair.config.employer_open_requests = 20
    fair.config.save()
    people = [add_candidate(actors.event, f"c{i}@example.org", {"python": 3}) for i in range(8)]
    reqs = [
        meetings.meeting_request_create(
            event=actors.event,
            organisation=actors.org_a,
            candidate=p,
            sent_by="employer",
            requested_by=actors.employer_a,
        )
        for p in people
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(reqs))

    def accept(req, person):
        try:
            barrier.wait()
            meetings.meeting_request_respond(request_id=req.pk, user=person, accept=True)
        except BaseException as e:  # collected and asserted below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r, p)) for r, p in zip(reqs, people, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    slots = sorted(Meeting.objects.filter(organisation=actors.org_a).values_list("slot", flat=True))
    assert slots == list(range(8))
