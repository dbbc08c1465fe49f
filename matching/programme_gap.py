"""The three-way skills gap of a programme: what curricula teach, what employers ask for, who holds it.

For each skill of the taxonomy:
- taught: how many submitted curriculum answers of the programme's questionnaires name it in a
  "taught" skill question (events.questionnaire_analysis.taught_skill_counts);
- demand: what employers ask for in the openings of the programme's events, computed as the event
  skills-gap report does (matching.gap_report: seats × 1 for a required skill, × 0.5 for a nice-to-have),
  summed over the events;
- holders: the candidates registered to the programme's events plus the trainees who hold it at
  level 3 or more;
- shortage: demand minus holders. Rows are sorted by the largest shortage.

Candidates are the candidate registrations of the programme's events that are not trainings; trainees
are counted by the training's skill assessments (matching.assessment_progress.trainee_end_levels: the
trainer's level at the end round), or by the counts a caller passes (`trainee_counts`). A person who
was both a fair's candidate and a trainee counts in both columns. Only counts leave this module, never
a person.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from events.csv_rows import spreadsheet_safe
from events.models import Event, Programme, Registration
from events.questionnaire_analysis import taught_skill_counts
from matching.assessment_progress import trainee_end_levels
from matching.gap_report import QUALIFIED_LEVEL, SUPPLY_ROLES, gap_report
from matching.models import CandidateSkill, Skill


def programme_demand(*, programme: Programme) -> dict[str, float]:
    """Skill slug → employers' demand over the programme's events, as each event's skills-gap report has it."""
    demand: dict[str, float] = defaultdict(float)
    for event in programme.events.all():
        for row in gap_report(event=event)["skills"]:
            if row["demand"]:
                demand[row["skill"]] += row["demand"]
    return dict(demand)


def candidate_holders(*, programme: Programme) -> dict[int, set[int]]:
    """Skill id → the candidates of the programme's events (trainings aside) holding it at level 3 or more."""
    users = (
        Registration.objects.filter(
            event__programme=programme, status=Registration.Status.REGISTERED, role__in=SUPPLY_ROLES
        )
        .exclude(event__kind=Event.Kind.TRAINING)
        .values("user_id")
    )
    holders: dict[int, set[int]] = defaultdict(set)
    rows = CandidateSkill.objects.filter(profile__user_id__in=users, level__gte=QUALIFIED_LEVEL).values_list(
        "skill_id", "profile__user_id"
    )
    for skill_id, user_id in rows:
        holders[skill_id].add(user_id)
    return holders


def programme_gap(*, programme: Programme, trainee_counts: Mapping[int, int] | None = None) -> dict[str, Any]:
    """The three-way gap for every skill of the taxonomy, largest shortage first, with the two call-outs.

    `trainee_counts`: skill id → trainees at level 3 or more; by default the programme's skill assessments.
    """
    taught = taught_skill_counts(programme=programme)
    demand = programme_demand(programme=programme)
    candidates = candidate_holders(programme=programme)
    trainees = trainee_end_levels(programme=programme) if trainee_counts is None else trainee_counts
    groups = dict(Skill.Group.choices)
    rows = []
    for skill in Skill.objects.all():
        c, t = len(candidates.get(skill.pk, ())), trainees.get(skill.pk, 0)
        holders = c + t
        d = round(demand.get(skill.slug, 0.0), 2)
        rows.append(
            {
                "skill": skill.slug,
                "name": skill.name,
                "label": skill.label,
                "group": skill.group,
                "group_name": str(groups.get(skill.group, skill.group)),
                "taught": taught.get(skill.slug, 0),
                "demand": d,
                "candidates": c,
                "trainees": t,
                "holders": holders,
                "shortage": round(d - holders, 2),
            }
        )
    rows.sort(key=lambda r: (-r["shortage"], -r["demand"], -r["taught"], r["name"]))
    return {
        "programme": programme.slug,
        "qualified_level": QUALIFIED_LEVEL,
        "skills": rows,
        "active": [r for r in rows if r["taught"] or r["demand"] or r["holders"]],
        "taught_not_demanded": [r for r in rows if r["taught"] and not r["demand"]],
        "demanded_not_taught": [r for r in rows if r["demand"] and not r["taught"]],
    }


CSV_COLUMNS = ["skill", "name", "group", "taught", "demand", "candidates", "trainees", "holders", "shortage"]


def programme_gap_csv(report: dict[str, Any]) -> str:
    """Every skill of the taxonomy, one row each, in the report's order; spreadsheet-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report["skills"]:
        writer.writerow([spreadsheet_safe(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()
