"""The demo dialogue's bilateral part: two delegations, wishes with topics, a timetable in the published slots."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from events.models import Event, Session
from matching.models import BilateralWish, DialogueTopic, Meeting, ScheduleRun, Skill
from matching.taxonomy import load_skills


@pytest.fixture
def demo(db):
    if not Skill.objects.exists():
        load_skills(Skill)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("matching_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("dialogue_demo", stdout=out)
    return Event.objects.get(slug="lt-iq-policy-dialogue-vilnius"), out.getvalue()


def test_the_demo_dialogue_books_bilateral_meetings_only_in_its_published_slots(demo):
    event, out = demo
    assert "dialogue demo ready" in out
    slots = {
        (s.starts_at, s.ends_at, s.room_id)
        for s in Session.objects.filter(event=event, kind="bilateral").exclude(status="cancelled")
    }
    booked = list(Meeting.objects.filter(event=event, status__in=["booked", "confirmed"]))
    assert 0 < len(booked) <= len(slots) == 6
    assert {(m.starts_at, m.ends_at, m.room_id) for m in booked} <= slots
    assert not any(m.room.name == "Plenary Hall" for m in booked)
    # One meeting per official before anyone gets a second: six slots, six different officials.
    assert max(Counter(m.candidate_id for m in booked).values()) == 1
    # Two delegations, each asking the other's institutions, on the event's topics.
    delegations = {c for m in booked for c in [m.organisation.country]}
    assert delegations == {"LT", "IQ"}
    assert DialogueTopic.objects.filter(event=event).count() == 4
    assert all(w.topics.exists() for w in BilateralWish.objects.filter(event=event))
    run = ScheduleRun.objects.get(event=event, kind="bilateral")
    assert run.status == "done" and len(run.unplaced) > 0


def test_the_demo_dialogue_command_is_idempotent(demo):
    event, _out = demo
    before = list(Meeting.objects.filter(event=event).order_by("pk").values_list("pk", "status", "starts_at"))
    wishes = BilateralWish.objects.filter(event=event).count()
    call_command("dialogue_demo", stdout=io.StringIO())
    call_command("dialogue_demo", "--reschedule", stdout=io.StringIO())
    after = list(Meeting.objects.filter(event=event).order_by("pk").values_list("pk", "status", "starts_at"))
    assert after == before and BilateralWish.objects.filter(event=event).count() == wishes
    assert DialogueTopic.objects.filter(event=event).count() == 4
