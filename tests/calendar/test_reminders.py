"""Reminders before sessions: once per offset, per-event offsets, officials-only sessions, moves re-arm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from events.models import EventCalendarSettings, Registration, Session
from events.reminders import send_due_reminders
from tests.calendar.conftest import add_session
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


@pytest.fixture
def attendee(dst_event):
    person = UserFactory(email="zainab@example.org")
    reg = RegistrationFactory(event=dst_event, user=person)
    session = add_session(dst_event, "Interview skills", START)
    reg.sessions.add(session)
    return reg, session


def test_day_and_hour_reminders_each_sent_once(attendee):
    assert send_due_reminders(now=START - timedelta(hours=25)) == 0
    assert send_due_reminders(now=START - timedelta(hours=23, minutes=58)) == 1
    assert send_due_reminders(now=START - timedelta(hours=23, minutes=53)) == 0
    assert send_due_reminders(now=START - timedelta(minutes=58)) == 1
    assert send_due_reminders(now=START - timedelta(minutes=53)) == 0
    assert [m.to for m in mail.outbox] == [["zainab@example.org"], ["zainab@example.org"]]
    assert mail.outbox[0].subject.startswith("Reminder: Interview skills")
    # The time in the message is the event's wall clock: 10:00 in Vilnius (EEST) is 07:00 UTC.
    assert "10:00" in mail.outbox[0].body or "10 a.m." in mail.outbox[0].body


def test_joining_late_sends_only_the_nearest_reminder(attendee):
    assert send_due_reminders(now=START - timedelta(minutes=30)) == 1
    assert send_due_reminders(now=START - timedelta(minutes=25)) == 0


def test_offsets_are_set_per_event(attendee, dst_event):
    EventCalendarSettings.objects.create(event=dst_event, reminder_offsets=[15])
    assert send_due_reminders(now=START - timedelta(hours=23)) == 0
    assert send_due_reminders(now=START - timedelta(minutes=14)) == 1
    EventCalendarSettings.objects.filter(event=dst_event).update(reminder_offsets=[])
    assert send_due_reminders(now=START - timedelta(minutes=5)) == 0


def test_moved_session_is_reminded_again_and_cancelled_one_not(attendee):
    _reg, session = attendee
    assert send_due_reminders(now=START - timedelta(minutes=50)) == 1
    later = START + timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(starts_at=later, ends_at=later + timedelta(hours=1))
    assert send_due_reminders(now=later - timedelta(minutes=50)) == 1
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    assert send_due_reminders(now=later - timedelta(minutes=10)) == 0


def test_officials_are_reminded_of_officials_only_sessions_and_others_are_not(dst_event):
    official = UserFactory(email="omar@gov.example")
    RegistrationFactory(event=dst_event, user=official, role=Registration.Role.OFFICIAL)
    RegistrationFactory(event=dst_event, user=UserFactory(email="someone@example.org"))
    add_session(dst_event, "Round table", START, audience=Session.Audience.OFFICIALS)
    assert send_due_reminders(now=START - timedelta(minutes=55)) == 1
    assert [m.to for m in mail.outbox] == [["omar@gov.example"]]


def test_the_schedule_exists():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="calendar-reminders")
    assert schedule.func == "events.reminders.send_due_reminders" and schedule.minutes == 5
    retries = Schedule.objects.get(name="calendar-delivery-retries")
    assert retries.func == "events.calendar_mail.retry_due_deliveries"


def test_a_session_ended_early_is_not_reminded(attendee):
    # An organiser started and ended it before its published time (the demo's control room does this):
    # a "starts soon" for something already over would be wrong.
    _reg, session = attendee
    Session.objects.filter(pk=session.pk).update(status=Session.Status.ENDED)
    assert send_due_reminders(now=START - timedelta(minutes=50)) == 0
    assert mail.outbox == []
