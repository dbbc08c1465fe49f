"""The final assessment: trainers record it, and completing a training needs it passed where the event says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from checkin import final_assessment, training
from checkin.models import EventCheckinSettings, FinalAssessment
from events.models import Event
from tests.checkin.test_training_grid import make_training
from tests.factories import EventFactory, RegistrationFactory


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _today(event):
    return timezone.now().astimezone(event.tzinfo).date()


def _attend_everything(course):
    """Zainab attended the three held sessions; without the session to come, 3 of 3 meet the 80 % rule."""
    course.upcoming.status = "cancelled"
    course.upcoming.save()


def _row(grid, registration):
    return next(r for r in grid["rows"] if r["registration"].pk == registration.pk)


def test_the_rule_with_a_final_assessment_at_its_edges():
    base = {"attended": 16, "excused": 0, "missed": 4, "held": 20, "total": 20, "threshold": 80}
    assert training.Standing(**base).status == "met"  # an event without the requirement
    due = training.Standing(**base, assessment_required=True)
    assert (due.status, due.gap, due.assessment_gap, due.flagged) == ("assessment_due", 0, True, False)
    failed = training.Standing(**base, assessment_required=True, assessment_passed=False)
    assert (failed.status, failed.flagged) == ("assessment_failed", True)
    passed = training.Standing(**base, assessment_required=True, assessment_passed=True)
    assert (passed.status, passed.assessment_gap) == ("met", False)
    # Passing the assessment does not make up for attendance.
    short = training.Standing(**{**base, "attended": 15, "missed": 5}, assessment_required=True, assessment_passed=True)
    assert (short.gap, short.status) == (1, "out_of_reach")


def test_a_trainee_completes_only_once_the_final_assessment_is_passed(actors):
    course = make_training(actors)
    _attend_everything(course)
    standing = _row(training.training_grid(event=course.event), course.zainab)["standing"]
    assert (standing.gap, standing.status) == (0, "assessment_due")

    final_assessment.final_assessment_record(
        registration=course.zainab, passed=False, score=41, held_on=_today(course.event), by=course.trainer
    )
    assert _row(training.training_grid(event=course.event), course.zainab)["standing"].status == "assessment_failed"
    page = _client(course.trainer).get(f"/checkin/{course.event.slug}/training/").content.decode()
    assert f'<tr id="r{course.zainab.pk}" class="flagged">' in page
    zainab_row = page.split(f'<tr id="r{course.zainab.pk}"')[1].split("</tr>")[0]
    ali_row = page.split(f'<tr id="r{course.ali.pk}"')[1].split("</tr>")[0]
    assert "Attendance met; the final assessment was not passed" in zainab_row
    # Ali is still short of sessions: the grid names both gaps.
    assert "more sessions to attend · final assessment to pass" in ali_row

    final_assessment.final_assessment_record(
        registration=course.zainab, passed=True, score=77, held_on=_today(course.event), by=course.trainer
    )
    assert _row(training.training_grid(event=course.event), course.zainab)["standing"].status == "met"
    assert FinalAssessment.objects.filter(registration=course.zainab).count() == 2  # the first result is kept


def test_an_event_that_does_not_require_it_completes_on_attendance(actors):
    course = make_training(actors)
    _attend_everything(course)
    EventCheckinSettings.objects.create(event=course.event, final_assessment_required=False)
    course.event.refresh_from_db()
    assert _row(training.training_grid(event=course.event), course.zainab)["standing"].status == "met"


def test_only_trainings_require_it_by_default(actors):
    fair = EventFactory(slug="a-fair", kind=Event.Kind.JOB_FAIR)
    assert training.assessment_required(fair) is False
    assert training.assessment_required(make_training(actors).event) is True


def test_the_progress_page_says_what_is_left_including_the_assessment(actors):
    course = make_training(actors)
    _attend_everything(course)
    path = f"/checkin/{course.event.slug}/progress/"
    text = _client(actors.candidate).get(path).content.decode()
    assert 'data-standing="assessment_due"' in text and 'data-final="none"' in text
    assert "The final assessment is still to pass." in text
    final_assessment.final_assessment_record(
        registration=course.zainab, passed=True, score=90, held_on=_today(course.event), by=course.trainer
    )
    text = _client(actors.candidate).get(path).content.decode()
    assert 'data-standing="met"' in text and 'data-final="passed"' in text and "(90 %)" in text


def test_trainers_record_a_result_on_the_page_and_bad_forms_are_refused(actors):
    course = make_training(actors)
    path = f"/checkin/{course.event.slug}/training/final/"
    trainer = _client(course.trainer)
    assert trainer.get(path).status_code == 200
    today = _today(course.event)
    ok = {"registration": course.ali.pk, "passed": "yes", "score": "64", "held_on": today.isoformat(), "note": "Lab"}
    response = trainer.post(path, ok)
    assert response.status_code == 302 and response["Location"].endswith(f"#f{course.ali.pk}")
    result = FinalAssessment.objects.get()
    assert (result.passed, result.score, result.held_on, result.by, result.note) == (
        True,
        64,
        today,
        course.trainer,
        "Lab",
    )
    assert f'id="f{course.ali.pk}" data-result="passed"' in trainer.get(path).content.decode()

    tomorrow = (today + timedelta(days=1)).isoformat()
    for bad, status in [
        ({"passed": "maybe"}, 422),
        ({"score": "101"}, 422),
        ({"score": "-3"}, 422),
        ({"score": "٥٠"}, 422),
        ({"held_on": "31/12/2026"}, 422),
        ({"held_on": tomorrow}, 422),
        ({"note": "x" * 301}, 422),
        ({"note": "a\u202eb"}, 422),
        ({"registration": "99999999999999999999"}, 422),
        ({"registration": "abc"}, 422),
        ({"registration": course.trainer.pk + 10_000}, 404),
    ]:
        assert trainer.post(path, {**ok, **bad}).status_code == status, bad
    assert FinalAssessment.objects.count() == 1


def test_only_trainers_and_organisers_see_or_record_it(actors):
    course = make_training(actors)
    path = f"/checkin/{course.event.slug}/training/final/"
    assert _client().get(path).status_code == 302
    assert _client(actors.candidate).get(path).status_code == 403
    assert _client(actors.outsider).post(path, {"registration": course.ali.pk, "passed": "yes"}).status_code == 403
    assert _client(actors.organiser).get(path).status_code == 200
    other = make_training(actors, slug="other-training")
    # A trainer of another training is nobody here, through the page and the service alike.
    assert _client(other.trainer).get(path).status_code == 403
    with pytest.raises(training.TrainingError) as refused:
        final_assessment.final_assessment_record(
            registration=course.ali, passed=True, held_on=_today(course.event), by=other.trainer
        )
    assert refused.value.code == "forbidden"
    outsider_registration = RegistrationFactory(event=course.event, user=actors.outsider, role="trainer")
    with pytest.raises(training.TrainingError) as not_trainee:
        final_assessment.final_assessment_record(
            registration=outsider_registration, passed=True, held_on=_today(course.event), by=course.trainer
        )
    assert not_trainee.value.code == "not_found"
