"""Bilateral meetings at a dialogue event: plan officials' wishes into the published bilateral slots.

The organiser publishes the slots as sessions of kind "bilateral", each with a room: those, and
only those, are where and when meetings go (a slot is one meeting per room; sessions without a room
or already begun are not used). Nobody is planned into a time they cannot meet:

- an official is busy during the sessions they chose, the officials-only sessions (every official
  is expected there; their calendars carry them), the times they marked on their wishes page, and
  their meetings that stay (locked, confirmed, or already started);
- a counterpart institution is busy when every one of its officials present is busy, and holds one
  meeting at a time; when it has one official present, hosting a meeting makes that person busy.

The engine (matching/engine/) knows tables per counterpart, not rooms shared by everybody, so the
plan is built in rounds: keep what fits the free rooms, mark full slots and the people just placed
as unavailable, plan the rest again. The first rounds use the engine's fair mode with one meeting
per official, so every official who asked gets a meeting before anybody gets a second, wherever
the rooms allow; later rounds add the most wanted meetings up to the limit per official.

A run re-plans the meetings it may replace (`timetable.replaceable`): a pair planned again keeps its
row (moved if its slot changed), a pair no longer planned is cancelled, and each change reaches both
sides' calendars through matching/meeting_mail.py. What could not be placed is written to the run
with a reason code (`UNPLACED_REASONS`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.memberships import granted_exists
from events.models import Event, Registration, Room, Session
from matching import dialogue, selectors
from matching.engine import schedule_meetings
from matching.models import BilateralBusy, BilateralWish, Meeting, ScheduleRun

DEFAULT_MEETING_LIMIT = 5

UNPLACED_REASONS = {
    "no_slots": gettext_lazy("No bilateral slots are published for the time still ahead."),
    "official_busy": gettext_lazy("The official is busy at every bilateral slot."),
    "counterpart_busy": gettext_lazy("Nobody of the institution is free at any bilateral slot."),
    "no_common_time": gettext_lazy("The official and the institution are never free at the same time."),
    "meeting_limit": gettext_lazy("The official already has as many meetings as allowed."),
    "full": gettext_lazy("Every slot both sides are free in is taken by other meetings."),
}


@dataclass
class Window:
    start: datetime
    end: datetime
    rooms: list[Room] = field(default_factory=list)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass
class Plan:
    meetings: list[tuple[str, str, int]]  # (official id, institution id, window index)
    unplaced: list[dict[str, Any]]
    windows: list[Window]


def published_windows(*, event: Event, now: datetime) -> list[Window]:
    """The bilateral slots still ahead, by time, each with the rooms published for it."""
    by_time: dict[tuple[datetime, datetime], Window] = {}
    for s in dialogue.bilateral_sessions(event=event).filter(room__isnull=False, starts_at__gt=now):
        w = by_time.setdefault((s.starts_at, s.ends_at), Window(s.starts_at, s.ends_at))
        if s.room not in w.rooms:
            w.rooms.append(s.room)
    return [by_time[k] for k in sorted(by_time)]


def slot_number(event: Event, start: datetime) -> int:
    """A meeting's `slot`: minutes from the event's start, the same for every meeting at that time."""
    return max(0, int((start - event.starts_at).total_seconds() // 60))


def _busy_times(event: Event, official_ids: set[int]) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each official's busy times: their chosen sessions, officials-only sessions, what they marked."""
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    live = Q(status=Session.Status.CANCELLED) | Q(kind__in=[Session.Kind.BILATERAL, Session.Kind.BREAK])
    everyone = list(
        Session.objects.filter(event=event, audience=Session.Audience.OFFICIALS)
        .exclude(live)
        .values_list("starts_at", "ends_at")
    )
    for uid in official_ids:
        busy[uid].extend(everyone)
    chosen = (
        Session.objects.filter(event=event, registrations__user_id__in=official_ids, registrations__event=event)
        .exclude(live)
        .values_list("registrations__user_id", "starts_at", "ends_at")
    )
    for uid, start, end in chosen:
        busy[uid].append((start, end))
    for uid, start, end in BilateralBusy.objects.filter(event=event, official_id__in=official_ids).values_list(
        "official_id", "starts_at", "ends_at"
    ):
        busy[uid].append((start, end))
    return busy


def plan(*, event: Event, fair: bool, keep: list[Meeting], now: datetime) -> Plan:
    """What the run would book: read the wishes, the slots and everybody's time; no writes."""
    windows = published_windows(event=event, now=now)
    cfg = selectors.fair_config(event=event)
    limit = cfg.candidate_meeting_limit if cfg is not None else DEFAULT_MEETING_LIMIT
    officials = {
        r.user_id: r
        for r in Registration.objects.filter(
            event=event, role=Registration.Role.OFFICIAL, status=Registration.Status.REGISTERED
        )
        .filter(Q(organisation__isnull=True) | granted_exists())
        .select_related("organisation")
    }
    weights = {
        (str(w.official_id), str(w.counterpart_id)): float(w.weight)
        for w in BilateralWish.objects.filter(event=event, official_id__in=list(officials))
    }
    hosts: dict[str, list[str]] = defaultdict(list)  # institution -> its officials present (granted)
    for uid, reg in officials.items():
        if reg.organisation_id is not None:
            hosts[str(reg.organisation_id)].append(str(uid))
    busy_times = _busy_times(event, set(officials))
    busy: dict[str, set[int]] = defaultdict(set)
    for uid, times in busy_times.items():
        for i, w in enumerate(windows):
            if any(w.overlaps(s, e) for s, e in times):
                busy[str(uid)].add(i)
    used: dict[int, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for m in keep:
        weights.pop((str(m.candidate_id), str(m.organisation_id)), None)
        count[str(m.candidate_id)] += 1
        for i, w in enumerate(windows):
            if w.overlaps(m.starts_at, m.ends_at):
                busy[str(m.candidate_id)].add(i)
                _host_busy(busy, hosts, str(m.organisation_id), i)
                if m.room_id in {r.pk for r in w.rooms}:
                    used[i] += 1
    org_of = {str(uid): str(reg.organisation_id) for uid, reg in officials.items() if reg.organisation_id}
    covered = _merge_opposites(weights, org_of, kept=[(str(m.candidate_id), str(m.organisation_id)) for m in keep])
    base_busy = {k: set(v) for k, v in busy.items()}
    institutions = {org for _c, org in weights}
    for org in institutions:
        busy[org] |= _institution_busy(busy, hosts.get(org, []), len(windows))
    capacity = {i: len(w.rooms) for i, w in enumerate(windows)}
    placed: list[tuple[str, str, int]] = []
    state = _State(busy=busy, used=used, count=count, capacity=capacity, hosts=hosts, placed=placed)
    # Fair first: one meeting for each official who asked and has none, wherever the rooms allow.
    unserved = {k: v for k, v in weights.items() if count[k[0]] == 0}
    _rounds(state, unserved, limit=1, fair=True, n=len(windows))
    rest = {k: v for k, v in weights.items() if (k[0], k[1]) not in {(c, o) for c, o, _s in placed}}
    _rounds(state, rest, limit=limit, fair=fair, n=len(windows))
    done = {(c, o) for c, o, _s in placed}
    unplaced = []
    for cand, org in sorted([*weights, *covered], key=lambda k: (int(k[0]), int(k[1]))):
        meeting = covered.get((cand, org), (cand, org))
        if meeting is None or meeting in done:
            continue  # booked, or met in the meeting of the same two institutions
        unplaced.append(
            {
                "official": int(cand),
                "counterpart": int(org),
                "reason": _reason(*meeting, windows, base_busy, hosts, count, limit),
            }
        )
    return Plan(placed, unplaced, windows)


def _merge_opposites(
    weights: dict[tuple[str, str], float], org_of: dict[str, str], *, kept: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str] | None]:
    """One meeting for two institutions that asked for each other.

    When an official of P asks for Q and officials of Q ask for P, the meeting of P's official with
    Q is theirs too: it is in the calendars of Q's members. The most wanted of those wishes is
    planned; the others are taken out of `weights` and returned, each with the wish whose meeting
    covers it (None: a meeting that stays already covers it).
    """
    covered: dict[tuple[str, str], tuple[str, str] | None] = {}

    def cover(official: str, institution: str, by: tuple[str, str] | None) -> None:
        mine = org_of.get(official)
        for pair in list(weights):
            if mine is not None and pair[1] == mine and org_of.get(pair[0]) == institution and pair not in planned:
                covered[pair] = by
                del weights[pair]

    planned: set[tuple[str, str]] = set()
    for official, institution in kept:
        cover(official, institution, None)
    for pair in sorted(weights, key=lambda k: (-weights[k], int(k[0]), int(k[1]))):
        if pair in weights:
            planned.add(pair)
            cover(pair[0], pair[1], pair)
    return covered


@dataclass
class _State:
    busy: dict[str, set[int]]
    used: dict[int, int]
    count: dict[str, int]
    capacity: dict[int, int]
    hosts: dict[str, list[str]]
    placed: list[tuple[str, str, int]]


def _institution_busy(busy: dict[str, set[int]], members: list[str], n: int) -> set[int]:
    if not members:
        return set()
    return {i for i in range(n) if all(i in busy.get(m, set()) for m in members)}


def _host_busy(busy: dict[str, set[int]], hosts: dict[str, list[str]], org: str, i: int) -> None:
    busy[org].add(i)
    if len(hosts.get(org, [])) == 1:
        busy[hosts[org][0]].add(i)


def _rounds(state: _State, remaining: dict[tuple[str, str], float], *, limit: int, fair: bool, n: int) -> None:
    remaining = dict(remaining)
    for _round in range(n + 1):
        remaining = {k: v for k, v in remaining.items() if state.count[k[0]] < limit}
        if not remaining or n == 0:
            return
        full = {i for i in range(n) if state.used[i] >= state.capacity[i]}
        people = {c for c, _o in remaining} | {o for _c, o in remaining}
        proposal = schedule_meetings(
            remaining,
            slots=n,
            tables={o: 1 for _c, o in remaining},
            candidate_limit=limit,
            unavailable={p: sorted(state.busy.get(p, set()) | full) for p in people},
            fair=fair,
        )
        placed = 0
        for cand, org, i in sorted(proposal, key=lambda p: (-remaining[(p[0], p[1])], p[2], p[0], p[1])):
            if state.used[i] >= state.capacity[i] or i in state.busy[cand] or i in state.busy[org]:
                continue
            if state.count[cand] >= limit:
                continue
            state.placed.append((cand, org, i))
            remaining.pop((cand, org))
            state.used[i] += 1
            state.count[cand] += 1
            state.busy[cand].add(i)
            _host_busy(state.busy, state.hosts, org, i)
            # The official is also one of their own institution's hosts.
            for inst, members in state.hosts.items():
                if cand in members and all(i in state.busy.get(m, set()) for m in members):
                    state.busy[inst].add(i)
            placed += 1
        if placed == 0:
            return


def _reason(cand, org, windows, base_busy, hosts, count, limit) -> str:
    n = len(windows)
    if n == 0:
        return "no_slots"
    mine = base_busy.get(cand, set())
    theirs = _institution_busy(base_busy, hosts.get(org, []), n) | base_busy.get(org, set())
    if len(mine) >= n:
        return "official_busy"
    if len(theirs) >= n:
        return "counterpart_busy"
    if not set(range(n)) - mine - theirs:
        return "no_common_time"
    if count[cand] >= limit:
        return "meeting_limit"
    return "full"


@transaction.atomic
def write(*, run: ScheduleRun, result: Plan, replaceable: list[Meeting]) -> tuple[list[int], int, int]:
    """Book the plan: keep a replaceable pair's row (moved if needed), cancel the pairs not planned again.

    Returns the ids of the meetings whose calendars must hear of it, how many were booked, how many cancelled.
    """
    event = run.event
    old = {(str(m.candidate_id), str(m.organisation_id)): m for m in replaceable}
    changed: list[int] = []
    booked = cancelled = 0
    planned = {(c, o): i for c, o, i in result.meetings}
    for pair, m in old.items():
        if pair not in planned:
            m.status = Meeting.Status.CANCELLED
            m.save(update_fields=["status", "updated_at"])
            changed.append(m.pk)
            cancelled += 1
    # Rooms are handed out in the window's order; a kept pair keeps its room when it is still free.
    room_taken: dict[int, set[int]] = defaultdict(set)
    for m in Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE, room__isnull=False).exclude(
        pk__in=[m.pk for m in old.values()]
    ):
        for i, w in enumerate(result.windows):
            if w.overlaps(m.starts_at, m.ends_at):
                room_taken[i].add(m.room_id)
    moving: list[tuple[Meeting, int, Room]] = []
    fresh: list[tuple[str, str, int]] = []
    for (cand, org), i in sorted(planned.items(), key=lambda kv: (kv[1], kv[0])):
        m = old.get((cand, org))
        w = result.windows[i]
        if m is not None and m.starts_at == w.start and m.room_id in {r.pk for r in w.rooms} - room_taken[i]:
            room_taken[i].add(m.room_id)
            continue  # planned where it already is: nothing changes, nobody is told
        if m is not None:
            moving.append((m, i, None))  # type: ignore[arg-type]
        else:
            fresh.append((cand, org, i))
    # Two steps so that two meetings swapping slots never meet the one-slot-per-person constraint.
    for m, _i, _room in moving:
        Meeting.objects.filter(pk=m.pk).update(slot=1_000_000 + m.pk)
    for m, i, _room in moving:
        w = result.windows[i]
        room = next(r for r in w.rooms if r.pk not in room_taken[i])
        room_taken[i].add(room.pk)
        m.slot, m.starts_at, m.ends_at, m.room, m.table = slot_number(event, w.start), w.start, w.end, room, 1
        m.save(update_fields=["slot", "starts_at", "ends_at", "room", "table", "updated_at"])
        changed.append(m.pk)
        booked += 1
    for cand, org, i in fresh:
        w = result.windows[i]
        room = next(r for r in w.rooms if r.pk not in room_taken[i])
        room_taken[i].add(room.pk)
        m = Meeting.objects.create(
            event=event,
            organisation_id=int(org),
            candidate_id=int(cand),
            slot=slot_number(event, w.start),
            table=1,
            room=room,
            starts_at=w.start,
            ends_at=w.end,
            source=Meeting.Source.BILATERAL,
        )
        changed.append(m.pk)
        booked += 1
    unchanged = len(planned) - len(moving) - len(fresh)
    return changed, booked + unchanged, cancelled


def run(run: ScheduleRun) -> tuple[int, str]:
    """The bilateral part of `timetable.run_timetable`: plan, book, tell both sides."""
    from matching import meeting_mail, timetable

    event = run.event
    now = timezone.now()
    replaceable = list(
        Meeting.objects.filter(timetable.replaceable(event, now), source=Meeting.Source.BILATERAL).select_related(
            "room"
        )
    )
    keep = list(
        Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE).exclude(pk__in=[m.pk for m in replaceable])
    )
    timetable.report_progress(run, 30, _("Planning the bilateral meetings"))
    result = plan(event=event, fair=run.fair, keep=keep, now=now)
    timetable.report_progress(run, 80, _("Writing the timetable"))
    with transaction.atomic():
        changed, booked, cancelled = write(run=run, result=result, replaceable=replaceable)
        ScheduleRun.objects.filter(pk=run.pk).update(unplaced=result.unplaced)
        meeting_mail.meetings_changed(changed)
        people = {int(c) for c, _o, _i in result.meetings} | {m.candidate_id for m in replaceable}
        orgs = {int(o) for _c, o, _i in result.meetings} | {m.organisation_id for m in replaceable}
        timetable.tell_people(event, people, orgs)
    note = _(
        "%(booked)s bilateral meetings in %(slots)s published slots, %(cancelled)s cancelled, "
        "%(unplaced)s wishes not placed"
    ) % {
        "booked": booked,
        "slots": sum(len(w.rooms) for w in result.windows),
        "cancelled": cancelled,
        "unplaced": len(result.unplaced),
    }
    return booked, note
