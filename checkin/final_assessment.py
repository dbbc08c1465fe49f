"""A training's final assessment: the one writer of `FinalAssessment`, and the cohort's results.

Completing a training needs the attendance rule and, where the event requires it
(`checkin.training.assessment_required`), the final assessment passed (`checkin.training.Standing`).
A trainer records each trainee's result: passed or not, an optional score (0–100 %), the date it was
held and a note. A reassessment is a new row; the newest one counts, the older ones stay as the audit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from checkin.models import FinalAssessment
from checkin.training import TrainingError, final_results, may_run_training, trainees
from events.models import Event, Registration, User
from events.text import text_problem

NOTE_MAX = 300


def final_assessments(*, event: Event) -> list[dict[str, Any]]:
    """Every trainee with their newest result (or None) and how many times they were assessed."""
    registrations = list(trainees(event=event))
    ids = [r.pk for r in registrations]
    results = final_results(ids)
    counts: dict[int, int] = {}
    for reg_id in FinalAssessment.objects.filter(registration_id__in=ids).values_list("registration_id", flat=True):
        counts[reg_id] = counts.get(reg_id, 0) + 1
    return [
        {"registration": r, "name": r.user.get_full_name(), "result": results.get(r.pk), "times": counts.get(r.pk, 0)}
        for r in registrations
    ]


def final_assessment_record(
    *,
    registration: Registration,
    passed: bool,
    held_on: date,
    by: User,
    score: int | None = None,
    note: str = "",
) -> FinalAssessment:
    """Record a trainee's final assessment (a new row; the newest row is their result)."""
    event = registration.event
    is_trainee = (
        registration.role == Registration.Role.CANDIDATE and registration.status == Registration.Status.REGISTERED
    )
    if not is_trainee:
        raise TrainingError(_("Not found."), code="not_found", status=404)
    if not may_run_training(user=by, event=event):
        raise TrainingError(
            _("Only this training's trainers and organisers may record the final assessment."),
            code="forbidden",
            status=403,
        )
    if score is not None and not 0 <= score <= 100:
        raise TrainingError(_("A score is a whole number from 0 to 100."), code="invalid_score", status=422)
    if held_on > timezone.now().astimezone(event.tzinfo).date():
        raise TrainingError(_("The assessment's date cannot be in the future."), code="future_date", status=422)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise TrainingError(
            _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}, code="note_too_long", status=422
        )
    problem = text_problem(note) if note else None
    if problem is not None:
        raise TrainingError(problem[1], code=problem[0], status=422)
    with transaction.atomic():
        return FinalAssessment.objects.create(
            registration=registration, passed=passed, score=score, held_on=held_on, note=note, by=by
        )
