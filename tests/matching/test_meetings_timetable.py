from __future__ import annotations

from collections import Counter

import icalendar
from django.test import TestCase

from matching import meetings
from matching.models import Meeting, ScheduleRun
from tests.factories import OrganisationFactory, RegistrationFactory, UserFactory
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair  # noqa: F401


def _commits():
    # The job is queued on commit; run the callbacks the test transaction would otherwise swallow.
    return TestCase.captureOnCommitCallbacks(execute=True)


def _run(client, user, kind="booths"):
    client.force_login(user)
    with _commits():
        r = client.post("/api/v1/matching/events/job-fair/timetable", {"kind": kind}, content_type="application/json")
    assert r.status_code == 202, r.content
    # Tests run django-q2 inline, so the job has finished by now; the status endpoint shows it.
    return client.get(f"/api/v1/matching/timetable-runs/{r.json()['id']}").json()


def test_timetable_gives_every_fitting_candidate_a_slot_without_conflicts(actors, client):
    fair = build_fair(actors, slots=4)
    people = [add_candidate(actors.event, f"py{i}@example.org", {"python": 4}) for i in range(5)]
    people += [add_candidate(actors.event, f"an{i}@example.org", {"sql": 4, "data-analysis": 4}) for i in range(3)]
    run = _run(client, actors.organiser)
    assert run["status"] == "done" and run["progress"] == 100
    booked = list(Meeting.objects.filter(status="booked"))
    assert run["meetings_created"] == len(booked) > 0
    # Employer A: one table, four slots -> at most four meetings; never two at one table in a slot.
    assert Counter((m.organisation_id, m.slot, m.table) for m in booked).most_common(1)[0][1] == 1
    assert Counter((m.candidate_id, m.slot) for m in booked).most_common(1)[0][1] == 1
    assert sum(1 for m in booked if m.organisation_id == actors.org_a.pk) == 4
    met = {m.candidate_id for m in booked}
    assert {p.pk for p in people[5:]} <= met  # every analyst fits employer B, which has room
    assert all(m.source == "timetable" and m.ends_at > m.starts_at for m in booked)
    assert fair.config.slot_count == 4


def test_rerun_keeps_locked_and_confirmed_meetings(actors, client):
    build_fair(actors, slots=3)
    for i in range(4):
        add_candidate(actors.event, f"py{i}@example.org", {"python": 4})
    _run(client, actors.organiser)
    first = list(Meeting.objects.filter(status="booked", organisation=actors.org_a).order_by("slot"))
    locked, confirmed = first[0], first[1]
    locked.locked = True
    locked.save()
    meetings.meeting_confirm(meeting_id=confirmed.pk, user=confirmed.candidate)
    _run(client, actors.organiser)
    locked.refresh_from_db()
    confirmed.refresh_from_db()
    assert locked.status == "booked" and confirmed.status == "booked"
    assert (locked.slot, confirmed.slot) == (first[0].slot, first[1].slot)
    active = Meeting.objects.filter(status__in=["booked", "confirmed"], organisation=actors.org_a)
    assert sorted(active.values_list("slot", flat=True)) == [0, 1, 2]


def test_only_organisers_run_the_timetable(actors, client):
    build_fair(actors)
    client.force_login(actors.employer_a)
    r = client.post("/api/v1/matching/events/job-fair/timetable", {}, content_type="application/json")
    assert r.status_code == 403
    assert not ScheduleRun.objects.exists()


# The bilateral scheduler (published bilateral slots and rooms only) is tested in test_bilateral_scheduler.py.


def test_officials_state_their_own_wishes_and_nobody_else_can(actors, client):
    build_fair(actors)
    ministry = OrganisationFactory(name="Ministry of Labour", country="LT", kind="government")
    # A counterpart is an institution of the other delegation present at the event.
    RegistrationFactory(
        event=actors.event, user=UserFactory(email="lt@socmin.example"), role="official", organisation=ministry
    )
    url = "/api/v1/matching/events/job-fair/wishes"
    client.force_login(actors.official)
    r = client.post(url, {"counterpart_id": ministry.pk, "weight": 5}, content_type="application/json")
    assert r.json() == {"counterpart_id": ministry.pk, "weight": 5}
    assert client.get(url).json()["items"] == [
        {"counterpart_id": ministry.pk, "name": "Ministry of Labour", "weight": 5}
    ]
    assert (
        client.post(url, {"counterpart_id": ministry.pk, "weight": 9}, content_type="application/json").status_code
        == 422
    )
    client.post(url, {"counterpart_id": ministry.pk, "weight": None}, content_type="application/json")
    assert client.get(url).json()["items"] == []
    client.force_login(actors.candidate)
    r = client.post(url, {"counterpart_id": ministry.pk, "weight": 3}, content_type="application/json")
    assert (r.status_code, r.json()["reason"]) == (403, "forbidden")
    assert client.get(url).json()["items"] == []


def _methods(to: str) -> list[str]:
    from django.core import mail

    out = []
    for message in mail.outbox:
        if message.to != [to]:
            continue
        for body, mimetype in getattr(message, "alternatives", []):
            if mimetype.startswith("text/calendar"):
                out.append(str(icalendar.Calendar.from_ical(body)["METHOD"]))
    return out


def test_timetable_meetings_are_invitations_and_a_rerun_of_the_same_plan_sends_nothing(actors, client):
    from django.core import mail

    build_fair(actors, slots=2)
    person = add_candidate(actors.event, "py0@example.org", {"python": 4})
    _run(client, actors.organiser)
    booked = set(Meeting.objects.filter(status="booked", candidate=person).values_list("pk", flat=True))
    assert booked and _methods(person.email) == ["REQUEST"] * len(booked)
    sent = len(mail.outbox)
    _run(client, actors.organiser)
    # The same pairing in the same slot is the same meeting: no cancel, no second invitation.
    assert set(Meeting.objects.filter(status="booked", candidate=person).values_list("pk", flat=True)) == booked
    assert len(mail.outbox) == sent
