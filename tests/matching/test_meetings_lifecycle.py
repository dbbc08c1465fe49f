from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from matching import meetings, tasks
from matching.models import Meeting, MeetingRequest
from tests.matching.fair_setup import _fresh_index, add_candidate, arrive, build_fair, set_inside  # noqa: F401

REQ = "/api/v1/matching/events/job-fair/requests"


def _send(event, org, employer, candidate, now=None):
    return meetings.meeting_request_create(
        event=event, organisation=org, candidate=candidate, sent_by="employer", requested_by=employer, now=now
    )


def test_pending_request_expires_after_fifteen_minutes(actors, client):
    build_fair(actors, request_expiry_minutes=15)
    sent = timezone.now() - timedelta(minutes=16)
    req = _send(actors.event, actors.org_a, actors.employer_a, actors.candidate, now=sent)
    assert req.expires_at == sent + timedelta(minutes=15)
    client.force_login(actors.candidate)
    r = client.post(f"/api/v1/matching/requests/{req.pk}/accept")
    assert r.status_code == 409 and r.json()["reason"] == "request_closed"
    assert client.get(REQ).json()["items"][0]["status"] == "expired"
    assert not Meeting.objects.exists()


def test_expiry_sweep_frees_the_pair_for_a_new_request(actors):
    build_fair(actors, request_expiry_minutes=15)
    _send(actors.event, actors.org_a, actors.employer_a, actors.candidate, now=timezone.now() - timedelta(hours=1))
    assert tasks.sweep(actors.event.pk)["expired"] == 1
    again = _send(actors.event, actors.org_a, actors.employer_a, actors.candidate)
    assert again.status == "pending"


def test_second_request_for_the_same_pair_is_refused(actors, client):
    build_fair(actors, request_expiry_minutes=15)
    client.force_login(actors.employer_a)
    assert client.post(REQ, {"candidate_id": actors.candidate.pk}, content_type="application/json").status_code == 201
    r = client.post(REQ, {"candidate_id": actors.candidate.pk}, content_type="application/json")
    assert (r.status_code, r.json()["reason"]) == (409, "request_exists")


def test_popular_candidate_is_not_swamped(actors, client):
    fair = build_fair(actors)
    fair.config.candidate_open_requests = 1
    fair.config.save()
    client.force_login(actors.employer_a)
    assert client.post(REQ, {"candidate_id": actors.candidate.pk}, content_type="application/json").status_code == 201
    client.force_login(actors.employer_b)
    r = client.post(REQ, {"candidate_id": actors.candidate.pk}, content_type="application/json")
    assert (r.status_code, r.json()["reason"]) == (409, "request_cap")


def test_employer_open_request_cap(actors, client):
    fair = build_fair(actors)
    fair.config.employer_open_requests = 2
    fair.config.save()
    people = [add_candidate(actors.event, f"p{i}@example.org", {"python": 3}) for i in range(3)]
    client.force_login(actors.employer_a)
    codes = [client.post(REQ, {"candidate_id": p.pk}, content_type="application/json").status_code for p in people]
    assert codes == [201, 201, 409]


def test_candidate_can_ask_an_employer_and_employer_accepts(actors, client):
    build_fair(actors, request_expiry_minutes=15)
    client.force_login(actors.candidate)
    r = client.post(REQ, {"organisation_id": actors.org_b.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["sent_by"] == "candidate"
    client.force_login(actors.employer_b)
    r = client.post(f"/api/v1/matching/requests/{r.json()['id']}/accept")
    assert r.json()["meeting"]["slot"] == 0


def test_both_taps_confirm_a_meeting(actors, client):
    build_fair(actors, request_expiry_minutes=15)
    req = _send(actors.event, actors.org_a, actors.employer_a, actors.candidate)
    meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True)
    m = Meeting.objects.get()
    client.force_login(actors.candidate)
    assert client.post(f"/api/v1/matching/meetings/{m.pk}/confirm").json()["status"] == "booked"
    client.force_login(actors.employer_a)
    body = client.post(f"/api/v1/matching/meetings/{m.pk}/confirm").json()
    assert body["status"] == "confirmed" and body["candidate_confirmed"] and body["employer_confirmed"]
    client.force_login(actors.employer_b)
    assert client.post(f"/api/v1/matching/meetings/{m.pk}/confirm").status_code == 404


def test_no_show_refills_the_slot_from_present_standby(actors, client):
    now = timezone.now()
    build_fair(actors, starts_at=now - timedelta(minutes=5))  # slot 0 runs now, slot 1 is next
    standby_far = add_candidate(actors.event, "far@example.org", {"python": 5, "django": 5}, languages={"en": 5})
    standby_near = add_candidate(actors.event, "near@example.org", {"python": 4}, languages={"en": 4})
    absent = add_candidate(actors.event, "absent@example.org", {"python": 5}, languages={"en": 5})
    arrive(actors.event, standby_far)
    arrive(actors.event, standby_near)
    # standby_far already has a meeting elsewhere; standby_near has none and goes first.
    req = _send(actors.event, actors.org_b, actors.employer_b, standby_far)
    meetings.meeting_request_respond(request_id=req.pk, user=standby_far, accept=True)
    req = _send(actors.event, actors.org_a, actors.employer_a, absent)
    booked = meetings.meeting_request_respond(request_id=req.pk, user=absent, accept=True).meeting
    client.force_login(actors.employer_a)
    body = client.post(f"/api/v1/matching/meetings/{booked.pk}/no-show").json()
    assert body["status"] == "no_show"
    assert body["refill"]["candidate_id"] == standby_near.pk
    assert (body["refill"]["slot"], body["refill"]["table"]) == (booked.slot, booked.table)


def test_absent_candidate_frees_their_slot_at_start_minus_grace(actors):
    now = timezone.now()
    fair = build_fair(actors, starts_at=now - timedelta(minutes=8))  # slot 1 starts in 2 minutes
    req = _send(actors.event, actors.org_a, actors.employer_a, actors.candidate)
    m = meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True).meeting
    assert m.slot == 1 and fair.config.no_show_grace_minutes == 5
    present = add_candidate(actors.event, "here@example.org", {"python": 4})
    arrive(actors.event, present)
    assert tasks.sweep(actors.event.pk)["released"] == 1
    m.refresh_from_db()
    assert m.status == "no_show"
    assert Meeting.objects.get(status="booked").candidate_id == present.pk


def test_present_candidate_keeps_their_slot(actors):
    now = timezone.now()
    build_fair(actors, starts_at=now - timedelta(minutes=8))
    req = _send(actors.event, actors.org_a, actors.employer_a, actors.candidate)
    meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True)
    set_inside(actors.event, actors.candidate)
    assert tasks.sweep(actors.event.pk)["released"] == 0
    assert MeetingRequest.objects.get().status == "accepted"


def test_sweep_schedule_is_registered_once(db):
    from django.core.management import call_command
    from django_q.models import Schedule

    call_command("matching_schedules")
    call_command("matching_schedules")
    schedule = Schedule.objects.get(name="matching.sweep")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == ("matching.tasks.sweep", "I", 1)
    assert Schedule.objects.filter(func="matching.tasks.sweep").count() == 1
