"""Progression per trainee and per cohort: levels at each round, the share at level ≥ 3, the weakest skills,
the trainee's own "my progress" figure, and the end levels that feed the programme's skills gap."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Event, Programme
from matching import assessment_progress, assessments
from matching.assessment_charts import grouped_chart
from matching.models import Skill
from tests.checkin.test_training_grid import make_training
from tests.factories import RegistrationFactory, UserFactory


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def course(actors):
    course = make_training(actors)
    course.extra = RegistrationFactory(event=course.event, user=UserFactory(email="sara@example.org", full_name="Sara"))
    return course


@pytest.fixture
def skills(course):
    chosen = [Skill.objects.get(slug=s) for s in ("python", "data-analysis", "statistics")]
    assessments.curriculum_set(event=course.event, skill_ids=[s.pk for s in chosen], by=course.trainer)
    return chosen


def _levels(course, round_, table):
    """table: {registration: (python, analysis, statistics)}, None for not assessed."""
    skills = assessment_progress.curriculum(course.event)
    levels = {
        (reg.pk, skill.pk): level
        for reg, row in table.items()
        for skill, level in zip(skills, row, strict=True)
        if level is not None
    }
    assessments.trainer_levels_record(event=course.event, round=round_, levels=levels, by=course.trainer)


def _seed(course):
    _levels(course, "intake", {course.zainab: (1, 0, 2), course.ali: (0, 1, 3), course.extra: (2, 0, 1)})
    _levels(course, "midpoint", {course.zainab: (2, 1, 2), course.ali: (2, 1, 3)})
    _levels(course, "end", {course.zainab: (4, 2, 3), course.ali: (3, 1, 3), course.extra: (2, 1, 4)})


def test_the_cohort_progression_has_means_shares_and_the_weakest_skills(course, skills):
    _seed(course)
    data = assessment_progress.cohort_progression(event=course.event)
    python, analysis, stats = data["skills"]
    assert python["mean"] == [1.0, 2.0, 3.0] and python["assessed"] == [3, 2, 3]
    assert python["share"] == [0, 0, 67]  # nobody at ≥ 3 before, two of three after
    assert stats["share"] == [33, 50, 100]
    assert analysis["mean"] == [0.3, 1.0, 1.3]
    assert [s["label"] for s in data["weakest"]] == ["Data analysis", "Python", "Statistics"]
    assert data["latest_round"] == "End"
    # The charts read every value as text for screen readers.
    assert "Python: Intake 1, Midpoint 2, End 3" in data["mean_chart"]
    assert "Statistics: Intake 33 %, End 100 %" in data["share_chart"]


def test_the_progression_page_shows_the_charts_and_the_table(course, skills):
    _seed(course)
    page = _client(course.trainer).get(f"/matching/{course.event.slug}/training/assessments/progression/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("<svg") == 2 and 'id="cohort-levels"' in text and 'id="cohort-share"' in text
    weakest = text.split('data-list="weakest"')[1].split("</section>")[0]
    assert weakest.index("Data analysis") < weakest.index("Python")
    assert "<td>67 %</td>" in text


def test_the_weakest_skills_come_from_the_latest_round_assessed(course, skills):
    _levels(course, "intake", {course.zainab: (4, 0, 2)})
    data = assessment_progress.cohort_progression(event=course.event)
    assert data["latest_round"] == "Intake" and [s["label"] for s in data["weakest"]] == [
        "Data analysis",
        "Statistics",
        "Python",
    ]
    assert assessment_progress.cohort_progression(event=make_training_without_levels(course))["weakest"] == []


def make_training_without_levels(course) -> Event:
    return Event.objects.create(
        slug="empty-training", title="Empty", kind=Event.Kind.TRAINING, starts_at=course.event.starts_at,
        ends_at=course.event.ends_at, timezone="Asia/Baghdad",
    )  # fmt: skip


def test_the_trainees_progress_page_shows_their_own_skill_progression(course, skills):
    _seed(course)
    python = skills[0]
    assessments.self_assessment_record(
        registration=course.zainab, round="end", levels={python.pk: 5}, by=course.zainab.user
    )
    text = _client(course.zainab.user).get(f"/checkin/{course.event.slug}/progress/").content.decode()
    figure = text.split('data-figure="skill-progression"')[1].split("</section>")[0]
    assert f'id="trainee-levels-{course.zainab.pk}"' in figure
    assert "Python: Intake 1, Midpoint 2, End 4" in figure  # the trainer's levels, hers only
    row = re.search(r"<th scope=\"row\" class=\"name\">Python</th>(.*?)</tr>", figure).group(1)
    assert row.count("<td>") == 3 and "4<small> (self: 5)</small>" in row
    assert f"/matching/{course.event.slug}/training/assessments/intake/self/" in text
    assert "Ali" not in figure


def test_without_a_curriculum_the_progress_page_has_no_skills_section(course):
    text = _client(course.zainab.user).get(f"/checkin/{course.event.slug}/progress/").content.decode()
    assert 'data-figure="skill-progression"' not in text and 'data-list="missed"' in text


def test_end_levels_count_each_trainee_once_per_skill_at_level_3_or_more(course, skills, actors):
    _seed(course)
    python, analysis, stats = skills
    # A reassessment at the end replaces the earlier level: Ali's Python drops to 2.
    _levels(course, "end", {course.ali: (2, 1, 3)})
    expected = {python.pk: 1, analysis.pk: 0, stats.pk: 3}
    assert assessment_progress.trainee_end_levels(events=[course.event]) == expected
    programme = Programme.objects.create(slug="explorers", name="Digital Explorers")
    Event.objects.filter(pk=course.event.pk).update(programme=programme)
    # A second training of the programme: Zainab again (counted once), and a new trainee.
    second = make_training(actors, slug="second-training")
    Event.objects.filter(pk=second.event.pk).update(programme=programme)
    assessments.curriculum_set(event=second.event, skill_ids=[python.pk], by=second.trainer)
    assessments.trainer_levels_record(
        event=second.event,
        round="end",
        levels={(second.zainab.pk, python.pk): 5, (second.ali.pk, python.pk): 3},
        by=second.trainer,
    )
    assert assessment_progress.trainee_end_levels(programme=programme) == {python.pk: 2, analysis.pk: 0, stats.pk: 3}
    # The self-assessment never counts.
    assessments.self_assessment_record(
        registration=course.ali, round="end", levels={analysis.pk: 5}, by=course.ali.user
    )
    assert assessment_progress.trainee_end_levels(events=[course.event])[analysis.pk] == 0
    with pytest.raises(TypeError):
        assessment_progress.trainee_end_levels()


def test_the_grouped_chart_is_accessible_and_mirrors_right_to_left():
    args = {
        "chart_id": "c",
        "title": "Levels",
        "series": ["Intake", "End"],
        "rows": [("Python", [1, None])],
        "scale": 5,
    }
    ltr, rtl = grouped_chart(**args), grouped_chart(**args, rtl=True)
    assert 'role="img"' in ltr and '<desc id="c-desc">Python: Intake 1, End –</desc>' in ltr
    assert 'direction="rtl"' in rtl and 'text-anchor="end"' in rtl
    bar = re.search(r'data-series="Intake" data-value="1"><title>[^<]*</title><rect x="([\d.]+)"', ltr).group(1)
    bar_rtl = re.search(r'data-series="Intake" data-value="1"><title>[^<]*</title><rect x="([\d.]+)"', rtl).group(1)
    assert float(bar) == 4 and float(bar_rtl) > 200  # the bar starts on the right in Arabic
    assert "&lt;script&gt;" in grouped_chart(**{**args, "rows": [("<script>", [1, 2])]})


def test_the_progression_reads_in_the_same_number_of_queries_for_3_or_13_trainees(course, skills):
    _seed(course)
    client = _client(course.trainer)
    paths = [
        f"/matching/{course.event.slug}/training/assessments/progression/",
        f"/matching/{course.event.slug}/training/assessments/end/",
        f"/checkin/{course.event.slug}/progress/",
    ]

    def count() -> list[int]:
        counts = []
        for path in paths:
            user_client = _client(course.zainab.user) if "progress/" in path and "progression" not in path else client
            with CaptureQueriesContext(connection) as queries:
                assert user_client.get(path).status_code == 200
            counts.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assessment_progress.trainee_end_levels(events=[course.event])
        return [*counts, len(queries)]

    before = count()
    for i in range(10):
        extra = RegistrationFactory(event=course.event, user=UserFactory(email=f"t{i}@example.org"))
        _levels(course, "end", {extra: (i % 6, 3, None)})
    assert count() == before
    assert before[-1] == 3
