"""The live employer board: one index of present candidates per event and process, kept current.

- Loaded on first use in each process (openings, skills, and who is inside now).
- Check-in and check-out (the check-in app's hook), profile edits, consent changes, stars and
  marks update it, and only employers whose opening top lists changed get a push.
- Several Daphne workers each hold an index. Openings or skills changing in one process bump a
  version in the shared cache that the others see and rebuild on; presence is re-read from the
  door state on every board read, so a board is right whichever worker serves it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Event
from matching import adapters, selectors
from matching.board_index import make_index
from matching.models import EmployerMark
from realtime import generations
from realtime.coalesce import Coalescer
from realtime.groups import employer_board_stream
from realtime.publish import current_seq, publish

logger = logging.getLogger(__name__)

DEFAULT_BOARD_SIZE = 20
# Present candidates with no meeting yet get this many points on the board, to spread attention.
NO_MEETING_BONUS = 3.0

_lock = threading.RLock()
_indexes: dict[int, tuple[int, Any]] = {}
# When each index last compared its present set with the door state (time.monotonic(), and the
# wall-clock time its door query can use).
_synced_at: dict[int, tuple[float, Any]] = {}
# Arrivals through other server processes reach this one's index at least this often.
SYNC_EVERY = 1.0
RECENT_MARGIN = timedelta(seconds=5)


def _version_key(event_id: int) -> str:
    return f"matching:index:v:{event_id}"


def _version(event_id: int) -> int | None:
    """The event's index version; None when the cache is down (an index is then rebuilt on use)."""
    return generations.read(_version_key(event_id))


def invalidate(*, event_id: int) -> None:
    """Openings or the taxonomy changed: every process rebuilds this event's index on next use."""
    generations.bump(_version_key(event_id))
    generations.bump(_MARKS_KEY)  # a timetable run replaces meetings wholesale
    with _lock:
        _indexes.pop(event_id, None)


def reset_all() -> None:
    """Forget every index and roster in this process (tests)."""
    with _lock:
        _indexes.clear()
        _synced_at.clear()
        _rosters.clear()


# --- The roster: every candidate the boards may show at an event, read once ---------------------
#
# An arrival used to cost the boards a handful of queries (is the person a consenting candidate,
# their profile, skills, languages, stars, shortlists, the event, the board size) before any
# scoring. The people who can arrive at a fair are known beforehand: their scoring data is read for
# all of them in one pass and kept. Whoever is not in it (registered since) is read on arrival.
#
# Any change to a candidate's profile, skills, languages, consent, stars or marks, to a fair's
# settings or to a registration bumps one counter in the shared cache (services, admin and imports
# alike, through model signals). A process that sees the counter move reads arrivals from the
# database again at once, and re-reads its whole roster at most every ROSTER_RELOAD_EVERY seconds,
# so a burst of edits costs a few re-reads, not one per arrival.

ROSTER_RELOAD_EVERY = 5.0
# Writers that do not share the cache (a management command or the task worker beside the embedded
# in-memory cache) bump counters nobody here sees: what is kept is read again after these ages anyway.
ROSTER_MAX_AGE = 300.0
BOARD_STATE_MAX_AGE = 1.0
_ROSTER_KEY = "matching:roster:v"


@dataclass
class Roster:
    version: int | None  # of the shared counter, read before the roster was (None: unknown)
    loaded_at: float  # time.monotonic()
    event: Event
    board_size: int
    people: dict[int, adapters.CandidateData | None]  # user id -> scoring data; None: not shown to employers
    names: dict[int, str]
    board_state: tuple[int | None, Any, float] | None = None  # (marks version, BoardState, when), kept by pushes


_rosters: dict[int, Roster] = {}


def roster_changed() -> None:
    """Candidates' data (or a fair's settings) changed: every process re-reads what it keeps."""
    generations.bump(_ROSTER_KEY)


def _candidate_data_saved(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete of anything a roster holds (connected in MatchingConfig.ready)."""
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return  # a person signing in: nothing a board shows
    generations.bump_around_commit(_ROSTER_KEY)


ROSTER_MODELS = (
    "matching.CandidateProfile",
    "matching.CandidateSkill",
    "matching.CandidateLanguage",
    "matching.Star",
    "matching.EmployerMark",
    "matching.FairConfig",
    "events.Registration",
    "events.Event",
    "events.User",  # the names on the boards
)


# Marks and meetings change all through a fair: a counter of their own, so that a booked meeting
# does not make every process re-read its rosters. Pushes keep what they read until it moves.
_MARKS_KEY = "matching:marks:v"
MARKS_MODELS = ("matching.Meeting", "matching.EmployerMark")


def _marks_saved(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete of a meeting or an employer's mark (connected in MatchingConfig.ready)."""
    generations.bump_around_commit(_MARKS_KEY)


def _versions(event_id: int) -> tuple[int | None, int | None, int | None]:
    """This event's index version, the roster version and the marks version, in one cache round
    trip; None for any the cache could not give (a copy then never counts as current)."""
    got = generations.read_many([_version_key(event_id), _ROSTER_KEY, _MARKS_KEY])
    return got[_version_key(event_id)], got[_ROSTER_KEY], got[_MARKS_KEY]


@dataclass
class BoardState:
    """What every employer's board at an event shares besides the index: marks and meetings."""

    marks: dict[int, dict[int, str]]  # organisation -> candidate -> mark kind
    meeting_counts: dict[int, int]  # candidate -> active meetings
    with_org: set[tuple[int, int]]  # (organisation, candidate) pairs with an active meeting


def _board_state(event: Event, organisation_ids: list[int] | None) -> BoardState:
    """Read the marks (of these organisations, None: all) and the active meetings at the event."""
    marks: dict[int, dict[int, str]] = {}
    rows = EmployerMark.objects.filter(event=event)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    for org_id, cid, kind in rows.values_list("organisation_id", "candidate_id", "kind"):
        marks.setdefault(org_id, {})[cid] = kind
    counts: dict[int, int] = {}
    with_org: set[tuple[int, int]] = set()
    for org_id, cid in selectors.active_meetings(event=event).values_list("organisation_id", "candidate_id"):
        counts[cid] = counts.get(cid, 0) + 1
        with_org.add((org_id, cid))
    return BoardState(marks, counts, with_org)


def _kept_board_state(roster: Roster, version: int | None) -> BoardState:
    """The roster's copy of the board state, re-read when the marks version moved (or is unknown)."""
    kept = roster.board_state
    now = time.monotonic()
    if kept is None or kept[0] != version or version is None or now - kept[2] >= BOARD_STATE_MAX_AGE:
        kept = roster.board_state = (version, _board_state(roster.event, None), now)
    return kept[1]


def _load_people(event: Event, user_ids: set[int] | None) -> tuple[dict[int, Any], dict[int, str]]:
    """Scoring data and names of these candidates (None: every registered one), read in a fixed
    number of queries; those employers may not see map to None."""
    if user_ids is None:
        visible = selectors.consenting_candidate_ids(event=event)
    else:
        visible = selectors.candidates_visible_to_employers(event=event, user_ids=user_ids) if user_ids else set()
    found = _candidates(event, visible)
    names = adapters.names_of(found)
    people: dict[int, Any] = dict.fromkeys(user_ids or ())
    people.update(found)
    return people, names


def _roster(event_id: int, version: int | None) -> Roster | None:
    """This process's roster of the event, (re)read when missing or when the shared counter moved
    more than ROSTER_RELOAD_EVERY seconds ago. None when the event is gone."""
    roster = _rosters.get(event_id)
    now = time.monotonic()
    current = roster is not None and version is not None and roster.version == version
    if roster is not None and now - roster.loaded_at < (ROSTER_MAX_AGE if current else ROSTER_RELOAD_EVERY):
        return roster
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        _rosters.pop(event_id, None)
        return None
    people, names = _load_people(event, None)
    roster = Roster(version, now, event, _board_size(event), people, names)
    _rosters[event_id] = roster
    return roster


def _arriving(roster: Roster, version: int | None, user_ids: set[int]) -> dict[int, adapters.CandidateData]:
    """Scoring data of these arrivals who are shown to employers: from the roster while it is
    current; read from the database (and kept) when it is not, or for people it does not know."""
    current = version is not None and roster.version == version
    missing = {uid for uid in user_ids if not current or uid not in roster.people}
    if missing:
        people, names = _load_people(roster.event, missing)
        roster.people.update(people)
        roster.names.update(names)
    return {uid: c for uid in user_ids if (c := roster.people.get(uid)) is not None}


def _board_size(event: Event) -> int:
    cfg = selectors.fair_config(event=event)
    return cfg.board_size if cfg else DEFAULT_BOARD_SIZE


def _shortlisted_by(event: Event, user_ids: set[int]) -> dict[int, set[int]]:
    from matching.models import EmployerMark

    out: dict[int, set[int]] = {}
    for org_id, cid in EmployerMark.objects.filter(
        event=event, candidate_id__in=list(user_ids), kind=EmployerMark.Kind.SHORTLIST
    ).values_list("organisation_id", "candidate_id"):
        out.setdefault(cid, set()).add(org_id)
    return out


def _build(event: Event) -> Any:
    openings = [adapters.opening_data(o) for o in selectors.openings_for(event=event)]
    with_meeting = set(selectors.meetings_count_by_candidate(event=event))
    index = make_index(openings=openings, book=adapters.skill_book(), n=_board_size(event), has_meeting=with_meeting)
    _sync_presence(event, index)
    return index


def _sync_presence(event: Event, index: Any) -> set[int]:
    """Bring the index's present set in line with the door state; the openings that changed."""
    _synced_at[event.pk] = (time.monotonic(), timezone.now())
    n = _board_size(event)
    want = adapters.present_user_ids(event) & selectors.consenting_candidate_ids(event=event)
    have = set(index.present)
    changed: set[int] = set()
    for cid in have - want:
        changed |= index.leave(cid, n=n)
    arriving = want - have
    if arriving:
        changed |= index.arrive_many(list(_candidates(event, arriving).values()), n=n)
    return changed


def _sync_recent(event: Event, index: Any) -> set[int]:
    """The door changes since the last look (other processes' scans, whose hooks ran there), read
    from the tickets that changed since then only, not from everyone inside."""
    _monotonic, since = _synced_at.get(event.pk, (0.0, None))
    now = timezone.now()
    if since is None:
        return _sync_presence(event, index)
    _synced_at[event.pk] = (time.monotonic(), now)
    # A scan that committed just after the last look may carry a slightly earlier time.
    recent = adapters.presence_changed_since(event, since - RECENT_MARGIN)
    if not recent:
        return set()
    n = _board_size(event)
    arriving = {uid for uid, inside in recent.items() if inside and uid not in index.present}
    visible = selectors.candidates_visible_to_employers(event=event, user_ids=arriving) if arriving else set()
    changed: set[int] = set()
    for uid, inside in recent.items():
        if not inside and uid in index.present:
            changed |= index.leave(uid, n=n)
    if visible:
        changed |= index.arrive_many(list(_candidates(event, visible).values()), n=n)
    return changed


_UNREAD: Any = object()


def index_for(event: Event, *, sync: bool = True, version: int | None = _UNREAD) -> Any:
    """This process's index for the event, built on first use and rebuilt when another process
    invalidated it. `version`: the event's index version when the caller has just read it."""
    version = _version(event.pk) if version is _UNREAD else version
    with _lock:
        entry = _indexes.get(event.pk)
        if entry is None or entry[0] != version or version is None:
            index = _build(event)
            _indexes[event.pk] = (version, index)
            return index
        index = entry[1]
        if sync:
            _sync_presence(event, index)
        return index


def present_candidate_ids(*, event: Event) -> set[int]:
    return adapters.present_user_ids(event)


def ranked_for_organisation(*, event: Event, organisation_id: int) -> list[tuple[int, float]]:
    """Present candidates and their best score over this employer's openings, best first."""
    best: dict[int, float] = {}
    with _lock:  # the index is shared by request threads, the check-in hook and the board pushes
        index = index_for(event)
        for oid, op in index.openings.items():
            if op.organisation_id != organisation_id:
                continue
            for s in index.top(oid, len(index.present)):
                best[s.candidate_id] = max(best.get(s.candidate_id, 0.0), s.score)
    hidden = {
        cid
        for cid, kind in selectors.marks_for_org_id(event=event, organisation_id=organisation_id).items()
        if kind == "not_now"
    }
    return sorted(((c, s) for c, s in best.items() if c not in hidden), key=lambda cs: -cs[1])


def board_for(
    *, event: Event, organisation_id: int, opening_ids: set[int] | None = None, sync: bool = True
) -> dict[str, Any]:
    """The board an employer sees: per opening, the present candidates ranked, with the reasons.

    `sync=False` when the caller has just brought the index up to date (a push after an arrival)."""
    return boards_for(event=event, wanted={organisation_id: opening_ids}, sync=sync)[organisation_id]


def boards_for(
    *,
    event: Event,
    wanted: dict[int, set[int] | None],
    sync: bool = True,
    with_seq: bool = True,
    roster: Roster | None = None,
    state: BoardState | None = None,
    index_version: int | None = _UNREAD,
) -> dict[int, dict[str, Any]]:
    """Several employers' boards (organisation id -> the openings to show, None for all) in one go:
    what they share (the board size, meetings, marks, names) is read once for all of them.
    `with_seq=False` for pushes, whose messages carry their own seq; pushes pass the event's
    `roster` (the board size, the candidates' names) and the board `state` they keep."""
    index = index_for(event, sync=sync, version=index_version)
    n = roster.board_size if roster is not None else _board_size(event)
    if state is None:
        state = _board_state(event, list(wanted))
    marks, meeting_counts, with_org = state.marks, state.meeting_counts, state.with_org
    # An index that ranks with the no-meeting bonus already gives the board's order: n rows are
    # enough. One ranking by score alone gets more, re-ranked below with the bonus.
    depth = n if getattr(index, "ranks_with_bonus", False) else 2 * n
    with _lock:  # the index is shared by request threads, the check-in hook and the board pushes
        tops = {
            (op.organisation_id, oid): index.top(
                oid,
                depth,
                exclude={c for c, kind in marks.get(op.organisation_id, {}).items() if kind == "not_now"},
            )
            for oid, op in sorted(index.openings.items())
            if op.organisation_id in wanted
            and (wanted[op.organisation_id] is None or oid in wanted[op.organisation_id])
        }
        present = len(index.present)
    boards = {
        org_id: {
            "event": event.slug,
            "organisation_id": org_id,
            "seq": current_seq(employer_board_stream(event.slug, org_id)) if with_seq else None,
            "present": present,
            "openings": [],
        }
        for org_id in wanted
    }
    for (org_id, oid), top in tops.items():
        org_marks = marks.get(org_id, {})
        rows = []
        for s in top:
            bonus = NO_MEETING_BONUS if meeting_counts.get(s.candidate_id, 0) == 0 else 0.0
            # The engine's index ranks with its own no-meeting bonus; keep its order when it gives one.
            rank_score = s.rank_score if s.rank_score is not None else s.score + bonus
            rows.append(
                {
                    "candidate_id": s.candidate_id,
                    "name": "",
                    "score": s.score,
                    "rank_score": round(rank_score, 1),
                    "explanation": s.explanation,
                    "shortlisted": org_marks.get(s.candidate_id) == "shortlist",
                    "meeting_with_us": (org_id, s.candidate_id) in with_org,
                    "meetings": meeting_counts.get(s.candidate_id, 0),
                }
            )
        rows.sort(key=lambda r: (-r["rank_score"], r["candidate_id"]))
        boards[org_id]["openings"].append({"opening_id": oid, "candidates": rows[:n]})
    # Names of the people shown only, not of everyone present.
    shown_rows = [row for b in boards.values() for o in b["openings"] for row in o["candidates"]]
    known = roster.names if roster is not None else {}
    unknown = {r["candidate_id"] for r in shown_rows} - known.keys()
    names = adapters.names_of(unknown)
    names.update(known)
    for row in shown_rows:
        row["name"] = names.get(row["candidate_id"], "")
    return boards


def _push_interval() -> float:
    return float(getattr(settings, "MATCHING_BOARD_PUSH_INTERVAL", 0.05))


def _push_boards(event_id: int, changed: set[tuple[int, int]]) -> None:
    """Send each employer in `changed` ((organisation, opening) pairs) the current rows of its
    openings that moved: a coalesced push, after the commit, all employers of the event together."""
    index_version, roster_version, marks_version = _versions(event_id)
    roster = _roster(event_id, roster_version)
    if roster is None:
        return
    event = roster.event
    state = _kept_board_state(roster, marks_version)
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
        publish(employer_board_stream(event.slug, org_id), "board.changed", data)


# Boards are pushed at once for the first change after a quiet spell and then at most once per
# interval while arrivals keep changing them (realtime.coalesce), per event: at a busy door that is
# a couple of pushes a second per employer, each with every row that moved, instead of one per
# arrival, and what the employers' boards share is read once per push for all of them.
_board_pushes = Coalescer(_push_boards, _push_interval, "board-push")


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
    n = _board_size(event)
    present = user_id in adapters.present_user_ids(event)
    visible = selectors.candidate_visible_to_employers(event=event, user_id=user_id)
    cand = _candidates(event, {user_id}).get(user_id) if present and visible else None
    with _lock:
        changed = index.arrive(cand, n=n) if cand is not None else index.leave(user_id, n=n)
    return publish_changes(event=event, opening_ids=changed)


def meetings_changed(*, event: Event, candidate_id: int) -> set[int]:
    """A candidate's meetings changed: the no-meeting bonus follows, and boards that moved hear of it."""
    generations.bump(_MARKS_KEY)  # also where meetings changed without a model signal (a queryset update)
    index = index_for(event, sync=False)
    has = selectors.active_meetings(event=event).filter(candidate_id=candidate_id).exists()
    with _lock:
        changed = index.set_has_meeting(candidate_id, has)
    return publish_changes(event=event, opening_ids=changed)


def on_presence_many(*, event_id: int, inside: dict[int, bool]) -> None:
    """People came in or went out (user id -> inside now): one pass over the index, one push per board."""
    if not inside:
        return
    index_version, roster_version, _marks_version = _versions(event_id)
    # Reads only, outside a transaction: on SQLite every transaction takes the write lock
    # (config/settings.py), and this runs beside the door, whose scans would queue behind it.
    roster = _roster(event_id, roster_version)
    if roster is None:
        return
    event, n = roster.event, roster.board_size
    candidates = _arriving(roster, roster_version, {uid for uid, now_inside in inside.items() if now_inside})
    changed: set[int] = set()
    with _lock:  # the index is shared by request threads, the check-in hook and the board pushes
        entry = _indexes.get(event.pk)
        fresh = entry is None or entry[0] != index_version or index_version is None
        index = index_for(event, sync=False, version=index_version)
        if (
            not fresh
            and getattr(settings, "MATCHING_SYNC_OTHER_WORKERS", True)
            and time.monotonic() - _synced_at.get(event.pk, (0.0, None))[0] >= SYNC_EVERY
        ):
            # Now and then, the arrivals other processes saw as well (their hooks ran there, not here).
            changed |= _sync_recent(event, index)
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
    publish_changes(event=event, opening_ids=changed)


def _candidates(event: Event, user_ids: set[int]) -> dict[int, adapters.CandidateData]:
    """Index entries for these candidates (those with a profile), read in a fixed number of queries."""
    if not user_ids:
        return {}
    found = adapters.candidates_data(user_ids)
    stars = selectors.stars_of_many(event=event, candidate_ids=set(found))
    shortlisted = _shortlisted_by(event, set(found))
    for user_id, data in found.items():
        data.starred = adapters.frozen(stars.get(user_id, ()))
        data.shortlisted_by = adapters.frozen(shortlisted.get(user_id, ()))
    return found


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


def matches_for_candidate(*, event: Event, user_id: int) -> list[dict[str, Any]]:
    """The candidate's own list: openings at the event that fit them, best first, with the reasons for them."""
    cand = adapters.candidates_data([user_id]).get(user_id)
    if cand is None:
        return []
    # Employers' shortlists are theirs: the candidate-facing score leaves them out.
    cand.starred = adapters.frozen(selectors.stars_of_many(event=event, candidate_ids={user_id}).get(user_id, ()))
    book = adapters.skill_book()
    out = []
    for opening in selectors.openings_for(event=event):
        data = adapters.opening_data(opening)
        s = adapters.score_one(cand, data, book=book)
        # The same bar as the boards: an opening the candidate would never be shown for is no match.
        if s is None or s.score < adapters.MIN_BOARD_SCORE or not adapters.shows_required_skill(cand, data, book):
            continue
        e = s.explanation
        out.append(
            {
                "opening_id": opening.pk,
                "title": opening.title,
                "organisation": {"id": opening.organisation_id, "name": opening.organisation.name},
                "kind": opening.kind,
                "score": s.score,
                "you_have": [m["skill"] for m in e["matched"]],
                "to_learn": [m["skill"] for m in e["missing"]] + [m["skill"] for m in e["partial"]],
                "factors": dict(e["factors"]),
                "starred": opening.organisation_id in cand.starred,
            }
        )
    out.sort(key=lambda r: (-r["score"], r["opening_id"]))
    return out[: _board_size(event)]
