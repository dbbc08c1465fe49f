"""Skill assessments of a training: the curriculum, the trainer's round form, the trainee's self-assessment."""

from __future__ import annotations

import pytest
from django.test import Client

from matching import assessments
from matching.assessment_models import PracticalTaskScore, SkillAssessment, TrainingSkill
from matching.models import Skill
from tests.checkin.test_training_grid import make_training

TRAINER, SELF = SkillAssessment.Source.TRAINER, SkillAssessment.Source.SELF


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def course(actors):
    return make_training(actors)


@pytest.fixture
def skills(course):
    chosen = [Skill.objects.get(slug=s) for s in ("python", "data-analysis", "statistics")]
    assessments.curriculum_set(event=course.event, skill_ids=[s.pk for s in chosen], by=course.trainer)
    return chosen


def _base(course) -> str:
    return f"/matching/{course.event.slug}/training/assessments/"


def test_a_trainer_chooses_the_curriculum_and_others_may_not(course):
    python, sql = Skill.objects.get(slug="python"), Skill.objects.get(slug="sql")
    response = _client(course.trainer).post(f"{_base(course)}curriculum/", {"skills": [sql.pk, python.pk]})
    assert response.status_code == 302
    assert list(TrainingSkill.objects.filter(event=course.event).values_list("skill__slug", flat=True)) == [
        "sql",
        "python",
    ]
    page = _client(course.trainer).get(_base(course)).content.decode()
    assert f'<option value="{python.pk}" selected>' in page
    assert _client(course.zainab.user).post(f"{_base(course)}curriculum/", {"skills": [python.pk]}).status_code == 403
    assert _client(course.trainer).post(f"{_base(course)}curriculum/", {"skills": ["abc"]}).status_code == 422
    assert _client(course.trainer).post(f"{_base(course)}curriculum/", {"skills": [10**9]}).status_code == 422
    assert _client(course.trainer).get(f"{_base(course)}curriculum/").status_code == 405
    # Removing a skill keeps the curriculum's others.
    _client(course.trainer).post(f"{_base(course)}curriculum/", {"skills": [python.pk]})
    assert list(TrainingSkill.objects.filter(event=course.event).values_list("skill__slug", flat=True)) == ["python"]


def test_a_trainer_records_the_cohorts_levels_in_one_form_and_only_changes_are_written(course, skills):
    python, analysis, _stats = skills
    path = f"{_base(course)}intake/"
    trainer = _client(course.trainer)
    page = trainer.get(path).content.decode()
    assert (
        f'name="level-{course.ali.pk}-{python.pk}"' in page and f'name="level-{course.zainab.pk}-{analysis.pk}"' in page
    )
    form = {
        f"level-{course.ali.pk}-{python.pk}": "1",
        f"level-{course.zainab.pk}-{python.pk}": "3",
        f"level-{course.zainab.pk}-{analysis.pk}": "",
        "task": "Build a CLI",
        "task_max": "20",
        f"score-{course.zainab.pk}": "17",
    }
    response = trainer.post(path, form)
    assert response.status_code == 302 and response["Location"].endswith("?saved=3")
    rows = SkillAssessment.objects.filter(source=TRAINER, round="intake")
    assert {(r.registration_id, r.skill_id, r.level, r.by_id) for r in rows} == {
        (course.ali.pk, python.pk, 1, course.trainer.pk),
        (course.zainab.pk, python.pk, 3, course.trainer.pk),
    }
    task = PracticalTaskScore.objects.get()
    assert (task.registration_id, task.task, task.score, task.max_score) == (course.zainab.pk, "Build a CLI", 17, 20)
    # The same levels again write nothing; one change writes one row, and the page shows the newest.
    form = {k: v for k, v in form.items() if k.startswith("level-")}
    assert trainer.post(path, form)["Location"].endswith("?saved=0")
    form[f"level-{course.ali.pk}-{python.pk}"] = "2"
    assert trainer.post(path, form)["Location"].endswith("?saved=1")
    assert SkillAssessment.objects.count() == 3
    page = trainer.get(path).content.decode()
    cell = page.split(f'name="level-{course.ali.pk}-{python.pk}"')[1].split("</select>")[0]
    assert '<option value="2" selected>' in cell and '<option value="1" selected>' not in cell


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"level-{ali}-{python}": "6"}, 422),
        ({"level-{ali}-{python}": "-1"}, 422),
        ({"level-{ali}-{python}": "٣"}, 422),
        ({"level-{ali}-{python}": "2.5"}, 422),
        ({"level-{trainer_reg}-{python}": "2"}, 404),  # not a trainee of this training
        ({"level-{ali}-{other_skill}": "2"}, 404),  # not in the curriculum
        ({"level-{ali}-99999999999999999999": "2"}, 200),  # no such field: ignored, nothing written
        ({"task": "Lab", "task_max": "10", "score-{ali}": "11"}, 422),
        ({"task": "Lab", "task_max": "0", "score-{ali}": "0"}, 422),
        ({"task": "", "score-{ali}": "5"}, 422),
        ({"task": "L\u202eab", "task_max": "10", "score-{ali}": "5"}, 422),
        ({"task": "x" * 121, "task_max": "10", "score-{ali}": "5"}, 422),
    ],
)
def test_a_bad_round_form_is_refused_with_nothing_written(course, skills, form, status):
    trainer_reg = course.event.registrations.get(user=course.trainer)
    ids = {"ali": course.ali.pk, "python": skills[0].pk, "trainer_reg": trainer_reg.pk}
    ids["other_skill"] = Skill.objects.get(slug="sql").pk
    data = {k.format(**ids): v for k, v in form.items()}
    response = _client(course.trainer).post(f"{_base(course)}end/", data)
    assert response.status_code in ((302,) if status == 200 else (status,))
    assert SkillAssessment.objects.count() == 0 and PracticalTaskScore.objects.count() == 0


def test_rounds_and_pages_are_for_trainers_and_a_bad_round_is_no_page(course, skills, actors):
    assert _client(course.trainer).get(f"{_base(course)}finale/").status_code == 404
    assert _client(course.zainab.user).get(f"{_base(course)}intake/").status_code == 403
    assert _client(actors.outsider).get(_base(course)).status_code == 403
    assert _client().get(_base(course)).status_code == 302
    assert _client(actors.organiser).get(f"{_base(course)}progression/").status_code == 200
    assert _client(course.zainab.user).get(f"{_base(course)}progression/").status_code == 403
    assert _client(course.trainer).get(f"{_base(course)}progression/{course.ali.pk}/").status_code == 200
    assert _client(course.trainer).get(f"{_base(course)}progression/{10**19}/").status_code == 404
    # A fair has no skill assessments.
    assert _client(actors.organiser).get(f"/matching/{actors.event.slug}/training/assessments/").status_code == 404


def test_a_trainee_rates_themself_on_their_own_page_only(course, skills, actors):
    python, analysis, stats = skills
    path = f"{_base(course)}midpoint/self/"
    ali = _client(course.ali.user)
    page = ali.get(path).content.decode()
    assert f'name="level-{python.pk}"' in page and f'name="level-{stats.pk}"' in page
    response = ali.post(path, {f"level-{python.pk}": "4", f"level-{analysis.pk}": "2"})
    assert response.status_code == 302 and response["Location"].endswith("/progress/#skills")
    rows = SkillAssessment.objects.filter(source=SELF)
    assert {(r.registration_id, r.skill_id, r.round, r.level, r.by_id) for r in rows} == {
        (course.ali.pk, python.pk, "midpoint", 4, course.ali.user.pk),
        (course.ali.pk, analysis.pk, "midpoint", 2, course.ali.user.pk),
    }
    assert 'value="4" checked' in ali.get(path).content.decode()
    assert ali.post(path, {f"level-{python.pk}": "9"}).status_code == 422
    assert ali.post(path, {f"level-{Skill.objects.get(slug='sql').pk}": "3"}).status_code == 404
    assert _client(course.trainer).get(path).status_code == 404  # a trainer has no self-assessment here
    assert _client(actors.outsider).get(path).status_code == 404
    # The service refuses anyone assessing someone else.
    with pytest.raises(assessments.AssessmentError) as refused:
        assessments.self_assessment_record(
            registration=course.ali, round="end", levels={python.pk: 5}, by=course.trainer
        )
    assert refused.value.code == "forbidden"
    assert SkillAssessment.objects.filter(source=SELF).count() == 2


def test_the_trainee_page_lists_every_change_with_who_and_when(course, skills):
    python = skills[0]
    assessments.trainer_levels_record(
        event=course.event, round="intake", levels={(course.ali.pk, python.pk): 1}, by=course.trainer
    )
    assessments.trainer_levels_record(
        event=course.event, round="intake", levels={(course.ali.pk, python.pk): 2}, by=course.trainer
    )
    assessments.self_assessment_record(
        registration=course.ali, round="intake", levels={python.pk: 3}, by=course.ali.user
    )
    text = _client(course.trainer).get(f"{_base(course)}progression/{course.ali.pk}/").content.decode()
    history = text.split('data-list="history"')[1].split("</ul>")[0]
    assert history.count("<li>") == 3
    assert "Tomas Trainer · Intake · Python: 2 (Trainer)" in history
    assert "Tomas Trainer · Intake · Python: 1 (Trainer)" in history
    assert "Ali Trainee · Intake · Python: 3 (Self-assessment)" in history
    assert history.index(": 2 (Trainer)") < history.index(": 1 (Trainer)")  # newest first
