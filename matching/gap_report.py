"""The skills-gap report: what employers ask for against what candidates and trainees bring.

Demand for a skill is the sum over active openings of `seats × weight`, where a required skill
weighs 1 and a nice-to-have 0.5. Supply is the number of people with the skill, and "qualified"
supply those at level 3 or more. The gap is demand minus qualified supply. Only counts leave this
module, never a person, so it covers everybody with a profile whatever their consent to be shown.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from django.db.models import Q

from events.models import Event, Registration
from matching.models import CandidateSkill, Opening, OpeningSkill, Skill

REQUIRED_WEIGHT = 1.0
NICE_WEIGHT = 0.5
QUALIFIED_LEVEL = 3
# People whose profile counts as supply: candidates and trainees, not the employers or staff.
SUPPLY_ROLES = (Registration.Role.CANDIDATE,)


def _supply_profiles(event: Event | None) -> Q:
    if event is None:
        return Q()
    users = Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED, role__in=SUPPLY_ROLES
    ).values("user_id")
    return Q(profile__user_id__in=users)


def gap_report(*, event: Event | None = None) -> dict[str, Any]:
    """By skill, by group and by employer country; `event=None` covers the whole programme."""
    openings = Opening.objects.filter(is_active=True)
    if event is not None:
        openings = openings.filter(event=event)
    demand: dict[int, dict[str, float]] = defaultdict(lambda: {"required": 0.0, "nice": 0.0})
    by_country: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    needs = OpeningSkill.objects.filter(opening__in=openings).values_list(
        "skill_id", "required", "opening__seats", "opening__organisation__country"
    )
    for skill_id, required, seats, country in needs:
        weight = (REQUIRED_WEIGHT if required else NICE_WEIGHT) * seats
        demand[skill_id]["required" if required else "nice"] += weight
        by_country[country or "??"][skill_id] += weight

    supply: dict[int, list[int]] = defaultdict(list)
    for skill_id, level in CandidateSkill.objects.filter(_supply_profiles(event)).values_list("skill_id", "level"):
        supply[skill_id].append(level)

    skills = {s.pk: s for s in Skill.objects.filter(pk__in=set(demand) | set(supply))}
    groups = dict(Skill.Group.choices)
    rows = []
    for skill_id, skill in skills.items():
        d = demand.get(skill_id, {"required": 0.0, "nice": 0.0})
        levels = supply.get(skill_id, [])
        qualified = sum(1 for lv in levels if lv >= QUALIFIED_LEVEL)
        total_demand = d["required"] + d["nice"]
        rows.append(
            {
                "skill": skill.slug,
                "name": skill.name,
                "label": skill.label,
                "group": skill.group,
                "group_name": str(groups.get(skill.group, skill.group)),
                "esco_uri": skill.esco_uri,
                "demand": round(total_demand, 2),
                "demand_required": round(d["required"], 2),
                "demand_nice": round(d["nice"], 2),
                "supply": len(levels),
                "supply_qualified": qualified,
                "average_level": round(sum(levels) / len(levels), 2) if levels else None,
                "gap": round(total_demand - qualified, 2),
            }
        )
    rows.sort(key=lambda r: (-r["gap"], -r["demand"], r["name"]))

    group_rows: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = group_rows.setdefault(
            r["group"],
            {"group": r["group"], "name": r["group_name"], "demand": 0.0, "supply": 0, "supply_qualified": 0},
        )
        g["demand"] = round(g["demand"] + r["demand"], 2)
        g["supply"] += r["supply"]
        g["supply_qualified"] += r["supply_qualified"]
    for g in group_rows.values():
        g["gap"] = round(g["demand"] - g["supply_qualified"], 2)

    countries = {
        country: sorted(
            (
                {"skill": skills[sid].slug, "name": skills[sid].name, "label": skills[sid].label, "demand": round(v, 2)}
                for sid, v in per.items()
            ),
            key=lambda x: (-x["demand"], x["name"]),
        )
        for country, per in sorted(by_country.items())
    }
    peak = max([r["demand"] for r in rows] + [r["supply_qualified"] for r in rows] + [1])
    return {
        "event": event.slug if event else None,
        "weights": {"required": REQUIRED_WEIGHT, "nice": NICE_WEIGHT, "qualified_level": QUALIFIED_LEVEL},
        "skills": rows,
        "groups": sorted(group_rows.values(), key=lambda g: (-g["gap"], g["name"])),
        "by_country": countries,
        "scale": peak,
    }


CSV_COLUMNS = [
    "skill",
    "name",
    "group",
    "esco_uri",
    "demand",
    "demand_required",
    "demand_nice",
    "supply",
    "supply_qualified",
    "average_level",
    "gap",
]


def gap_report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in report["skills"]:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in CSV_COLUMNS})
    return out.getvalue()
