"""A booked meeting is emailed to both sides as a calendar invitation (REQUEST) with the personal
feed's UID; a move is an update (SEQUENCE + 1), a cancellation a CANCEL without RSVP; each in the
recipient's language. Parsed back with `icalendar`."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from events.models import FeedToken, Registration
from matching import meeting_mail, meetings
from matching.models import Meeting
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401


def _calendars(to: str) -> list[icalendar.Calendar]:
    """The iTIP messages sent to `to`, oldest first, from the text/calendar alternative."""
    out = []
    for message in mail.outbox:
        if message.to != [to]:
            continue
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype.startswith("text/calendar"):
                out.append(icalendar.Calendar.from_ical(content))
    return out


def _vevent(cal: icalendar.Calendar):
    (event,) = cal.walk("VEVENT")
    return event


def _feed_uids(client, user) -> dict[str, int]:
    token = FeedToken.objects.get_or_create(user=user, defaults={"key": FeedToken.generate()})[0].key
    cal = icalendar.Calendar.from_ical(client.get(f"/calendar/feeds/{token}.ics").content)
    return {str(ev["UID"]): int(ev["SEQUENCE"]) for ev in cal.walk("VEVENT") if str(ev["UID"]).startswith("meeting-")}


@pytest.fixture
def booked(actors, django_capture_on_commit_callbacks):
    Registration.objects.filter(event=actors.event, user=actors.candidate).update(language="ar")
    Registration.objects.filter(event=actors.event, user=actors.employer_a).update(language="lt")
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        req = meetings.meeting_request_create(
            event=actors.event,
            organisation=actors.org_a,
            candidate=actors.candidate,
            sent_by="employer",
            requested_by=actors.employer_a,
        )
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True)
    return Meeting.objects.get(request=req)


def test_both_sides_get_a_request_with_the_feeds_uid_in_their_own_language(actors, booked, client):
    mine, theirs = _calendars(actors.candidate.email), _calendars(actors.employer_a.email)
    assert len(mine) == 1 and len(theirs) == 1
    for cal in (mine[0], theirs[0]):
        assert str(cal["METHOD"]) == "REQUEST"
    a, b = _vevent(mine[0]), _vevent(theirs[0])
    assert str(a["UID"]) == str(b["UID"]) == f"meeting-{booked.pk}@testserver"
    assert int(a["SEQUENCE"]) == int(b["SEQUENCE"]) == 0
    assert a.decoded("DTSTART") == booked.starts_at.replace(microsecond=0)
    # The same UID and SEQUENCE as each side's personal feed.
    assert _feed_uids(client, actors.candidate) == {str(a["UID"]): 0}
    assert _feed_uids(client, actors.employer_a) == {str(a["UID"]): 0}
    # Each in the reader's language: the candidate reads Arabic, the employer Lithuanian.
    assert str(a["SUMMARY"]) == "مقابلة: Baltic Code UAB"
    assert str(b["SUMMARY"]) == "Susitikimas: Zainab Candidate"
    subjects = {m.to[0]: m.subject for m in mail.outbox if m.subject.endswith(("Baltic Code UAB", "Zainab Candidate"))}
    assert subjects[actors.candidate.email].startswith("دعوة")
    assert subjects[actors.employer_a.email].startswith("Kvietimas")
    # Nobody else: employer B and the other actors get nothing.
    assert _calendars(actors.employer_b.email) == [] and _calendars(actors.official.email) == []
    assert str(a["ATTENDEE"].params.get("RSVP")) == "TRUE"


def test_a_tap_at_the_table_sends_nothing_a_move_sends_an_update(
    actors, booked, client, django_capture_on_commit_callbacks
):
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_confirm(meeting_id=booked.pk, user=actors.candidate)
    assert len(mail.outbox) == before
    # A scheduler moves it one slot later (as the bilateral and booth schedulers do) and says so.
    m = Meeting.objects.get(pk=booked.pk)
    with django_capture_on_commit_callbacks(execute=True):
        m.slot, m.starts_at, m.ends_at = m.slot + 1, m.ends_at, m.ends_at + timedelta(minutes=10)
        m.save()
        meeting_mail.meetings_changed([m.pk])
    for person in (actors.candidate, actors.employer_a):
        cals = _calendars(person.email)
        assert [str(c["METHOD"]) for c in cals] == ["REQUEST", "REQUEST"]
        update = _vevent(cals[-1])
        assert int(update["SEQUENCE"]) == 1
        assert update.decoded("DTSTART") == m.starts_at.replace(microsecond=0)
        assert _feed_uids(client, person) == {str(update["UID"]): 1}
    assert any(msg.subject.startswith("Atnaujinta") for msg in mail.outbox if msg.to == [actors.employer_a.email])


def test_a_cancelled_meeting_is_a_cancel_without_rsvp_for_both(actors, booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_cancel(meeting_id=booked.pk, user=actors.employer_a)
    for person in (actors.candidate, actors.employer_a):
        cals = _calendars(person.email)
        assert [str(c["METHOD"]) for c in cals] == ["REQUEST", "CANCEL"]
        cancel = _vevent(cals[-1])
        assert str(cancel["STATUS"]) == "CANCELLED"
        assert int(cancel["SEQUENCE"]) > int(_vevent(cals[0])["SEQUENCE"])
        assert cancel["ATTENDEE"].params.get("RSVP", "FALSE") == "FALSE"  # no answer asked
    # Running the sync again sends nothing twice.
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mail.sync_meeting(booked.pk)
    assert len(mail.outbox) == before


def test_a_no_show_cancels_and_the_refill_is_invited(actors, django_capture_on_commit_callbacks):
    from tests.matching.fair_setup import add_candidate, arrive

    now = timezone.now()
    build_fair(actors, starts_at=now - timedelta(minutes=5), slots=12)
    stand_by = add_candidate(actors.event, "standby@example.org", {"python": 5, "django": 4})
    arrive(actors.event, stand_by)
    with django_capture_on_commit_callbacks(execute=True):
        m = meetings.book_meeting(
            event=actors.event,
            organisation_id=actors.org_a.pk,
            candidate_id=actors.candidate.pk,
            opening_id=None,
            source=Meeting.Source.TIMETABLE,
            now=now - timedelta(minutes=10),
        )
        meeting_mail.meetings_changed([m.pk])
    assert [str(c["METHOD"]) for c in _calendars(actors.candidate.email)] == ["REQUEST"]
    with django_capture_on_commit_callbacks(execute=True):
        refill = meetings.meeting_no_show(meeting_id=m.pk, user=actors.employer_a, now=now)
    assert refill is not None and refill.candidate_id == stand_by.pk
    assert [str(c["METHOD"]) for c in _calendars(actors.candidate.email)] == ["REQUEST", "CANCEL"]
    assert [str(c["METHOD"]) for c in _calendars(stand_by.email)] == ["REQUEST"]


def test_a_meeting_cancelled_before_any_invitation_left_sends_no_cancel(actors, django_capture_on_commit_callbacks):
    build_fair(actors, starts_at=timezone.now() + timedelta(days=1))
    m = meetings.book_meeting(
        event=actors.event,
        organisation_id=actors.org_a.pk,
        candidate_id=actors.candidate.pk,
        opening_id=None,
        source=Meeting.Source.TIMETABLE,
        now=timezone.now(),
    )
    Meeting.objects.filter(pk=m.pk).update(status=Meeting.Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_mail.sync_meeting(m.pk) == 0
    assert mail.outbox == []


def test_an_organiser_moving_a_meeting_in_the_admin_sends_both_the_update(
    actors, booked, rf, django_capture_on_commit_callbacks
):
    from django.contrib.admin.sites import site

    meeting = Meeting.objects.get(pk=booked.pk)
    meeting.starts_at += timedelta(minutes=30)
    meeting.ends_at += timedelta(minutes=30)
    request = rf.post("/admin/")
    request.user = actors.organiser
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[Meeting].save_model(request, meeting, None, True)
    for person in (actors.candidate, actors.employer_a):
        update = _vevent(_calendars(person.email)[-1])
        assert int(update["SEQUENCE"]) == 1
        assert update.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)


def test_a_cancellation_written_without_save_still_outranks_the_invitation(
    actors, booked, client, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=booked.pk).update(status=Meeting.Status.CANCELLED)  # SEQUENCE not moved
    with django_capture_on_commit_callbacks(execute=True):
        meeting_mail.meetings_changed([booked.pk])
    for person in (actors.candidate, actors.employer_a):
        cals = _calendars(person.email)
        assert [str(c["METHOD"]) for c in cals] == ["REQUEST", "CANCEL"]
        assert int(_vevent(cals[-1])["SEQUENCE"]) == 1
        assert _feed_uids(client, person) == {str(_vevent(cals[-1])["UID"]): 1}
