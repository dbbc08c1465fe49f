"""Reminders to employers two and six weeks after a fair: once each, in their language, with the link.

Every time is built from the fair's own end, and the task is told the time (`now`): nothing depends
on the hour or the zone the suite runs in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django_q.models import Schedule

from events.models import Event, Membership, Registration
from matching.outcomes import outcome_reminders, reminder_due, send_outcome_reminder

pytestmark = pytest.mark.django_db

ENDED = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def fair(actors):
    event = actors.event
    Event.objects.filter(pk=event.pk).update(
        starts_at=ENDED - timedelta(hours=8), ends_at=ENDED, status=Event.Status.CLOSED
    )
    Registration.objects.filter(event=event, user=actors.employer_a).update(language="lt")
    Registration.objects.filter(event=event, user=actors.employer_b).update(language="ar")
    mail.outbox.clear()
    return actors


def _sent(actors) -> dict[str, list[str]]:
    return {m.to[0]: [m.subject, m.body] for m in mail.outbox}


def test_which_reminder_is_due_when():
    assert reminder_due(ended_at=ENDED, now=ENDED + timedelta(days=13, hours=23)) is None
    assert reminder_due(ended_at=ENDED, now=ENDED + timedelta(weeks=2)) == 2
    assert reminder_due(ended_at=ENDED, now=ENDED + timedelta(weeks=6) - timedelta(seconds=1)) == 2
    assert reminder_due(ended_at=ENDED, now=ENDED + timedelta(weeks=6)) == 6
    assert reminder_due(ended_at=ENDED, now=ENDED + timedelta(weeks=8)) is None


def test_each_employer_gets_each_reminder_once_in_their_language_with_their_page(fair):
    actors = fair
    assert outcome_reminders(now=ENDED + timedelta(days=1)) == 0
    assert outcome_reminders(now=ENDED + timedelta(days=14, hours=1)) == 2
    sent = _sent(actors)
    assert set(sent) == {actors.employer_a.email, actors.employer_b.email}
    link = f"/matching/{actors.event.slug}/outcomes/"
    lt_subject, lt_body = sent[actors.employer_a.email]
    assert "Sveiki" in lt_body and link in lt_body and "Baltic Code UAB" in lt_body
    assert "2" in lt_body and actors.event.title in lt_subject
    ar_body = sent[actors.employer_b.email][1]
    assert "مرحبًا" in ar_body and "Tigris Tech" in ar_body and "Baltic" not in ar_body
    # Daily runs in the following weeks send nothing more, and a task that runs twice sends once.
    for day in (15, 20, 41):
        assert outcome_reminders(now=ENDED + timedelta(days=day)) == 0
    registration = Registration.objects.get(event=actors.event, user=actors.employer_a)
    assert send_outcome_reminder(registration.pk, 2) is False
    assert len(mail.outbox) == 2
    # Six weeks after: the second reminder, once.
    assert outcome_reminders(now=ENDED + timedelta(weeks=6, hours=2)) == 2
    assert outcome_reminders(now=ENDED + timedelta(weeks=6, days=1)) == 0
    assert len(mail.outbox) == 4
    assert "6" in mail.outbox[-1].body
    assert outcome_reminders(now=ENDED + timedelta(weeks=9)) == 0


def test_only_granted_employer_representatives_of_past_fairs_are_reminded(fair):
    actors = fair
    Membership.objects.filter(user=actors.employer_b).update(status=Membership.Status.REMOVED)
    assert outcome_reminders(now=ENDED + timedelta(weeks=2, hours=1)) == 1
    assert [m.to for m in mail.outbox] == [[actors.employer_a.email]]  # not the candidate, official, removed member
    Event.objects.filter(pk=actors.event.pk).update(kind=Event.Kind.TRAINING)
    assert outcome_reminders(now=ENDED + timedelta(weeks=6, hours=1)) == 0


def test_the_daily_schedule_exists_after_migrate():
    schedule = Schedule.objects.get(name="matching.outcome_reminders")
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "matching.outcomes.outcome_reminders",
        Schedule.DAILY,
        -1,
    )
