"""A training's sessions count as held once started or past; the control room shows now and next only."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from checkin.reports import attendance_report
from events import sessions as session_service
from events.live_selectors import NEXT_LIMIT
from events.models import Event, Session
from tests.factories import SessionFactory


def test_a_session_started_in_the_control_room_counts_as_held_before_its_time(actors):
    now = timezone.now()
    past = SessionFactory(event=actors.event, title="Past", starts_at=now - timedelta(days=2))
    early = SessionFactory(event=actors.event, title="Started early", starts_at=now + timedelta(days=14))
    SessionFactory(event=actors.event, title="Next month", starts_at=now + timedelta(days=30))
    SessionFactory(
        event=actors.event, title="Cancelled", starts_at=now - timedelta(days=1), status=Session.Status.CANCELLED
    )
    assert [s.title for s in attendance_report(event=actors.event)["sessions"]] == ["Past"]

    session_service.session_start(session=early)
    report = attendance_report(event=actors.event)
    assert [s.title for s in report["sessions"]] == ["Past", "Started early"]
    assert {r["held"] for r in report["rows"]} == {2}

    session_service.session_end(session=early)
    assert [s.pk for s in attendance_report(event=actors.event)["sessions"]] == [past.pk, early.pk]


def test_the_control_room_lists_todays_sessions_and_the_next_few_not_all_of_a_training(actors):
    event = actors.event
    event.kind = Event.Kind.TRAINING
    event.timezone = "Asia/Baghdad"
    event.save()
    now = timezone.now()
    SessionFactory(event=event, title="Last week", starts_at=now - timedelta(days=7))
    SessionFactory(event=event, title="Running now", starts_at=now - timedelta(minutes=30))
    for week in range(1, 41):
        SessionFactory(event=event, title=f"Week {week}", starts_at=now + timedelta(days=1 + 3 * week))
    started = SessionFactory(event=event, title="Far, started early", starts_at=now + timedelta(days=200))
    session_service.session_start(session=started)

    organiser = Client()
    organiser.force_login(actors.organiser)
    snapshot = organiser.get(f"/api/v1/events/{event.slug}/control").json()
    titles = [s["title"] for s in snapshot["sessions"]]
    assert titles[:2] == ["Running now", "Far, started early"]
    assert titles[2:] == [f"Week {week}" for week in range(1, NEXT_LIMIT + 1)]
