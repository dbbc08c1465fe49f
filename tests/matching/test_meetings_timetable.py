from __future__ import annotations

from collections import Counter

from django.test import TestCase

from matching import meetings
from matching.models import BilateralWish, Booth, Meeting, ScheduleRun
from tests.factories import OrganisationFactory, RoomFactory, SessionFactory
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


def test_bilateral_meetings_use_rooms_and_avoid_the_agenda(actors, client):
    fair = build_fair(actors, slots=4)
    Booth.objects.all().delete()
    ministry = OrganisationFactory(name="Ministry of Economy", country="LT", kind="government")
    agency = OrganisationFactory(name="Innovation Agency", country="LT", kind="government")
    RoomFactory(event=actors.event, name="Room A")
    # A plenary over slot 1: nobody meets then.
    SessionFactory(
        event=actors.event, starts_at=fair.config.slot_start(1), ends_at=fair.config.slot_start(2), kind="talk"
    )
    BilateralWish.objects.create(event=actors.event, official=actors.official, counterpart=ministry, weight=5)
    BilateralWish.objects.create(event=actors.event, official=actors.official, counterpart=agency, weight=2)
    run = _run(client, actors.organiser, kind="bilateral")
    assert run["status"] == "done", run
    got = list(Meeting.objects.filter(source="bilateral").order_by("slot"))
    assert {m.organisation_id for m in got} == {ministry.pk, agency.pk}
    assert all(m.room.name == "Room A" and m.slot != 1 for m in got)
    assert len({m.slot for m in got}) == 2  # one room, one official: two different slots


def test_bilateral_meetings_never_outnumber_the_rooms(actors, client):
    fair = build_fair(actors, slots=3)
    Booth.objects.all().delete()
    RoomFactory(event=actors.event, name="Room A")
    RoomFactory(event=actors.event, name="Room B")
    institutions = [OrganisationFactory(name=f"Ministry {i}", country="LT", kind="government") for i in range(4)]
    officials = [actors.official]
    from events.models import Registration
    from tests.factories import RegistrationFactory, UserFactory

    for i in range(3):
        user = UserFactory(email=f"official{i}@gov.example")
        RegistrationFactory(event=actors.event, user=user, role=Registration.Role.OFFICIAL, delegation="IQ")
        officials.append(user)
    for official in officials:
        for inst in institutions:
            BilateralWish.objects.create(event=actors.event, official=official, counterpart=inst, weight=3)
    run = _run(client, actors.organiser, kind="bilateral")
    got = list(Meeting.objects.filter(source="bilateral"))
    per_slot = Counter(m.slot for m in got)
    # Two rooms and three slots: six meetings at most, and the rounds fill every room.
    assert max(per_slot.values()) == 2 and len(got) == 6 == run["meetings_created"]
    assert len({(m.slot, m.room_id) for m in got}) == 6
    assert Counter((m.candidate_id, m.slot) for m in got).most_common(1)[0][1] == 1
    assert Counter((m.organisation_id, m.slot) for m in got).most_common(1)[0][1] == 1
    assert fair.config.slot_count == 3


def test_officials_state_their_own_wishes_and_nobody_else_can(actors, client):
    build_fair(actors)
    ministry = OrganisationFactory(name="Ministry of Labour", country="LT", kind="government")
    url = "/api/v1/matching/events/job-fair/wishes"
    client.force_login(actors.official)
    r = client.post(url, {"counterpart_id": ministry.pk, "weight": 5}, content_type="application/json")
    assert r.json() == {"counterpart_id": ministry.pk, "weight": 5}
    assert client.get(url).json() == [{"counterpart_id": ministry.pk, "name": "Ministry of Labour", "weight": 5}]
    assert (
        client.post(url, {"counterpart_id": ministry.pk, "weight": 9}, content_type="application/json").status_code
        == 422
    )
    client.post(url, {"counterpart_id": ministry.pk, "weight": None}, content_type="application/json")
    assert client.get(url).json() == []
    client.force_login(actors.candidate)
    r = client.post(url, {"counterpart_id": ministry.pk, "weight": 3}, content_type="application/json")
    assert (r.status_code, r.json()["reason"]) == (403, "forbidden")
    assert client.get(url).json() == []
