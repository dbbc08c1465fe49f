"""A training in which one trainee completed (Zainab) and one did not (Ali), for the certificate tests."""

from __future__ import annotations

from django.utils import timezone

from checkin.final_assessment import final_assessment_record
from checkin.models import EventCheckinSettings
from tests.checkin.test_training_grid import Training, make_training


def completed_course(actors, slug: str = "ict-training") -> Training:
    """make_training's course with a 50 % rule: Zainab attended 3 of 4 sessions and passed the final assessment;
    Ali attended 1 and needs 2."""
    course = make_training(actors, slug=slug)
    EventCheckinSettings.objects.update_or_create(event=course.event, defaults={"completion_threshold": 50})
    today = timezone.localdate()
    final_assessment_record(registration=course.zainab, passed=True, held_on=today, by=course.trainer)
    final_assessment_record(registration=course.ali, passed=True, held_on=today, by=course.trainer)
    return course
