"""A training's skill assessments: the one writer of the curriculum, levels and practical-task scores.

- `curriculum_set`: organisers and the training's trainers choose the taxonomy skills it teaches.
- `trainer_levels_record`: a trainer's levels (0–5) for the cohort at one round, in one form, with
  an optional practical task (name, maximum, each trainee's score).
- `self_assessment_record`: a trainee's own levels at one round, from their phone.

Rows are never changed: a new level is a new row and the newest one counts; only what changed is
written, so the audit lists real changes (who, when). Refusals raise `AssessmentError` with a
stable code. Reads live in matching.assessment_progress.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from checkin.training import may_run_training, trainees
from events.exceptions import EventsError
from events.models import Event, Registration, User
from events.text import text_problem
from matching.assessment_models import LEVEL_MAX, PracticalTaskScore, Round, SkillAssessment, TrainingSkill
from matching.models import Skill

CURRICULUM_MAX = 40
TASK_NAME_MAX = 120
TASK_SCORE_MAX = 1000


class AssessmentError(EventsError):
    """A refused assessment, with a stable code."""


def _require_trainer(*, user: Any, event: Event) -> None:
    if not may_run_training(user=user, event=event):
        raise AssessmentError(
            _("Only this training's trainers and organisers may do this."), code="forbidden", status=403
        )


def _require_round(round_: str) -> None:
    if round_ not in Round.values:
        raise AssessmentError(_("Choose intake, midpoint or end."), code="invalid_round", status=422)


def _require_level(level: Any) -> None:
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= LEVEL_MAX:
        raise AssessmentError(_("A level is a whole number from 0 to 5."), code="invalid_level", status=422)


def curriculum_skill_ids(event: Event) -> list[int]:
    return list(TrainingSkill.objects.filter(event=event).values_list("skill_id", flat=True))


def _newest(registration_ids: list[int], round_: str, source: str) -> dict[tuple[int, int], int]:
    rows = SkillAssessment.objects.filter(registration_id__in=registration_ids, round=round_, source=source)
    return {
        (r, s): level for r, s, level in rows.order_by("at", "id").values_list("registration_id", "skill_id", "level")
    }


def curriculum_set(*, event: Event, skill_ids: list[int], by: User) -> list[TrainingSkill]:
    """The training's curriculum becomes these skills, in this order (assessments of a removed skill stay)."""
    _require_trainer(user=by, event=event)
    if event.kind != Event.Kind.TRAINING:
        raise AssessmentError(_("Only a training has a curriculum."), code="not_training", status=409)
    ids = list(dict.fromkeys(skill_ids))
    if len(ids) > CURRICULUM_MAX:
        raise AssessmentError(
            _("A curriculum has at most %(n)d skills.") % {"n": CURRICULUM_MAX}, code="too_many", status=422
        )
    if Skill.objects.filter(pk__in=ids).count() != len(ids):
        raise AssessmentError(_("Choose skills from the list."), code="unknown_skill", status=422)
    with transaction.atomic():
        existing = {t.skill_id: t for t in TrainingSkill.objects.select_for_update().filter(event=event)}
        TrainingSkill.objects.filter(event=event).exclude(skill_id__in=ids).delete()
        kept = []
        for position, skill_id in enumerate(ids):
            row = existing.get(skill_id)
            if row is None:
                row = TrainingSkill.objects.create(event=event, skill_id=skill_id, position=position, added_by=by)
            elif row.position != position:
                row.position = position
                row.save(update_fields=["position"])
            kept.append(row)
        return kept


def trainer_levels_record(
    *,
    event: Event,
    round: str,
    levels: dict[tuple[int, int], int],
    by: User,
    task: str = "",
    task_max: int | None = None,
    task_scores: dict[int, int] | None = None,
) -> int:
    """Record a trainer's levels for the cohort at one round: {(registration id, skill id): level}.

    A practical task is optional: its name, maximum and {registration id: score}. Returns how many
    rows were written (levels that changed, and task scores).
    """
    _require_trainer(user=by, event=event)
    _require_round(round)
    cohort = set(trainees(event=event).values_list("pk", flat=True))
    skills = set(curriculum_skill_ids(event))
    for (reg_id, skill_id), level in levels.items():
        if reg_id not in cohort or skill_id not in skills:
            raise AssessmentError(_("Assess this training's trainees in its skills."), code="not_found", status=404)
        _require_level(level)
    task = (task or "").strip()
    task_scores = task_scores or {}
    if task_scores and not task:
        raise AssessmentError(_("Name the practical task."), code="task_name_required", status=422)
    if task:
        if len(task) > TASK_NAME_MAX:
            raise AssessmentError(
                _("Keep the task's name under %(n)d characters.") % {"n": TASK_NAME_MAX},
                code="task_name_too_long",
                status=422,
            )
        problem = text_problem(task)
        if problem is not None:
            raise AssessmentError(problem[1], code=problem[0], status=422)
        if task_max is None or not 1 <= task_max <= TASK_SCORE_MAX:
            raise AssessmentError(
                _("A task's maximum is a whole number from 1 to %(n)d.") % {"n": TASK_SCORE_MAX},
                code="invalid_task_max",
                status=422,
            )
        for reg_id, score in task_scores.items():
            if reg_id not in cohort:
                raise AssessmentError(_("Assess this training's trainees."), code="not_found", status=404)
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= task_max:
                raise AssessmentError(
                    _("A score is a whole number from 0 to the task's maximum."), code="invalid_score", status=422
                )
    with transaction.atomic():
        # One round's levels are written one form at a time, so "changed" is against what the trainer saw.
        list(TrainingSkill.objects.select_for_update().filter(event=event).values_list("pk", flat=True))
        current = _newest(list(cohort), round, SkillAssessment.Source.TRAINER)
        rows = [
            SkillAssessment(
                registration_id=reg_id,
                skill_id=skill_id,
                round=round,
                source=SkillAssessment.Source.TRAINER,
                level=level,
                by=by,
            )
            for (reg_id, skill_id), level in sorted(levels.items())
            if current.get((reg_id, skill_id)) != level
        ]
        SkillAssessment.objects.bulk_create(rows)
        scores = [
            PracticalTaskScore(registration_id=reg_id, round=round, task=task, score=score, max_score=task_max, by=by)
            for reg_id, score in sorted(task_scores.items())
        ]
        PracticalTaskScore.objects.bulk_create(scores)
    return len(rows) + len(scores)


def self_assessment_record(*, registration: Registration, round: str, levels: dict[int, int], by: User) -> int:
    """Record a trainee's own levels at one round: {skill id: level}. Only the trainee may. Returns rows written."""
    is_trainee = (
        registration.role == Registration.Role.CANDIDATE and registration.status == Registration.Status.REGISTERED
    )
    if not is_trainee or by is None or registration.user_id != by.pk:
        raise AssessmentError(_("Only the trainee assesses themself here."), code="forbidden", status=403)
    _require_round(round)
    skills = set(curriculum_skill_ids(registration.event))
    for skill_id, level in levels.items():
        if skill_id not in skills:
            raise AssessmentError(_("Assess the skills of this training."), code="not_found", status=404)
        _require_level(level)
    with transaction.atomic():
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        current = _newest([registration.pk], round, SkillAssessment.Source.SELF)
        rows = [
            SkillAssessment(
                registration=registration,
                skill_id=skill_id,
                round=round,
                source=SkillAssessment.Source.SELF,
                level=level,
                by=by,
            )
            for skill_id, level in sorted(levels.items())
            if current.get((registration.pk, skill_id)) != level
        ]
        SkillAssessment.objects.bulk_create(rows)
    return len(rows)
