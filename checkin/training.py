"""A training's attendance over months: the trainers' grid, the completion rule, a trainee's progress.

Each cell (trainee × session) is read from what the door recorded, unless a trainer ruled on it:
- a session not yet held (see `checkin.reports.held_condition`) has no value;
- the newest `AttendanceMark` of the trainee and session wins (trainers correct the door);
- else a check-in to the session itself (door or self check-in: `SessionAttendance`), or a check-in at
  the event's door while the session's check-in window was open, makes it present, or late when the
  first arrival came more than `LATE_AFTER` after the start;
- else absent.

The completion rule is the event's `completion_threshold` (check-in settings): a trainee completes
when they attended (present or late) at least that share of the training's sessions, excused ones
left out, and, where the event requires one (`final_assessment_required`, on by default for
trainings), passed the final assessment: the newest `FinalAssessment` row, written by
`checkin.final_assessment.final_assessment_record`.

`attendance_mark` is the only writer of marks. Every read here takes a fixed number of queries,
whatever the number of trainees and sessions (bench/training_grid.py).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from checkin.models import AttendanceMark, FinalAssessment, Scan, SessionAttendance
from checkin.reports import held_condition
from checkin.selectors import checkin_settings_for, is_organiser
from events.exceptions import EventsError
from events.models import Event, Registration, Session, User
from events.text import text_problem

Value = AttendanceMark.Value
PRESENT, LATE, ABSENT, EXCUSED = (str(v) for v in Value.values)

# Arriving later than this after a session's start makes the trainee late, not present.
LATE_AFTER = timedelta(minutes=10)
REASON_MAX = 300

# How a cell reads in the grid: a sign, with its name in the cell's title and the legend.
SIGNS = {PRESENT: "✓", LATE: "◷", ABSENT: "✗", EXCUSED: "E", "": "·"}
# Whether a trainee is on their way to completing.
STANDING = {
    "met": gettext_lazy("Attendance rule met"),
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk: below the pace"),
    "out_of_reach": gettext_lazy("Can no longer reach the rule"),
    "assessment_due": gettext_lazy("Attendance met; the final assessment is still to pass"),
    "assessment_failed": gettext_lazy("Attendance met; the final assessment was not passed"),
}


class TrainingError(EventsError):
    """A refused attendance change, with a stable code."""


def is_trainer(*, user: Any, event: Event) -> bool:
    """A trainer of this event: a seat at it in the trainer role (granted per event, as door staff are)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Registration.objects.filter(
        event=event, user=user, role=Registration.Role.TRAINER, status=Registration.Status.REGISTERED
    ).exists()


def may_run_training(*, user: Any, event: Event) -> bool:
    """Who sees the grid and corrects it: organisers, and this training's trainers."""
    return is_organiser(user) or is_trainer(user=user, event=event)


def trainees(*, event: Event) -> Any:
    """The trainees: registered in the candidate role, by name."""
    return (
        Registration.objects.filter(
            event=event, role=Registration.Role.CANDIDATE, status=Registration.Status.REGISTERED
        )
        .select_related("user")
        .order_by("user__full_name", "id")
    )


@dataclass
class Standing:
    """A trainee against the completion rule."""

    attended: int
    excused: int
    missed: int
    held: int
    total: int
    threshold: int
    # Whether completing needs the final assessment passed, and its newest result (None: none recorded).
    assessment_required: bool = False
    assessment_passed: bool | None = None
    needed: int = field(init=False)
    gap: int = field(init=False)
    remaining: int = field(init=False)
    percent: int = field(init=False)
    status: str = field(init=False)

    def __post_init__(self) -> None:
        counted_held = self.held - self.excused
        self.needed = math.ceil(self.threshold * (self.total - self.excused) / 100)
        self.gap = max(0, self.needed - self.attended)
        self.remaining = self.total - self.held
        self.percent = round(100 * self.attended / counted_held) if counted_held else 0
        if self.gap == 0:
            if not self.assessment_required or self.assessment_passed:
                self.status = "met"
            else:
                self.status = "assessment_due" if self.assessment_passed is None else "assessment_failed"
        elif self.gap > self.remaining:
            self.status = "out_of_reach"
        elif counted_held and self.attended * 100 < self.threshold * counted_held:
            self.status = "at_risk"
        else:
            self.status = "on_track"

    @property
    def flagged(self) -> bool:
        return self.status in ("at_risk", "out_of_reach", "assessment_failed")

    @property
    def assessment_gap(self) -> bool:
        """Whether the final assessment still stands between the trainee and completion."""
        return self.assessment_required and not self.assessment_passed

    @property
    def label(self) -> str:
        return str(STANDING[self.status])


def _arrivals(event: Event, registration_ids: list[int], sessions: list[Session]) -> dict[tuple[int, int], bool]:
    """(registration, session) -> whether the trainee arrived late, for every arrival: check-ins to the
    session (door or self check-in), and check-ins at the event's door while the session's window was open."""
    on_time: dict[tuple[int, int], bool] = {}
    # Lateness is worked out by the database: converting thousands of timestamps costs more than the query.
    late_expr = ExpressionWrapper(Q(first_in_at__gt=F("session__starts_at") + LATE_AFTER), BooleanField())
    for reg_id, session_id, late in (
        SessionAttendance.objects.filter(ticket__registration_id__in=registration_ids, session__event=event)
        .annotate(late=late_expr)
        .values_list("ticket__registration_id", "session_id", "late")
    ):
        on_time[(reg_id, session_id)] = on_time.get((reg_id, session_id), False) or not late
    opens = timedelta(minutes=checkin_settings_for(event).opens_minutes_before)
    starts = [s.starts_at for s in sessions]
    door = Scan.objects.filter(
        event=event,
        session__isnull=True,
        result=Scan.Result.OK,
        direction="in",
        action__in=[Scan.Action.SCAN, Scan.Action.SELF],
        undone_by__isnull=True,
        ticket__registration_id__in=registration_ids,
    ).values_list("ticket__registration_id", "scanned_at")
    for reg_id, at in door:
        # Sessions whose window (from `opens` before the start to the end) holds this arrival.
        index = bisect_right(starts, at + opens) - 1
        while index >= 0 and starts[index] > at - timedelta(days=1):
            session = sessions[index]
            if session.ends_at >= at:
                key = (reg_id, session.pk)
                on_time[key] = on_time.get(key, False) or at <= session.starts_at + LATE_AFTER
            index -= 1
    return {key: not value for key, value in on_time.items()}


def _cells(
    event: Event, registrations: list[Registration], sessions: list[Session], held: set[int]
) -> dict[tuple[int, int], tuple[str, bool]]:
    """(registration, session) -> (value, whether a trainer set it), for held sessions."""
    ids = [r.pk for r in registrations]
    arrivals = _arrivals(event, ids, sessions)
    marks = {
        (reg_id, session_id): new
        for reg_id, session_id, new in AttendanceMark.objects.filter(registration_id__in=ids, session__event=event)
        .values_list("registration_id", "session_id", "new")
        .order_by("at", "id")
    }
    held_ids = [s.pk for s in sessions if s.pk in held]
    cells: dict[tuple[int, int], tuple[str, bool]] = {}
    for reg_id in ids:
        for session_id in held_ids:
            key = (reg_id, session_id)
            if key in marks:
                cells[key] = (marks[key], True)
            elif key in arrivals:
                cells[key] = (LATE if arrivals[key] else PRESENT, False)
            else:
                cells[key] = (ABSENT, False)
    return cells


def _sessions(event: Event, now: datetime) -> tuple[list[Session], set[int]]:
    """The training's sessions that are not cancelled, soonest first, and the ids of those held."""
    sessions = list(
        event.sessions.exclude(status=Session.Status.CANCELLED)
        .annotate(is_held=ExpressionWrapper(held_condition(now=now), BooleanField()))
        .only("id", "event_id", "title", "track", "starts_at", "ends_at", "status")
        .order_by("starts_at", "id")
    )
    return sessions, {s.pk for s in sessions if s.is_held}


def _groups(keys: list[Any]) -> list[tuple[Any, int]]:
    """Runs of equal consecutive keys as (key, length): the grid's month and module header cells."""
    runs: list[tuple[Any, int]] = []
    for key in keys:
        if runs and runs[-1][0] == key:
            runs[-1] = (key, runs[-1][1] + 1)
        else:
            runs.append((key, 1))
    return runs


def assessment_required(event: Event) -> bool:
    """Whether completing this event needs the final assessment passed: trainings, unless switched off."""
    return event.kind == Event.Kind.TRAINING and checkin_settings_for(event).final_assessment_required


def final_results(registration_ids: list[int]) -> dict[int, FinalAssessment]:
    """Each trainee's newest final assessment, in one query (a reassessment replaces the earlier result)."""
    rows = FinalAssessment.objects.filter(registration_id__in=registration_ids).select_related("by")
    rows = rows.order_by("at", "id")
    return {row.registration_id: row for row in rows}


def _standing(
    values: list[str],
    *,
    held: int,
    total: int,
    threshold: int,
    required: bool = False,
    result: FinalAssessment | None = None,
) -> Standing:
    return Standing(
        assessment_required=required,
        assessment_passed=None if result is None else result.passed,
        attended=sum(v in (Value.PRESENT, Value.LATE) for v in values),
        excused=values.count(Value.EXCUSED),
        missed=values.count(Value.ABSENT),
        held=held,
        total=total,
        threshold=threshold,
    )


def training_grid(*, event: Event, now: datetime | None = None) -> dict[str, Any]:
    """Trainees × sessions, grouped by month and module (the session's track), with each trainee's standing."""
    now = now or timezone.now()
    sessions, held = _sessions(event, now)
    registrations = list(trainees(event=event))
    cells = _cells(event, registrations, sessions, held)
    threshold = checkin_settings_for(event).completion_threshold
    required = assessment_required(event)
    results = final_results([r.pk for r in registrations])
    tz = event.tzinfo
    labels = {value: str(label) for value, label in Value.choices} | {"": ""}
    other = _("Other")
    columns = []
    for s in sessions:
        starts = s.starts_at.astimezone(tz)
        columns.append(
            {
                "session": s,
                "starts": starts,
                "held": s.pk in held,
                "month": starts.date().replace(day=1),
                "module": s.track or other,
            }
        )
    session_ids = [s.pk for s in sessions]
    # What a cell shows, per value: the same few tuples for all 3,000 cells.
    shown = {
        (value, marked): (value, SIGNS[value], labels[value], marked) for value in labels for marked in (False, True)
    }
    empty = ("", False)
    rows = []
    for registration in registrations:
        reg_id = registration.pk
        found = [cells.get((reg_id, session_id), empty) for session_id in session_ids]
        values = [cell[0] for cell in found]
        rows.append(
            {
                "registration": registration,
                "name": registration.user.get_full_name(),
                "cells": [(*shown[cell], sid) for cell, sid in zip(found, session_ids, strict=True)],
                "standing": _standing(
                    values,
                    held=len(held),
                    total=len(sessions),
                    threshold=threshold,
                    required=required,
                    result=results.get(reg_id),
                ),
                "final": results.get(reg_id),
            }
        )
    return {
        "columns": columns,
        "months": _groups([c["month"] for c in columns]),
        "modules": _groups([(c["month"], c["module"]) for c in columns]),
        "rows": rows,
        "held": len(held),
        "total": len(sessions),
        "threshold": threshold,
        "assessment_required": required,
        "legend": [(SIGNS[v], labels[v]) for v in Value.values],
    }


def trainee_progress(*, registration: Registration, now: datetime | None = None) -> dict[str, Any]:
    """One trainee's own attendance: their standing, the sessions they missed and were excused from, what is left."""
    event = registration.event
    now = now or timezone.now()
    sessions, held = _sessions(event, now)
    cells = _cells(event, [registration], sessions, held)
    threshold = checkin_settings_for(event).completion_threshold
    values = [cells.get((registration.pk, s.pk), ("", False))[0] for s in sessions]
    required = assessment_required(event)
    result = final_results([registration.pk]).get(registration.pk)
    tz = event.tzinfo
    by_value: dict[str, list[tuple[Session, datetime]]] = {v: [] for v in Value.values}
    for session, value in zip(sessions, values, strict=True):
        if value:
            by_value[value].append((session, session.starts_at.astimezone(tz)))
    return {
        "event": event,
        "standing": _standing(
            values, held=len(held), total=len(sessions), threshold=threshold, required=required, result=result
        ),
        "final": result,
        "assessment_required": required,
        "missed": by_value[Value.ABSENT],
        "excused": by_value[Value.EXCUSED],
        "late": by_value[Value.LATE],
        "upcoming": [(s, s.starts_at.astimezone(tz)) for s in sessions if s.pk not in held][:5],
        "threshold": threshold,
    }


def cell_history(*, registration: Registration, session: Session) -> dict[str, Any]:
    """One cell: its value now and every trainer's change of it, oldest first."""
    sessions, held = _sessions(session.event, timezone.now())
    value = ""
    if session.pk in held:
        value = _cells(session.event, [registration], [s for s in sessions if s.pk == session.pk], held)[
            (registration.pk, session.pk)
        ][0]
    marks = AttendanceMark.objects.filter(registration=registration, session=session).select_related("by")
    return {"value": value, "held": session.pk in held, "marks": list(marks)}


def attendance_mark(
    *, registration: Registration, session: Session, value: str, reason: str, by: User
) -> AttendanceMark:
    """Set a trainee's attendance at a held session, with a reason; the change is kept as an audit row."""
    event = session.event
    is_trainee = (
        registration.role == Registration.Role.CANDIDATE and registration.status == Registration.Status.REGISTERED
    )
    if registration.event_id != event.pk or not is_trainee:
        raise TrainingError(_("Not found."), code="not_found", status=404)
    if not may_run_training(user=by, event=event):
        raise TrainingError(
            _("Only this training's trainers and organisers may change attendance."), code="forbidden", status=403
        )
    if value not in Value.values:
        raise TrainingError(_("Choose present, late, absent or excused."), code="invalid_value", status=422)
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(_("Say why you change this attendance."), code="reason_required", status=422)
    if len(reason) > REASON_MAX:
        raise TrainingError(
            _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}, code="reason_too_long", status=422
        )
    problem = text_problem(reason)
    if problem is not None:
        raise TrainingError(problem[1], code=problem[0], status=422)
    with transaction.atomic():
        # One trainee's marks are changed one at a time, so `old` is what the trainer saw replaced.
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        cell = cell_history(registration=registration, session=session)
        if not cell["held"]:
            raise TrainingError(_("This session has not been held yet."), code="not_held", status=409)
        if cell["value"] == value:
            raise TrainingError(_("The attendance is already so."), code="unchanged", status=409)
        return AttendanceMark.objects.create(
            registration=registration, session=session, old=cell["value"], new=value, reason=reason, by=by
        )
