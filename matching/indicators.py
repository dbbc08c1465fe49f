"""A programme's indicators for its funder: what the training, the fairs and the dialogues achieved.

Everything is counted over the programme's events (`Event.programme`), from the records the other
parts keep, never from a copy of its own, so the page shows a change the moment it is committed:

- **enrolled**: trainees (candidate role, registered) of the programme's trainings;
- **attended by month**: per month of the training (in the event's zone), the sessions held, the
  trainees who attended at least one, and the attendance rate, from `checkin.training.training_grid`
  (door and self check-ins, trainers' corrections);
- **completed**: trainees whose standing meets the training's completion rule (the same function);
- **certified**: valid certificates of the programme's trainings (matching/certificates.py);
- **met an employer**: candidates with a meeting that took place (or one booked whose time has passed)
  at the programme's events, that an employer kept as a lead, or with an outcome they did not dispute;
- **interviews, offers, placements** by type and country: matching/outcomes.py;
- **officials engaged**: officials registered at the programme's events;
- **stakeholders reached**: events.stakeholder_selectors.coverage;
- **action items done** of all the programme's action items.

A figure the programme has nothing to count from is None ("not recorded yet" on the page), never a
fake zero: certificates without a training, outcomes without a job fair.
Breakdowns by self-declared gender and city count only those who chose to give them, and only as
counts with small cells suppressed (`SMALL_CELL`): no page or export shows one person's answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from checkin.training import ABSENT, LATE, PRESENT, training_grid
from events.models import ActionItem, Event, Programme, Registration
from events.stakeholder_selectors import coverage, may_see_stakeholders
from matching.models import Certificate, Lead, Meeting, Outcome
from matching.outcomes import outcome_counts

# Groups smaller than this are shown as "<5", so no figure singles out a person.
SMALL_CELL = 5
SUPPRESSED = f"<{SMALL_CELL}"


def may_see_indicators(*, user: Any, programme: Programme) -> bool:
    """Organisers and the programme's staff (granted members of its lead and implementing partners)."""
    return may_see_stakeholders(user=user, programme=programme)


def suppress(count: int) -> int | str:
    """A count as it may be shown: "<5" for a group of one to four people."""
    return SUPPRESSED if 0 < count < SMALL_CELL else count


@dataclass(frozen=True)
class _Events:
    trainings: list[Event]
    fair_ids: list[int]
    all_ids: list[int]


def _events(programme: Programme) -> _Events:
    events = list(programme.events.all().order_by("starts_at", "id"))
    return _Events(
        trainings=[e for e in events if e.kind == Event.Kind.TRAINING],
        fair_ids=[e.pk for e in events if e.kind == Event.Kind.JOB_FAIR],
        all_ids=[e.pk for e in events],
    )


def _training_figures(trainings: list[Event], now: datetime) -> dict[str, Any]:
    """Enrolled, attended by month, completed, from each training's grid (the one reading of attendance)."""
    enrolled = completed = attended_any = 0
    months: dict[date, dict[str, Any]] = {}
    trainee_ids: list[int] = []
    for event in trainings:
        grid = training_grid(event=event, now=now)
        held_columns = [(i, c["month"]) for i, c in enumerate(grid["columns"]) if c["held"]]
        for _index, month in held_columns:
            entry = months.setdefault(month, {"sessions_held": 0, "attended": 0, "expected": 0, "people": set()})
            entry["sessions_held"] += 1
        for row in grid["rows"]:
            enrolled += 1
            trainee_ids.append(row["registration"].pk)
            cells = row["cells"]
            attended = False
            for index, month in held_columns:
                value = cells[index][0]
                entry = months[month]
                if value in (PRESENT, LATE):
                    entry["attended"] += 1
                    entry["expected"] += 1
                    entry["people"].add((event.pk, row["registration"].pk))
                    attended = True
                elif value == ABSENT:
                    entry["expected"] += 1
                # Excused sessions are left out of the rate, as the completion rule leaves them out.
            attended_any += attended
            completed += row["standing"].status == "met"
    by_month = [
        {
            "month": month.strftime("%Y-%m"),
            "sessions_held": entry["sessions_held"],
            "trainees_attended": len(entry["people"]),
            "attendances": entry["attended"],
            "rate": round(100 * entry["attended"] / entry["expected"]) if entry["expected"] else None,
        }
        for month, entry in sorted(months.items())
    ]
    return {
        "enrolled": enrolled,
        "attended": attended_any,
        "attended_by_month": by_month,
        "completed": completed,
        "trainee_ids": trainee_ids,
    }


def _met_employer(event_ids: list[int], now: datetime) -> int:
    took_place = Q(status=Meeting.Status.CONFIRMED) | Q(status=Meeting.Status.BOOKED, ends_at__lte=now)
    met = set(
        Meeting.objects.filter(took_place, event_id__in=event_ids)
        .exclude(source=Meeting.Source.BILATERAL)
        .values_list("candidate_id", flat=True)
    )
    met.update(Lead.objects.filter(event_id__in=event_ids).values_list("candidate_id", flat=True))
    # An outcome (an interview or more) means they met; one the candidate said is not correct does not count.
    met.update(
        Outcome.objects.filter(event_id__in=event_ids)
        .exclude(confirmation=Outcome.Confirmation.DISPUTED)
        .values_list("candidate_id", flat=True)
    )
    return len(met)


def _officials(event_ids: list[int]) -> int:
    return (
        Registration.objects.filter(
            event_id__in=event_ids, role=Registration.Role.OFFICIAL, status=Registration.Status.REGISTERED
        )
        .values("user_id")
        .distinct()
        .count()
    )


def _stakeholders(programme: Programme) -> dict[str, int]:
    rows = coverage(programme=programme)
    return {"listed": sum(r["listed"] for r in rows), "reached": sum(r["reached"] for r in rows)}


def _action_items(programme: Programme) -> dict[str, int]:
    counts = Counter(ActionItem.objects.filter(programme=programme).values_list("status", flat=True))
    return {"done": counts.get(ActionItem.Status.DONE, 0), "total": sum(counts.values())}


def _outcomes(fair_ids: list[int]) -> dict[str, Any] | None:
    """Interviews, offers and placements (by type and country) as matching.outcomes counts them."""
    if not fair_ids:
        return None
    counts = outcome_counts(events=fair_ids)
    kinds = dict(Outcome.OfferKind.choices)
    return {
        "interviews": counts["interviews"],
        "offers": counts["offers"],
        "placements": {
            "total": counts["placements"],
            "by_type": [
                {"key": key, "label": str(kinds.get(key, key)), "count": n}
                for key, n in counts["placements_by_type"].items()
            ],
            "by_country": [
                {"key": code, "label": code, "count": n} for code, n in counts["placements_by_country"].items()
            ],
        },
    }


def _certified(trainings: list[Event]) -> int | None:
    """Trainees holding a valid certificate of one of the programme's trainings."""
    if not trainings:
        return None
    return (
        Certificate.objects.filter(event_id__in=[e.pk for e in trainings], revoked_at__isnull=True)
        .values("user_id")
        .distinct()
        .count()
    )


def _breakdowns(trainee_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Enrolled trainees by the gender and city they chose to give (never required), small cells suppressed.

    Every gender choice is listed (a fixed list names nobody); a city with fewer than `SMALL_CELL`
    trainees is not named but counted under "Other cities", as a small town's name would point at a person.
    """
    rows = list(Registration.objects.filter(pk__in=trainee_ids).values_list("gender", "city"))
    genders = Counter(gender for gender, _city in rows)
    by_gender = [
        {"value": value, "label": str(label), "count": suppress(genders.get(value, 0))}
        for value, label in Registration.Gender.choices
    ]
    by_gender.append({"value": "not_given", "label": str(_("Not given")), "count": suppress(genders.get("", 0))})
    cities: Counter[str] = Counter()
    names: dict[str, str] = {}
    for _gender, city in rows:
        key = " ".join(city.split()).casefold()
        if key:
            cities[key] += 1
            names.setdefault(key, " ".join(city.split()))
    named = sorted((k for k, n in cities.items() if n >= SMALL_CELL), key=lambda k: (-cities[k], names[k]))
    by_city = [{"value": names[k], "label": names[k], "count": cities[k]} for k in named]
    others = sum(n for k, n in cities.items() if n < SMALL_CELL)
    if others:
        by_city.append({"value": "(other)", "label": str(_("Other cities")), "count": suppress(others)})
    not_given = sum(1 for _gender, city in rows if not city.strip())
    by_city.append({"value": "(not given)", "label": str(_("Not given")), "count": suppress(not_given)})
    return {"gender": by_gender, "city": by_city}


def programme_indicators(*, programme: Programme, now: datetime | None = None) -> dict[str, Any]:
    """Every indicator of the programme as plain data (the page, the API, the CSV and the PDF read this)."""
    now = now or timezone.now()
    events = _events(programme)
    training = _training_figures(events.trainings, now)
    outcomes = _outcomes(events.fair_ids)
    return {
        "programme": {"slug": programme.slug, "name": programme.name},
        "as_of": now.isoformat(),
        "trainings": [e.slug for e in events.trainings],
        "enrolled": training["enrolled"],
        "attended": training["attended"],
        "attended_by_month": training["attended_by_month"],
        "completed": training["completed"],
        "certified": _certified(events.trainings),
        "met_employer": _met_employer(events.all_ids, now),
        "interviews": outcomes["interviews"] if outcomes else None,
        "offers": outcomes["offers"] if outcomes else None,
        "placements": outcomes["placements"] if outcomes else None,
        "officials_engaged": _officials(events.all_ids),
        "stakeholders": _stakeholders(programme),
        "action_items": _action_items(programme),
        "breakdowns": _breakdowns(training["trainee_ids"]),
    }
