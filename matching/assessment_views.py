"""Pages of a training's skill assessments, under /matching/<event>/training/assessments/.

Trainers and organisers: the curriculum, one form per round for the cohort's levels (and a practical
task's scores), the cohort's progression and each trainee's. A trainee: their own self-assessment
per round. Views parse the form and call matching.assessments; refusals come back on the page with
their HTTP status (403, 404, 422), never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from checkin.training import may_run_training, trainees
from events.models import Event, Registration
from events.schemas import MAX_ID
from matching import assessment_progress, assessments
from matching.assessment_models import LEVEL_MAX, Round, SkillAssessment
from matching.models import Skill

LEVELS = list(range(LEVEL_MAX + 1))
_LEVEL_FIELD = re.compile(r"level-([0-9]{1,18})-([0-9]{1,18})")
_SELF_FIELD = re.compile(r"level-([0-9]{1,18})")
_SCORE_FIELD = re.compile(r"score-([0-9]{1,18})")


class _BadForm(Exception):
    pass


def _training(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug, kind=Event.Kind.TRAINING)


def _for_trainers(request: HttpRequest, slug: str) -> Event:
    event = _training(slug)
    if not may_run_training(user=request.user, event=event):
        raise PermissionDenied
    return event


def _round(value: str) -> tuple[str, str]:
    labels = dict(Round.choices)
    if value not in labels:
        raise Http404
    return value, str(labels[value])


def _small_int(text: str, *, maximum: int) -> int | None:
    """A whole number typed in a form: None when empty; _BadForm when not digits or above `maximum`."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 6 or int(text) > maximum:
        raise _BadForm
    return int(text)


@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """Trainers: the curriculum and the rounds. A trainee: their self-assessments. Anyone else: 403."""
    event = _training(slug)
    rounds = [(value, str(label)) for value, label in Round.choices]
    if may_run_training(user=request.user, event=event):
        chosen = assessment_progress.curriculum(event)
        return render(
            request,
            "training/assessments.html",
            {
                "event": event,
                "curriculum": chosen,
                "chosen_ids": {s.pk for s in chosen},
                "groups": _skill_groups(),
                "rounds": rounds,
                "trainer": True,
            },
        )
    if not trainees(event=event).filter(user=request.user).exists():
        raise PermissionDenied
    return render(
        request,
        "training/assessments.html",
        {"event": event, "curriculum": assessment_progress.curriculum(event), "rounds": rounds, "trainer": False},
    )


def _skill_groups() -> list[tuple[str, list[Skill]]]:
    labels = dict(Skill.Group.choices)
    groups: dict[str, list[Skill]] = {}
    for skill in Skill.objects.only("id", "name", "names", "group").order_by("group", "name"):
        groups.setdefault(skill.group, []).append(skill)
    return [(str(labels.get(group, group)), skills) for group, skills in groups.items()]


@login_required
@require_http_methods(["POST"])
def curriculum_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the curriculum from the index page's form (its skills, in the list's order)."""
    event = _for_trainers(request, slug)
    raw = request.POST.getlist("skills")
    if len(raw) > assessments.CURRICULUM_MAX or not all(v.isascii() and v.isdigit() and len(v) <= 18 for v in raw):
        return HttpResponse(_("Choose skills from the list."), status=422, content_type="text/plain; charset=utf-8")
    try:
        assessments.curriculum_set(event=event, skill_ids=[int(v) for v in raw], by=request.user)
    except assessments.AssessmentError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    return redirect("matching:training_assessments", slug=event.slug)


def _round_context(event: Event, round_value: str) -> dict[str, Any]:
    skills = assessment_progress.curriculum(event)
    registrations = list(trainees(event=event))
    current: dict[tuple[int, int], int] = {}
    rows = SkillAssessment.objects.filter(
        registration__in=registrations, round=round_value, source=SkillAssessment.Source.TRAINER
    ).order_by("at", "id")
    for reg_id, skill_id, level in rows.values_list("registration_id", "skill_id", "level"):
        current[(reg_id, skill_id)] = level
    return {
        "skills": skills,
        "rows": [
            {
                "registration": r,
                "name": r.user.get_full_name(),
                "cells": [(s.pk, current.get((r.pk, s.pk))) for s in skills],
            }
            for r in registrations
        ],
        "levels": LEVELS,
    }


def _parse_round_form(post: Any) -> dict[str, Any]:
    levels: dict[tuple[int, int], int] = {}
    scores: dict[int, int] = {}
    for key in post:
        if match := _LEVEL_FIELD.fullmatch(key):
            level = _small_int(post.get(key), maximum=LEVEL_MAX)
            if level is not None:
                levels[(int(match[1]), int(match[2]))] = level
        elif match := _SCORE_FIELD.fullmatch(key):
            score = _small_int(post.get(key), maximum=assessments.TASK_SCORE_MAX)
            if score is not None:
                scores[int(match[1])] = score
    task_max = _small_int(post.get("task_max", ""), maximum=assessments.TASK_SCORE_MAX)
    return {"levels": levels, "task": post.get("task", ""), "task_max": task_max, "task_scores": scores}


@login_required
@require_http_methods(["GET", "POST"])
def round_page(request: HttpRequest, slug: str, round: str) -> HttpResponse:
    """The trainer's form for one round: every trainee's level in every skill, and a practical task."""
    event = _for_trainers(request, slug)
    round_value, round_label = _round(round)
    error, status, saved = None, 200, None
    if request.method == "POST":
        try:
            fields = _parse_round_form(request.POST)
            saved = assessments.trainer_levels_record(event=event, round=round_value, by=request.user, **fields)
        except _BadForm:
            error, status = _("Levels are whole numbers from 0 to 5; scores whole numbers up to 1000."), 422
        except assessments.AssessmentError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(
                f"{reverse('matching:training_assessment_round', args=[event.slug, round_value])}?saved={saved}"
            )
    context = {
        "event": event,
        "round": round_value,
        "round_label": round_label,
        "error": error,
        "saved": request.GET.get("saved", "") if request.GET.get("saved", "").isdigit() else "",
        "posted": request.POST if request.method == "POST" else {},
        **_round_context(event, round_value),
    }
    return render(request, "training/assessments_round.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def self_page(request: HttpRequest, slug: str, round: str) -> HttpResponse:
    """The trainee's own levels at one round, on their phone; nobody else's."""
    event = _training(slug)
    round_value, round_label = _round(round)
    registration = trainees(event=event).filter(user=request.user).select_related("event").first()
    if registration is None:
        raise Http404
    skills = assessment_progress.curriculum(event)
    error, status = None, 200
    if request.method == "POST":
        try:
            levels: dict[int, int] = {}
            for key in request.POST:
                if match := _SELF_FIELD.fullmatch(key):
                    level = _small_int(request.POST.get(key), maximum=LEVEL_MAX)
                    if level is not None:
                        levels[int(match[1])] = level
            assessments.self_assessment_record(
                registration=registration, round=round_value, levels=levels, by=request.user
            )
        except _BadForm:
            error, status = _("Levels are whole numbers from 0 to 5."), 422
        except assessments.AssessmentError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(f"{reverse('checkin:training_progress', args=[event.slug])}#skills")
    current: dict[int, int] = {}
    rows = SkillAssessment.objects.filter(
        registration=registration, round=round_value, source=SkillAssessment.Source.SELF
    ).order_by("at", "id")
    for skill_id, level in rows.values_list("skill_id", "level"):
        current[skill_id] = level
    context = {
        "event": event,
        "round": round_value,
        "round_label": round_label,
        "skills": [(s, current.get(s.pk)) for s in skills],
        "levels": LEVELS,
        "error": error,
    }
    return render(request, "training/assessments_self.html", context, status=status)


@login_required
def progression_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The cohort's progression per skill: charts, the share at level ≥ 3 before and after, the weakest skills."""
    event = _for_trainers(request, slug)
    context = {"event": event, **assessment_progress.cohort_progression(event=event)}
    return render(request, "training/assessments_progression.html", context)


@login_required
def trainee_page(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    """One trainee's progression, for the training's trainers and organisers."""
    event = _for_trainers(request, slug)
    if registration_id > MAX_ID:
        raise Http404
    registration: Registration = get_object_or_404(trainees(event=event).select_related("event"), pk=registration_id)
    context = {
        "event": event,
        "registration": registration,
        **assessment_progress.trainee_progression(registration=registration),
        "history": assessment_progress.assessment_history(registration=registration),
    }
    return render(request, "training/assessments_trainee.html", context)
