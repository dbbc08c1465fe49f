"""The bilateral scheduler: only the published bilateral slots and their rooms, everybody's own time,
a meeting for every official who asked where the rooms allow, and the wishes it could not place."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.core import mail

from events.models import CalendarDelivery, Registration, Session
from matching import dialogue
from matching.models import BilateralBusy, BilateralWish, Meeting, ScheduleRun
from tests.matching.dialogue_setup import bilateral_slot, build_dialogue, commits, official


def _run(client, d):
    client.force_login(d.organiser)
    with commits():
        r = client.post(
            f"/api/v1/matching/events/{d.event.slug}/timetable", {"kind": "bilateral"}, content_type="application/json"
        )
    assert r.status_code == 202, r.content
    run = client.get(f"/api/v1/matching/timetable-runs/{r.json()['id']}").json()
    assert run["status"] == "done", run
    return ScheduleRun.objects.get(pk=run["id"])


def _wish(d, who, org, weight=3):
    return BilateralWish.objects.create(event=d.event, official=who, counterpart=d.orgs[org], weight=weight)


def _booked(d):
    return list(Meeting.objects.filter(event=d.event, source="bilateral", status="booked").select_related("room"))


def test_meetings_go_only_into_the_published_bilateral_slots_and_their_rooms(db, client):
    d = build_dialogue()
    for who in (d.lt["ruta"], d.lt["tomas"]):
        _wish(d, who, "molsa", 5)
        _wish(d, who, "moc", 3)
    for who in (d.iq["ahmed"], d.iq["hassan"]):
        _wish(d, who, "socmin", 4)
        _wish(d, who, "migration", 2)
    run = _run(client, d)
    got = _booked(d)
    published = {(s.starts_at, s.ends_at, s.room_id) for s in d.slots}
    # Three published slots, one room each: three meetings at most, never the Plenary Hall.
    assert len(got) == 3 == run.meetings_created
    assert {(m.starts_at, m.ends_at, m.room_id) for m in got} <= published
    assert all(m.room != d.plenary for m in got)
    assert Counter((m.candidate_id, m.starts_at) for m in got).most_common(1)[0][1] == 1
    assert Counter((m.organisation_id, m.starts_at) for m in got).most_common(1)[0][1] == 1
    # Eight wishes are four pairs of institutions asking for each other, so four meetings would meet
    # them all; three places: the last pair's two wishes are listed with a reason.
    assert len(run.unplaced) == 2 and {u["reason"] for u in run.unplaced} == {"full"}


def test_no_published_slot_no_run(db, client):
    d = build_dialogue(slots=False)
    _wish(d, d.lt["ruta"], "molsa")
    client.force_login(d.organiser)
    r = client.post(
        f"/api/v1/matching/events/{d.event.slug}/timetable", {"kind": "bilateral"}, content_type="application/json"
    )
    assert (r.status_code, r.json()["reason"]) == (409, "no_bilateral_slots")
    assert not Meeting.objects.exists()


def test_every_official_who_asked_gets_a_meeting_before_anybody_gets_a_second(db, client):
    d = build_dialogue()
    # Everyone wants the same ministry most; Rūta wants it and Communications very much.
    _wish(d, d.lt["ruta"], "molsa", 5)
    _wish(d, d.lt["ruta"], "moc", 5)
    _wish(d, d.lt["tomas"], "molsa", 1)
    _wish(d, d.iq["hassan"], "migration", 1)
    run = _run(client, d)
    got = _booked(d)
    assert {m.candidate_id for m in got} == {d.lt["ruta"].pk, d.lt["tomas"].pk, d.iq["hassan"].pk}
    assert len(got) == 3 and len(run.unplaced) == 1
    assert run.unplaced[0]["official"] == d.lt["ruta"].pk


def test_an_officials_sessions_and_marked_times_are_honoured(db, client):
    d = build_dialogue()
    ruta = d.lt["ruta"]
    # Rūta chose a session over the first slot and marked the second as busy: only the third is left.
    workshop = Session.objects.create(
        event=d.event, title="Workshop", kind="workshop", starts_at=d.at(1.75), ends_at=d.at(2.25), room=d.plenary
    )
    Registration.objects.get(event=d.event, user=ruta).sessions.add(workshop)
    dialogue.busy_set(event=d.event, official=ruta, windows=[(d.slots[1].starts_at, d.slots[1].ends_at)])
    assert BilateralBusy.objects.filter(official=ruta).count() == 1
    _wish(d, ruta, "molsa", 5)
    _wish(d, ruta, "moc", 5)
    run = _run(client, d)
    got = _booked(d)
    assert [m.starts_at for m in got] == [d.slots[2].starts_at]
    assert [u["reason"] for u in run.unplaced] == ["full"]


def test_an_officials_only_session_keeps_every_official_out_of_meetings(db, client):
    d = build_dialogue()
    Session.objects.create(
        event=d.event,
        title="Migration management: technical exchange",
        kind="panel",
        audience="officials",
        starts_at=d.at(1.5),
        ends_at=d.at(3.5),
        room=d.plenary,
    )
    _wish(d, d.lt["ruta"], "molsa")
    run = _run(client, d)
    assert _booked(d) == []
    assert run.unplaced == [{"official": d.lt["ruta"].pk, "counterpart": d.orgs["molsa"].pk, "reason": "official_busy"}]


def test_an_institution_whose_only_official_is_busy_is_not_booked_then(db, client):
    d = build_dialogue()
    ahmed = d.iq["ahmed"]
    dialogue.busy_set(event=d.event, official=ahmed, windows=[(s.starts_at, s.ends_at) for s in d.slots])
    _wish(d, d.lt["ruta"], "molsa")
    run = _run(client, d)
    assert _booked(d) == []
    assert run.unplaced[0]["reason"] == "counterpart_busy"


def test_a_rerun_keeps_unchanged_meetings_moves_others_and_tells_both_sides(db, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d = build_dialogue()
    _wish(d, d.lt["ruta"], "molsa", 5)
    _run(client, d)
    first = _booked(d)
    assert len(first) == 1
    invited = set(CalendarDelivery.objects.filter(method="REQUEST").values_list("recipient", flat=True))
    # Both sides: the official, and the institution's official present (a granted member).
    assert invited == {d.lt["ruta"].email, d.iq["ahmed"].email}
    assert any("Meeting" in m.subject or "molsa" in m.body.lower() or m.subject for m in mail.outbox)
    _run(client, d)
    again = _booked(d)
    assert [m.pk for m in again] == [first[0].pk] and again[0].starts_at == first[0].starts_at
    # Rūta cannot meet at that time after all: the meeting moves and both sides get an update.
    dialogue.busy_set(event=d.event, official=d.lt["ruta"], windows=[(first[0].starts_at, first[0].ends_at)])
    before = CalendarDelivery.objects.count()
    _run(client, d)
    moved = _booked(d)
    assert [m.pk for m in moved] == [first[0].pk] and moved[0].starts_at != first[0].starts_at
    updates = CalendarDelivery.objects.order_by("pk")[before:]
    assert {u.recipient for u in updates} == {d.lt["ruta"].email, d.iq["ahmed"].email}


def test_a_wish_withdrawn_cancels_its_meeting_in_both_calendars(db, client):
    d = build_dialogue()
    _wish(d, d.lt["ruta"], "molsa", 5)
    _run(client, d)
    meeting = _booked(d)[0]
    BilateralWish.objects.filter(official=d.lt["ruta"]).delete()
    _run(client, d)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    cancels = CalendarDelivery.objects.filter(method="CANCEL").values_list("recipient", flat=True)
    assert set(cancels) == {d.lt["ruta"].email, d.iq["ahmed"].email}


def test_a_slot_that_already_began_is_not_used(db, client):
    d = build_dialogue()
    past = bilateral_slot(d, 0, d.room_a)
    Session.objects.filter(pk=past.pk).update(
        starts_at=d.event.starts_at - timedelta(days=20), ends_at=d.event.starts_at - timedelta(days=20, minutes=-30)
    )
    nobody = official(d, "x@molsa.example", "X", d.orgs["molsa"], "IQ")
    _wish(d, nobody, "socmin")
    _run(client, d)
    assert all(m.starts_at > d.event.starts_at for m in _booked(d))


def test_a_booked_meeting_is_in_both_sides_feeds_and_nobody_elses(db, client):
    from tests.memberships.conftest import feed_meeting_uids

    d = build_dialogue()
    _wish(d, d.lt["ruta"], "molsa", 5)
    _run(client, d)
    uid = f"meeting-{_booked(d)[0].pk}@"
    assert any(u.startswith(uid) for u in feed_meeting_uids(client, d.lt["ruta"]))
    assert any(u.startswith(uid) for u in feed_meeting_uids(client, d.iq["ahmed"]))
    assert not any(u.startswith(uid) for u in feed_meeting_uids(client, d.iq["hassan"]))


def test_two_institutions_that_asked_for_each_other_meet_once(db, client):
    d = build_dialogue()
    _wish(d, d.lt["ruta"], "molsa", 3)
    _wish(d, d.iq["ahmed"], "socmin", 5)
    run = _run(client, d)
    got = _booked(d)
    # Ahmed's wish, the stronger, is planned; Rūta's is met by the same meeting, in her calendar too.
    assert [(m.candidate, m.organisation) for m in got] == [(d.iq["ahmed"], d.orgs["socmin"])]
    assert run.unplaced == []
    from matching.calendar import meetings_of

    assert list(meetings_of(d.lt["ruta"].pk).filter(status="booked")) == got
