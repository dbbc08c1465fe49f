"""Changes in, pushes out: door scans, profile, consent, mark and meeting changes update this
process's index, and employers whose visible rows moved get a `board.changed` push with those rows.
Threads, locks and caches: see matching/board/__init__.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from events.models import Event
from matching import adapters, selectors
from matching.board.index import index_for, index_is_current, lock, seconds_since_sync, sync_recent
from matching.board.reads import boards_for
from matching.board.roster import (
    MARKS_KEY,
    arrivals_data,
    board_size,
    index_entries,
    kept_board_state,
    read_versions,
    roster_changed,
    roster_for,
)
from realtime import generations
from realtime.coalesce import Coalescer
from realtime.groups import employer_board_stream
from realtime.publish import send_now

# Arrivals through other server processes reach this one's index at least this often.
SYNC_EVERY = 1.0


def _push_interval() -> float:
    return float(getattr(settings, "MATCHING_BOARD_PUSH_INTERVAL", 0.05))


def _push_boards(event_id: int, changed: set[tuple[int, int]]) -> None:
    """Send each employer in `changed` ((organisation, opening) pairs) the current rows of its
    openings that moved: a coalesced push, after the commit, all employers of the event together."""
    index_version, roster_version, marks_version = read_versions(event_id)
    roster = roster_for(event_id, roster_version)
    if roster is None:
        return
    event = roster.event
    state = kept_board_state(roster, marks_version)
    wanted: dict[int, set[int] | None] = {}
    for org_id, oid in changed:
        wanted.setdefault(org_id, set()).add(oid)  # type: ignore[union-attr]
    # The index is kept up to date by the hook and the services: no look at the door state here.
    boards = boards_for(
        event=event,
        wanted=wanted,
        sync=False,
        with_seq=False,
        roster=roster,
        state=state,
        index_version=index_version,
    )
    for org_id, data in boards.items():
        data.pop("seq", None)
        # Already after the commit, on the coalescer's thread or in its on-commit callback.
        send_now(employer_board_stream(event.slug, org_id), "board.changed", data)


# Boards are pushed at once for the first change after a quiet spell and then at most once per
# interval while arrivals keep changing them (realtime.coalesce), per event: at a busy door that is
# a couple of pushes a second per employer, each with every row that moved, instead of one per
# arrival, and what the employers' boards share is read once per push for all of them.
_board_pushes = Coalescer(_push_boards, _push_interval, "board-push")


# "N candidates present" reaches every employer of the event, whether or not their rows moved, at
# most about once a second per event: at a busy door a count is worth less than the rows are.
PRESENT_EVERY = 1.0


def _present_interval() -> float:
    interval = _push_interval()
    return interval if interval <= 0 else max(interval, PRESENT_EVERY)


def _push_present(event_id: int, told: set[frozenset[int]]) -> None:
    """Tell every employer with openings at the event how many candidates are present now: a
    `board.changed` with no openings, which the board page draws as the count alone. Employers who
    got rows with every change of the window (`told`: one set per change) have the count already."""
    index_version, roster_version, _marks_version = read_versions(event_id)
    roster = roster_for(event_id, roster_version)
    if roster is None:
        return
    event = roster.event
    with lock:
        index = index_for(event, sync=False, version=index_version)
        present = len(index.present)
        organisation_ids = sorted(
            {op.organisation_id for op in index.openings.values()} - (frozenset.intersection(*told) if told else set())
        )
    for org_id in organisation_ids:
        data = {"event": event.slug, "organisation_id": org_id, "present": present, "openings": []}
        # Already after the commit, on the coalescer's thread or in its on-commit callback.
        send_now(employer_board_stream(event.slug, org_id), "board.changed", data)


_present_pushes = Coalescer(_push_present, _present_interval, "board-present")


def present_changed(*, event_id: int, told: set[int]) -> None:
    """The number of candidates present changed: every employer's count follows, after the commit,
    but those in `told`, whose rows are being pushed for the same change (with the count)."""
    skip = frozenset(told)
    transaction.on_commit(lambda: _present_pushes.add(event_id, skip), robust=True)


def publish_changes(*, event: Event, opening_ids: set[int]) -> set[int]:
    """Push fresh board rows only to the employers whose openings changed. Returns their organisation ids."""
    if not opening_ids:
        return set()
    index = index_for(event, sync=False)
    changed = {(index.openings[oid].organisation_id, oid) for oid in opening_ids if oid in index.openings}
    if changed:
        event_id = event.pk
        transaction.on_commit(lambda: _board_pushes.add_many(event_id, changed), robust=True)
    return {org_id for org_id, _oid in changed}


def candidate_changed(*, event: Event, user_id: int) -> set[int]:
    """Re-score one candidate after a profile, consent, star or mark change; push to affected employers."""
    roster_changed()  # what other processes keep of them is stale too
    index = index_for(event, sync=False)
    n = board_size(event)
    present = user_id in adapters.present_user_ids(event)
    visible = selectors.candidate_visible_to_employers(event=event, user_id=user_id)
    cand = index_entries(event, {user_id}).get(user_id) if present and visible else None
    with lock:
        before = len(index.present)
        changed = index.arrive(cand, n=n) if cand is not None else index.leave(user_id, n=n)
        moved = len(index.present) != before
    told = publish_changes(event=event, opening_ids=changed)
    if moved:
        present_changed(event_id=event.pk, told=told)
    return told


def meetings_changed(*, event: Event, candidate_id: int) -> set[int]:
    """A candidate's meetings changed: the no-meeting bonus follows, and boards that moved hear of it."""
    generations.bump(MARKS_KEY)  # also where meetings changed without a model signal (a queryset update)
    index = index_for(event, sync=False)
    has = selectors.active_meetings(event=event).filter(candidate_id=candidate_id).exists()
    with lock:
        changed = index.set_has_meeting(candidate_id, has)
    return publish_changes(event=event, opening_ids=changed)


def request_changed(*, event: Event, organisation_id: int, candidate_id: int) -> set[int]:
    """A request between this employer and candidate opened or closed: the employer's rows that show
    the candidate follow (pending, with its expiry, or not), pushed after the commit."""
    generations.bump(MARKS_KEY)  # the board state keeps the pending requests too
    index = index_for(event, sync=False)
    with lock:
        opening_ids = {
            oid for oid in index.showing(candidate_id) if index.openings[oid].organisation_id == organisation_id
        }
    return publish_changes(event=event, opening_ids=opening_ids)


def on_presence_many(*, event_id: int, inside: dict[int, bool]) -> None:
    """People came in or went out (user id -> inside now): one pass over the index, one push per board."""
    if not inside:
        return
    index_version, roster_version, _marks_version = read_versions(event_id)
    # Reads only, outside a transaction: on SQLite every transaction takes the write lock
    # (config/settings.py), and this runs beside the door, whose scans would queue behind it.
    roster = roster_for(event_id, roster_version)
    if roster is None:
        return
    event, n = roster.event, roster.board_size
    candidates = arrivals_data(roster, roster_version, {uid for uid, now_inside in inside.items() if now_inside})
    changed: set[int] = set()
    with lock:  # the index is shared by request threads, the check-in hook and the board pushes
        fresh = not index_is_current(event.pk, index_version)
        index = index_for(event, sync=False, version=index_version)
        before = -1 if fresh else len(index.present)
        if (
            not fresh
            and getattr(settings, "MATCHING_SYNC_OTHER_WORKERS", True)
            and seconds_since_sync(event.pk) >= SYNC_EVERY
        ):
            # Now and then, the arrivals other processes saw as well (their hooks ran there, not here).
            changed |= sync_recent(event, index)
        for user_id in inside:
            if user_id not in candidates:
                changed |= index.leave(user_id, n=n)
        arrivals = [candidates[user_id] for user_id in inside if user_id in candidates]
        # Someone already on the boards whose details changed: their reasons may read differently
        # even where no row moved. And when the index was just loaded from the door state, these
        # arrivals included, nothing "changed" inside it, yet the boards have not shown them yet.
        reshown = [c.id for c in arrivals if fresh or c.id in index.present]
        # One comparison of the boards for the whole batch, not one per arrival.
        changed |= index.arrive_many(arrivals, n=n)
        for user_id in reshown:
            changed |= index.showing(user_id)
        moved = len(index.present) != before
    told = publish_changes(event=event, opening_ids=changed)
    if moved:
        present_changed(event_id=event.pk, told=told)


def on_checkin_info(info: Any) -> None:
    """One door scan; see on_checkin_infos."""
    on_checkin_infos([info])


def on_checkin_infos(infos: list[Any]) -> None:
    """Subscriber (batch=True) for checkin.hooks.on_checkin: door scans of candidates move them in or
    out of the index. Session scans and other roles do not concern the boards."""
    by_event: dict[int, dict[int, Any]] = {}
    repeated: set[int] = set()
    for info in infos:
        if getattr(info, "session_id", None) is not None or getattr(info, "role", "") != "candidate":
            continue
        scans = by_event.setdefault(info.event_id, {})
        if info.registration_id in scans:
            repeated.add(info.registration_id)
        scans[info.registration_id] = info
    for event_id, scans in by_event.items():
        # The door says where each person is after their scan. Where it does not (an older sender)
        # or one person was scanned several times in the batch, read the door state instead: of
        # scans committed in the same instant, the later one may reach this list first.
        unsure = {rid for rid, info in scans.items() if rid in repeated or getattr(info, "inside", None) is None}
        inside_now = adapters.inside_registration_ids(registration_ids=unsure) if unsure else set()
        on_presence_many(
            event_id=event_id,
            inside={
                info.user_id: (rid in inside_now if rid in unsure else bool(info.inside))
                for rid, info in sorted(scans.items())
            },
        )
