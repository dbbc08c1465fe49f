"""The pre-fair timetable and bilateral meetings: build the engine's input from the database, run
`schedule_meetings` as a django-q2 job with progress, and write the result back.

What the optimiser may replace: only future timetable meetings that nobody locked or confirmed.
Everything else (locked, confirmed by either side, booked from a live request, already started)
stays where it is, and the run plans around it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, User
from matching import adapters, live_counts, meeting_mail, selectors
from matching import exceptions as exc
from matching.engine import schedule_meetings
from matching.models import BilateralWish, Booth, Meeting, ScheduleRun

logger = logging.getLogger(__name__)

# Pairs scoring below this are not worth a booth slot unless one side showed interest.
MIN_SCORE = 30.0
# Each candidate is offered to at most this many employers: keeps the instance sparse.
PAIRS_PER_CANDIDATE = 25
INTEREST_BONUS = 15.0


@transaction.atomic
def timetable_run_start(
    *, event: Event, user: User, kind: str = ScheduleRun.Kind.BOOTHS, fair: bool = True
) -> ScheduleRun:
    """Queue a timetable run; the organiser watches its progress."""
    if kind not in ScheduleRun.Kind.values:
        raise exc.InvalidInput(_("Unknown timetable kind."))
    if kind == ScheduleRun.Kind.BILATERAL:
        from matching import dialogue

        # Bilateral meetings go only into the slots published for them (matching/bilateral.py).
        if not dialogue.bilateral_sessions(event=event).filter(room__isnull=False).exists():
            raise exc.NoBilateralSlots(
                _("Publish bilateral slots first: sessions of kind bilateral, each with a room.")
            )
    elif selectors.fair_config(event=event) is None:
        raise exc.NoFairConfig(_("Set the meeting slots for this event first."))
    run = ScheduleRun.objects.create(event=event, kind=kind, fair=fair, created_by=user)
    from matching import tasks

    transaction.on_commit(lambda: tasks.enqueue_timetable(run.pk))
    return run


def report_progress(run: ScheduleRun, pct: int, message: str = "") -> None:
    # Outside the run's transaction, so the organiser's page sees it while the job works.
    ScheduleRun.objects.filter(pk=run.pk).update(progress=pct, message=message[:300])


def replaceable(event: Event, now: Any) -> Q:
    return Q(
        event=event,
        status=Meeting.Status.BOOKED,
        source__in=[Meeting.Source.TIMETABLE, Meeting.Source.BILATERAL],
        locked=False,
        candidate_confirmed_at__isnull=True,
        employer_confirmed_at__isnull=True,
        starts_at__gt=now,
    )


def _booth_weights(event: Event) -> dict[tuple[str, str], float]:
    consenting = selectors.consenting_candidate_ids(event=event)
    candidates = adapters.candidates_data(consenting)
    openings = [adapters.opening_data(o) for o in selectors.openings_for(event=event)]
    book = adapters.skill_book()
    stars: dict[int, set[int]] = defaultdict(set)
    from matching.models import EmployerMark, Star

    for cid, org in Star.objects.filter(event=event).values_list("candidate_id", "organisation_id"):
        stars[cid].add(org)
    shortlist: dict[int, set[int]] = defaultdict(set)
    for cid, org in EmployerMark.objects.filter(event=event, kind=EmployerMark.Kind.SHORTLIST).values_list(
        "candidate_id", "organisation_id"
    ):
        shortlist[cid].add(org)
    weights: dict[tuple[str, str], float] = {}
    for cand in candidates.values():
        cand.starred, cand.shortlisted_by = adapters.frozen(stars[cand.id]), adapters.frozen(shortlist[cand.id])
        best: dict[int, float] = {}
        for op in openings:
            s = adapters.score_one(cand, op, book=book)
            if s is not None:
                best[op.organisation_id] = max(best.get(op.organisation_id, 0.0), s.score)
        for org_id in stars[cand.id] | shortlist[cand.id]:
            best[org_id] = best.get(org_id, 0.0) + INTEREST_BONUS
        kept = sorted(
            (
                (org, v)
                for org, v in best.items()
                if v >= MIN_SCORE or org in stars[cand.id] or org in shortlist[cand.id]
            ),
            key=lambda ov: -ov[1],
        )
        for org_id, value in kept[:PAIRS_PER_CANDIDATE]:
            if value > 0:
                weights[(str(cand.id), str(org_id))] = value
    return weights


def run_timetable(run_id: int) -> None:
    """The django-q2 job. Idempotent: a run that finished is not run again."""
    run = ScheduleRun.objects.select_related("event").filter(pk=run_id).first()
    if run is None or run.status in (ScheduleRun.Status.DONE, ScheduleRun.Status.FAILED):
        return
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING, progress=5)
    try:
        created, note = _run(run)
    except Exception as e:  # the organiser sees why instead of a run stuck at "running"
        logger.exception("matching: timetable run %s failed", run_id)
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=ScheduleRun.Status.FAILED, message=str(e)[:300], finished_at=timezone.now()
        )
        return
    ScheduleRun.objects.filter(pk=run.pk).update(
        status=ScheduleRun.Status.DONE,
        progress=100,
        meetings_created=created,
        message=note[:300],
        finished_at=timezone.now(),
    )


def _run(run: ScheduleRun) -> tuple[int, str]:
    if run.kind == ScheduleRun.Kind.BILATERAL:
        from matching import bilateral

        return bilateral.run(run)
    event = run.event
    cfg = selectors.fair_config(event=event)
    if cfg is None:
        raise exc.NoFairConfig(_("Set the meeting slots for this event first."))
    now = timezone.now()
    report_progress(run, 10, _("Reading profiles and wishes"))
    weights = _booth_weights(event)
    tables = {str(org): n for org, n in Booth.objects.filter(event=event).values_list("organisation_id", "tables")}
    keep = Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE).exclude(replaceable(event, now))
    unavailable: dict[str, set[int]] = defaultdict(set)
    kept_count: dict[str, int] = defaultdict(int)
    table_use: dict[tuple[str, int], set[int]] = defaultdict(set)
    for cand, org, slot, table in keep.values_list("candidate_id", "organisation_id", "slot", "table"):
        weights.pop((str(cand), str(org)), None)
        unavailable[str(cand)].add(slot)
        kept_count[str(cand)] += 1
        table_use[(str(org), slot)].add(table)
    for (org, slot), used in table_use.items():
        if len(used) >= tables.get(org, 1):
            unavailable[org].add(slot)
    started = max(0, cfg.slot_at(now) + 1) if now > cfg.starts_at else 0
    blocked = set(range(min(started, cfg.slot_count)))
    if blocked:
        for ident in {c for c, _e in weights} | set(tables):
            unavailable[ident] |= blocked
    report_progress(run, 30, _("Optimising %(n)s possible meetings") % {"n": len(weights)})
    plan = schedule_meetings(
        weights,
        slots=cfg.slot_count,
        tables=tables,
        candidate_limit=cfg.candidate_meeting_limit,
        unavailable={k: sorted(v) for k, v in unavailable.items()},
        fair=run.fair,
    )
    report_progress(run, 80, _("Writing the timetable"))
    return _write(run, event, cfg, plan, weights, tables, table_use, kept_count, now)


@transaction.atomic
def _write(run, event, cfg, plan, weights, tables, table_use, kept_count, now) -> tuple[int, str]:
    replaced = list(
        Meeting.objects.select_for_update().filter(replaceable(event, now), source=Meeting.Source.TIMETABLE)
    )
    # A meeting the new plan books again (same candidate, organisation and slot) is kept, so a re-run
    # sends its two sides nothing; the others are cancelled and their calendars told.
    reusable = {(m.candidate_id, m.organisation_id, m.slot): m for m in replaced}
    # The best meetings first, so trimming (tables taken by kept meetings, a candidate's limit) drops the least.
    plan = sorted(plan, key=lambda p: -weights.get((p[0], p[1]), 0.0))
    per_cand: dict[str, int] = defaultdict(int)
    created = dropped = 0
    touched: list[int] = []
    for cand, org, slot in plan:
        used = table_use[(org, slot)]
        free = [t for t in range(1, tables.get(org, 1) + 1) if t not in used]
        if not free or kept_count[cand] + per_cand[cand] >= cfg.candidate_meeting_limit:
            dropped += 1
            continue
        used.add(free[0])
        per_cand[cand] += 1
        again = reusable.pop((int(cand), int(org), slot), None)
        if again is not None:
            again.table = free[0]
            again.save(update_fields=["table", "updated_at"])  # a new table is an update, the same one nothing
            touched.append(again.pk)
        else:
            touched.append(
                Meeting.objects.create(
                    event=event,
                    organisation_id=int(org),
                    candidate_id=int(cand),
                    slot=slot,
                    table=free[0],
                    starts_at=cfg.slot_start(slot),
                    ends_at=cfg.slot_start(slot + 1),
                    source=Meeting.Source.TIMETABLE,
                ).pk
            )
        created += 1
    cancelled = len(reusable)
    for m in reusable.values():
        m.status = Meeting.Status.CANCELLED
        m.save(update_fields=["status", "updated_at"])
        touched.append(m.pk)
    meeting_mail.meetings_changed(touched)
    note = _("%(created)s meetings planned, %(replaced)s replaced, %(dropped)s dropped for lack of a table or room") % {
        "created": created,
        "replaced": cancelled,
        "dropped": dropped,
    }
    tell_people(event, {int(c) for c, _o, _s in plan}, {int(o) for _c, o, _s in plan})
    live_counts.meetings_changed(event_id=event.pk)
    from matching import board

    # Many candidates' meetings changed at once: rebuild the boards' index rather than patch it.
    transaction.on_commit(lambda: board.invalidate(event_id=event.pk), robust=True)
    return created, note


def tell_people(event: Event, candidate_ids: set[int], organisation_ids: set[int]) -> None:
    from realtime.groups import employer_board_stream, user_stream
    from realtime.publish import publish_on_commit

    for cid in candidate_ids:
        publish_on_commit(user_stream(cid), "meetings.timetable", {"event": event.slug})
    for org_id in organisation_ids:
        publish_on_commit(employer_board_stream(event.slug, org_id), "meetings.timetable", {"event": event.slug})
    # Counterpart institutions at a dialogue event are people, not booths: tell them too (their
    # granted members only, like every other view of the organisation's meetings).
    for uid in selectors.member_user_ids_of(event=event, organisation_ids=organisation_ids):
        publish_on_commit(user_stream(uid), "meetings.timetable", {"event": event.slug})


@transaction.atomic
def meeting_lock(*, meeting_id: int, locked: bool) -> Meeting:
    m = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if m is None:
        raise exc.NotFound(_("No such meeting."))
    m.locked = locked
    m.save(update_fields=["locked", "updated_at"])
    return m


def bilateral_wish_set(
    *, event: Event, official: User, counterpart_id: int, weight: int | None
) -> BilateralWish | None:
    """The API's wish: a priority for a counterpart institution (None withdraws it); matching/dialogue.py decides."""
    from matching import dialogue

    if weight is None:
        dialogue.wish_withdraw(event=event, official=official, counterpart_id=counterpart_id)
        return None
    existing = BilateralWish.objects.filter(event=event, official=official, counterpart_id=counterpart_id).first()
    return dialogue.wish_save(
        event=event,
        official=official,
        counterpart_id=counterpart_id,
        weight=weight,
        person_id=existing.person_id if existing else None,
        topic_ids=list(existing.topics.values_list("pk", flat=True)) if existing else (),
    )
