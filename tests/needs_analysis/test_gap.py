"""The three-way skills gap of a programme: taught, demanded, held; sorted by shortage; the call-outs."""

from __future__ import annotations

import csv
import io

from events.models import Event, Registration
from events.questionnaire_charts import GroupRow, Series, grouped_chart
from matching.assessment_models import Round, SkillAssessment
from matching.models import Skill
from matching.programme_gap import programme_gap, programme_gap_csv
from tests.factories import EventFactory, RegistrationFactory, UserFactory


def _row(report, slug) -> dict:
    return next(r for r in report["skills"] if r["skill"] == slug)


def test_each_skill_has_taught_demand_and_holders(world):
    report = programme_gap(programme=world.programme)
    python = _row(report, "python")
    # Two curricula teach it; two seats ask for it; the candidate holds it at 4.
    assert (python["taught"], python["demand"], python["candidates"], python["holders"], python["shortage"]) == (
        2, 2.0, 1, 1, 1.0,
    )  # fmt: skip
    docker = _row(report, "docker")  # the candidate's level 2 is not enough; "needed" answers are not taught
    assert (docker["taught"], docker["demand"], docker["holders"], docker["shortage"]) == (0, 1.0, 0, 1.0)
    assert len(report["skills"]) == Skill.objects.count()  # the whole taxonomy


def test_rows_are_sorted_by_the_largest_shortage(world):
    shortages = [r["shortage"] for r in programme_gap(programme=world.programme)["skills"]]
    assert shortages == sorted(shortages, reverse=True)
    assert shortages[0] == 1.0


def test_taught_but_not_demanded_and_demanded_but_not_taught_are_called_out(world):
    report = programme_gap(programme=world.programme)
    assert [r["skill"] for r in report["taught_not_demanded"]] == ["java"]
    assert [r["skill"] for r in report["demanded_not_taught"]] == ["docker"]


def test_trainees_at_level_three_at_the_end_of_a_training_are_holders(world):
    python = Skill.objects.get(slug="python")
    course = EventFactory(slug="ict-course", kind=Event.Kind.TRAINING, programme=world.programme)
    for email, levels in (("strong@example.org", (2, 4)), ("weak@example.org", (4, 2))):
        registration = RegistrationFactory(
            event=course, user=UserFactory(email=email), role=Registration.Role.CANDIDATE
        )
        # The trainer's newest end-round level counts: 4 for the first, 2 for the second.
        for level in levels:
            SkillAssessment.objects.create(
                registration=registration, skill=python, round=Round.END, source=SkillAssessment.Source.TRAINER,
                level=level,
            )  # fmt: skip
    row = _row(programme_gap(programme=world.programme), "python")
    assert (row["candidates"], row["trainees"], row["holders"], row["shortage"]) == (1, 1, 2, 0.0)


def test_trainee_counts_can_be_given(world):
    python = Skill.objects.get(slug="python").pk
    row = _row(programme_gap(programme=world.programme, trainee_counts={python: 3}), "python")
    assert (row["trainees"], row["holders"], row["shortage"]) == (3, 4, -2.0)


def test_csv_lists_every_skill_in_the_reports_order(world):
    report = programme_gap(programme=world.programme)
    rows = list(csv.DictReader(io.StringIO(programme_gap_csv(report).lstrip("\ufeff"))))
    assert len(rows) == Skill.objects.count()
    assert rows[0]["skill"] in ("python", "docker")
    assert {k: rows[0][k] for k in ("taught", "demand", "holders")} != {}


def test_grouped_chart_reads_every_figure_and_mirrors_right_to_left():
    series = [Series("taught", "Taught", "#2e7d32"), Series("demand", "Demand", "#0b5cad")]
    rows = [GroupRow("python", "بايثون", (2, 3.5))]
    ltr = grouped_chart(chart_id="g", title="Gap", series=series, rows=rows)
    rtl = grouped_chart(chart_id="g", title="Gap", series=series, rows=rows, rtl=True)
    assert "بايثون: Taught 2, Demand 3.5" in ltr
    assert 'direction="rtl"' in rtl
    assert ltr != rtl
    empty = grouped_chart(chart_id="g", title="Gap", series=series, rows=[], empty="Nothing yet")
    assert "Nothing yet" in empty
