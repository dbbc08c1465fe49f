"""`manage.py seed_training_cohort` (make demo): the demo training's five months, their results, and the
fair's outcomes; run twice, it writes nothing the second time."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from checkin.models import AttendanceMark, FinalAssessment, SessionAttendance
from checkin.training import training_grid
from events.models import Event, Programme
from matching.indicators import programme_indicators
from matching.models import Certificate, Outcome, SkillAssessment


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # What runs after each commit (tickets for the seated) runs, as in `make demo`.
    with django_capture_on_commit_callbacks(execute=True):
        for command in ("seed_demo", "matching_demo", "seed_programme"):
            call_command(command, stdout=io.StringIO())


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (SessionAttendance, AttendanceMark, SkillAssessment, FinalAssessment, Certificate, Outcome)
    )


def test_the_cohort_ran_five_months_and_led_somewhere(demo):
    call_command("seed_training_cohort", stdout=io.StringIO())
    training = Event.objects.get(slug="digital-explorers-ict-training")
    now = timezone.now()
    assert training.ends_at < now
    assert 140 <= (training.ends_at - training.starts_at).days <= 160
    grid = training_grid(event=training)
    assert len(grid["rows"]) == 20
    assert grid["held"] == grid["total"] == 42
    standings = Counter(row["standing"].status for row in grid["rows"])
    assert standings["met"] >= 10
    assert sum(row["standing"].flagged for row in grid["rows"]) >= 2  # some fell behind
    assert any(cell[0] == "late" for row in grid["rows"] for cell in row["cells"])
    assert AttendanceMark.objects.filter(new="excused").exists()
    assert set(SkillAssessment.objects.values_list("round", flat=True)) == {"intake", "midpoint", "end"}
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == standings["met"]

    data = programme_indicators(programme=Programme.objects.get(slug="digital-explorers-iraq"))
    assert data["completed"] == data["certified"] == standings["met"]
    assert data["interviews"] >= 3 and data["offers"] >= 2 and 1 <= data["placements"]["total"] < data["offers"] + 1
    assert len(data["attended_by_month"]) >= 5


def test_running_it_again_writes_nothing(demo):
    call_command("seed_training_cohort", stdout=io.StringIO())
    before = _counts()
    starts = Event.objects.get(slug="digital-explorers-ict-training").starts_at
    call_command("seed_training_cohort", stdout=io.StringIO())
    assert _counts() == before
    assert Event.objects.get(slug="digital-explorers-ict-training").starts_at == starts
