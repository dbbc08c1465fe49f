"""Reads of a training's skill assessments: progression per trainee and per cohort, and the end levels.

A trainee's level in a skill at a round is their trainer's newest assessment there (the self-assessment
is shown beside it, never counted). The cohort's figures per skill and round: the mean level of the
trainees assessed, and the share of them at level 3 or more (`STRONG`). The weakest skills are those
with the lowest mean at the latest round assessed.

`trainee_end_levels` feeds the programme's three-way skills gap (matching/programme_gap.py): keep
its name and answer stable. Every read takes a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from checkin.training import trainees
from events.models import Event, Registration
from matching.assessment_charts import grouped_chart
from matching.assessment_models import PracticalTaskScore, Round, SkillAssessment, TrainingSkill
from matching.models import Skill

STRONG = 3  # the level from which a skill counts as held, for the shares and the end levels
WEAKEST = 3  # how many of the weakest skills are named
TRAINER, SELF = SkillAssessment.Source.TRAINER, SkillAssessment.Source.SELF


def curriculum(event: Event) -> list[Skill]:
    """The training's skills, in the curriculum's order."""
    return [t.skill for t in TrainingSkill.objects.filter(event=event).select_related("skill")]


def _levels(registration_ids: list[int]) -> dict[tuple[int, int, str, str], int]:
    """(registration, skill, round, source) -> the newest level, in one query."""
    rows = SkillAssessment.objects.filter(registration_id__in=registration_ids).order_by("at", "id")
    return {
        (r, s, rnd, src): lvl
        for r, s, rnd, src, lvl in rows.values_list("registration_id", "skill_id", "round", "source", "level")
    }


def _tasks(registration_ids: list[int]) -> dict[tuple[int, str, str], tuple[int, int]]:
    """(registration, round, task) -> the newest (score, maximum), in one query."""
    rows = PracticalTaskScore.objects.filter(registration_id__in=registration_ids).order_by("at", "id")
    return {
        (r, rnd, t): (s, m)
        for r, rnd, t, s, m in rows.values_list("registration_id", "round", "task", "score", "max_score")
    }


def _round_names() -> list[str]:
    return [str(label) for _value, label in Round.choices]


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _share(values: list[int]) -> int | None:
    return round(100 * sum(v >= STRONG for v in values) / len(values)) if values else None


def cohort_progression(*, event: Event) -> dict[str, Any]:
    """Per skill and round: the cohort's mean level and share at level ≥ 3, the weakest skills, each trainee."""
    skills = curriculum(event)
    registrations = list(trainees(event=event))
    ids = [r.pk for r in registrations]
    levels = _levels(ids)
    rounds = Round.values
    per_skill = []
    for skill in skills:
        by_round = {
            rnd: [levels[(r, skill.pk, rnd, TRAINER)] for r in ids if (r, skill.pk, rnd, TRAINER) in levels]
            for rnd in rounds
        }
        per_skill.append(
            {
                "skill": skill,
                "label": skill.label,
                "mean": [_mean(by_round[rnd]) for rnd in rounds],
                "share": [_share(by_round[rnd]) for rnd in rounds],
                "assessed": [len(by_round[rnd]) for rnd in rounds],
            }
        )
        per_skill[-1]["cells"] = list(zip(per_skill[-1]["mean"], per_skill[-1]["share"], strict=True))
    # The weakest: lowest mean at the latest round that has any level.
    latest = next((i for i in reversed(range(len(rounds))) if any(s["mean"][i] is not None for s in per_skill)), None)
    weakest = []
    if latest is not None:
        rated = [s for s in per_skill if s["mean"][latest] is not None]
        weakest = sorted(rated, key=lambda s: (s["mean"][latest], s["label"]))[:WEAKEST]
    rtl = get_language_bidi()
    names = _round_names()
    mean_chart = grouped_chart(
        chart_id="cohort-levels",
        title=_("Mean level per skill at each round (0–5)"),
        series=names,
        rows=[(s["label"], s["mean"]) for s in per_skill],
        scale=5,
        rtl=rtl,
        empty=_("No skills in the curriculum yet."),
    )
    intake, end = rounds.index(Round.INTAKE), rounds.index(Round.END)
    share_chart = grouped_chart(
        chart_id="cohort-share",
        title=_("Share of the cohort at level 3 or more, at intake and at the end"),
        series=[names[intake], names[end]],
        rows=[(s["label"], [s["share"][intake], s["share"][end]]) for s in per_skill],
        scale=100,
        unit=" %",
        rtl=rtl,
        empty=_("No skills in the curriculum yet."),
    )
    trainee_rows = [
        {
            "registration": r,
            "name": r.user.get_full_name(),
            "levels": [[levels.get((r.pk, skill.pk, rnd, TRAINER)) for rnd in rounds] for skill in skills],
        }
        for r in registrations
    ]
    tasks = _tasks(ids)
    task_rows: dict[tuple[str, str], list[float]] = {}
    for (_reg, rnd, task), (score, maximum) in tasks.items():
        task_rows.setdefault((rnd, task), []).append(100 * score / maximum)
    labels = dict(Round.choices)
    return {
        "skills": per_skill,
        "weakest": weakest,
        "latest_round": None if latest is None else names[latest],
        "mean_chart": mark_safe(mean_chart),  # built from escaped text only
        "share_chart": mark_safe(share_chart),
        "trainees": trainee_rows,
        "tasks": [
            {"round": labels[rnd], "task": task, "count": len(v), "mean_percent": round(sum(v) / len(v))}
            for (rnd, task), v in sorted(task_rows.items(), key=lambda kv: (rounds.index(kv[0][0]), kv[0][1]))
        ],
        "rounds": names,
    }


def trainee_progression(*, registration: Registration) -> dict[str, Any]:
    """One trainee's levels per skill at each round, their trainer's and their own, with a chart and task scores."""
    skills = curriculum(registration.event)
    levels = _levels([registration.pk])
    rounds = Round.values
    rows = [
        {
            "skill": skill,
            "label": skill.label,
            "trainer": [levels.get((registration.pk, skill.pk, rnd, TRAINER)) for rnd in rounds],
            "self": [levels.get((registration.pk, skill.pk, rnd, SELF)) for rnd in rounds],
        }
        for skill in skills
    ]
    for row in rows:
        row["pairs"] = list(zip(row["trainer"], row["self"], strict=True))
    chart = grouped_chart(
        chart_id=f"trainee-levels-{registration.pk}",
        title=_("Skill levels at each round, as assessed by the trainer (0–5)"),
        series=_round_names(),
        rows=[(row["label"], [None if v is None else float(v) for v in row["trainer"]]) for row in rows],
        scale=5,
        rtl=get_language_bidi(),
        empty=_("No skills in the curriculum yet."),
    )
    labels = dict(Round.choices)
    tasks = [
        {"round": labels[rnd], "task": task, "score": score, "max": maximum}
        for (_reg, rnd, task), (score, maximum) in sorted(
            _tasks([registration.pk]).items(), key=lambda kv: (rounds.index(kv[0][1]), kv[0][2])
        )
    ]
    return {"skills": rows, "chart": mark_safe(chart), "tasks": tasks, "rounds": _round_names()}


def trainee_skill_progression(*, registration: Registration) -> dict[str, Any] | None:
    """The "my progress" page's figure (events.hooks FIGURES): the trainee's own progression, or None
    when the training has no curriculum."""
    if not TrainingSkill.objects.filter(event_id=registration.event_id).exists():
        return None
    data = trainee_progression(registration=registration)
    slug = registration.event.slug
    data["self_links"] = [
        (str(label), reverse("matching:training_self_assessment", args=[slug, value])) for value, label in Round.choices
    ]
    return data


def trainee_end_levels(*, programme: Any = None, events: Iterable[Event] | None = None) -> dict[int, int]:
    """{skill id: number of trainees whose trainer-assessed level at the end round is 3 or more}.

    For the programme's three-way skills gap (matching/programme_gap.py). Give a programme (its
    training events count) or the events themselves. Every skill of the trainings' curricula is a key,
    0 when nobody reached it; a person trained in two of the events counts once per skill.
    Three queries whatever the size.
    """
    if programme is not None:
        chosen = Event.objects.filter(programme=programme, kind=Event.Kind.TRAINING)
    elif events is not None:
        chosen = Event.objects.filter(pk__in=[e.pk for e in events])
    else:
        raise TypeError("trainee_end_levels needs a programme or events")
    event_ids = list(chosen.values_list("pk", flat=True))
    counts = dict.fromkeys(
        TrainingSkill.objects.filter(event_id__in=event_ids).values_list("skill_id", flat=True).distinct(), 0
    )
    newest: dict[tuple[int, int], tuple[int, int]] = {}
    rows = SkillAssessment.objects.filter(
        registration__event_id__in=event_ids,
        registration__role=Registration.Role.CANDIDATE,
        registration__status=Registration.Status.REGISTERED,
        round=Round.END,
        source=TRAINER,
    ).order_by("at", "id")
    for reg_id, user_id, skill_id, level in rows.values_list(
        "registration_id", "registration__user_id", "skill_id", "level"
    ):
        newest[(reg_id, skill_id)] = (user_id, level)
    strong: set[tuple[int, int]] = {
        (user_id, skill_id) for (_reg, skill_id), (user_id, level) in newest.items() if level >= STRONG
    }
    for _user_id, skill_id in strong:
        counts[skill_id] = counts.get(skill_id, 0) + 1
    return counts


def assessment_history(*, registration: Registration) -> list[SkillAssessment]:
    """Every level recorded for a trainee, newest first, with who recorded it: the audit trainers read."""
    return list(
        SkillAssessment.objects.filter(registration=registration).select_related("skill", "by").order_by("-at", "-id")
    )
