"""The programme's indicators: each figure counted from what the other parts recorded, and only the
programme's own events."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkin.models import AttendanceMark, SessionAttendance
from checkin.training import training_grid
from events.models import ActionItem, Registration
from matching.indicators import SUPPRESSED, programme_indicators, suppress
from matching.models import Lead, Meeting
from tests.factories import RegistrationFactory, SessionFactory, UserFactory
from tests.indicators.conftest import meet


def _month(session) -> str:
    return session.starts_at.astimezone(session.event.tzinfo).strftime("%Y-%m")


def _completed_by_the_rule(world) -> int:
    return sum(row["standing"].status == "met" for row in training_grid(event=world.training)["rows"])


def test_training_figures_come_from_the_attendance_grid(world):
    data = programme_indicators(programme=world.programme)
    assert data["trainings"] == ["ict-training"]
    assert data["enrolled"] == 3
    assert data["attended"] == 2  # trainee 2 never came
    # 80 % of five sessions is four: only trainee 0 attended four; whether they completed is the training's
    # own rule (the final assessment too, where the training requires one).
    assert data["completed"] == _completed_by_the_rule(world) <= 1
    expected: dict[str, dict] = defaultdict(lambda: {"sessions_held": 0, "people": set(), "attendances": 0})
    for i, session in enumerate(world.sessions):
        entry = expected[_month(session)]
        entry["sessions_held"] += 1
        entry["people"].add(0)
        entry["attendances"] += 1
        if i < 2:
            entry["people"].add(1)
            entry["attendances"] += 1
    assert data["attended_by_month"] == [
        {
            "month": month,
            "sessions_held": e["sessions_held"],
            "trainees_attended": len(e["people"]),
            "attendances": e["attendances"],
            "rate": round(100 * e["attendances"] / (3 * e["sessions_held"])),
        }
        for month, e in sorted(expected.items())
    ]


def test_an_excused_session_leaves_the_rate_and_the_rule(world):
    # Trainee 2 excused from every held session: the rate counts only trainees 0 and 1.
    for session in world.sessions:
        AttendanceMark.objects.create(
            registration=world.trainees[2],
            session=session,
            old="absent",
            new="excused",
            reason="ill",
            by=world.organiser,
        )
    data = programme_indicators(programme=world.programme)
    for month in data["attended_by_month"]:
        assert month["rate"] == round(100 * month["attendances"] / (2 * month["sessions_held"]))
    assert data["attended"] == 2
    assert data["completed"] == _completed_by_the_rule(world)


def test_a_new_check_in_counts_at_once(world):
    SessionAttendance.objects.create(
        ticket=world.trainees[2].ticket, session=world.sessions[3], first_in_at=world.sessions[3].starts_at
    )
    assert programme_indicators(programme=world.programme)["attended"] == 3


def test_met_an_employer_counts_meetings_that_took_place_and_leads(world):
    data = programme_indicators(programme=world.programme)
    # Confirmed, and booked with its time past; the cancelled one does not count.
    assert data["met_employer"] == 2
    later = UserFactory(full_name="Booked Later")
    RegistrationFactory(event=world.fair, user=later)
    meet(world.fair, later, world.fair.meetings.first().organisation, slot=4, status=Meeting.Status.BOOKED,
         ends_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    assert programme_indicators(programme=world.programme)["met_employer"] == 2
    scanned = UserFactory(full_name="Scanned At The Booth")
    Lead.objects.create(event=world.fair, organisation=world.fair.meetings.first().organisation, candidate=scanned)
    assert programme_indicators(programme=world.programme)["met_employer"] == 3


def test_officials_stakeholders_and_action_items(world):
    data = programme_indicators(programme=world.programme)
    assert data["officials_engaged"] == 1  # the one who declined is not engaged
    assert data["stakeholders"] == {"listed": 2, "reached": 1}
    assert data["action_items"] == {"done": 2, "total": 3}
    ActionItem.objects.filter(title="C").update(status="done")
    assert programme_indicators(programme=world.programme)["action_items"] == {"done": 3, "total": 3}


def test_events_outside_the_programme_count_for_nothing(world):
    before = programme_indicators(programme=world.programme)
    other = world.training.__class__.objects.get(slug="elsewhere")
    session = SessionFactory(event=other, starts_at=timezone.now() - timedelta(days=3))
    registration = Registration.objects.get(event=other)
    SessionAttendance.objects.create(ticket=registration.ticket, session=session, first_in_at=session.starts_at)
    after = programme_indicators(programme=world.programme)
    assert {k: v for k, v in after.items() if k != "as_of"} == {k: v for k, v in before.items() if k != "as_of"}


def test_queries_do_not_grow_with_the_cohort(world):
    with CaptureQueriesContext(connection) as small:
        programme_indicators(programme=world.programme)
    for i in range(10):
        registration = RegistrationFactory(event=world.training, user=UserFactory(full_name=f"More {i}"))
        for session in world.sessions:
            SessionAttendance.objects.create(ticket=registration.ticket, session=session, first_in_at=session.starts_at)
    with CaptureQueriesContext(connection) as large:
        data = programme_indicators(programme=world.programme)
    assert data["enrolled"] == 13
    assert len(large) == len(small)


def test_small_groups_are_suppressed():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]
    assert SUPPRESSED == "<5"
