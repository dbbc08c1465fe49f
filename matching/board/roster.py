"""The roster: what the boards keep of an event's candidates, marks and meetings, and the counters
that say when a kept copy is stale. Threads, locks and caches: see matching/board/__init__.py."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from events.models import Event
from matching import adapters, selectors
from matching.models import EmployerMark
from realtime import generations

DEFAULT_BOARD_SIZE = 20

# The people who can arrive at a fair are known beforehand: their scoring data (profile, skills,
# languages, stars, shortlists) and names are read for all of them in one pass and kept, so that an
# arrival costs no query before scoring. Whoever is not in it (registered since) is read on arrival.
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
ROSTER_KEY = "matching:roster:v"
# Marks and meetings change all through a fair: a counter of their own, so that a booked meeting
# does not make every process re-read its rosters. Pushes keep what they read until it moves.
MARKS_KEY = "matching:marks:v"


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


def forget_rosters() -> None:
    """Forget every roster in this process (tests)."""
    _rosters.clear()


def version_key(event_id: int) -> str:
    """The shared counter of the event's index: every process rebuilds its index when it moves."""
    return f"matching:index:v:{event_id}"


def roster_changed() -> None:
    """Candidates' data (or a fair's settings) changed: every process re-reads what it keeps."""
    generations.bump(ROSTER_KEY)


def _candidate_data_saved(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete of anything a roster holds (connected in MatchingConfig.ready)."""
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return  # a person signing in: nothing a board shows
    generations.bump_around_commit(ROSTER_KEY)


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
MARKS_MODELS = ("matching.Meeting", "matching.EmployerMark", "matching.MeetingRequest")


def _marks_saved(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete of a meeting or an employer's mark (connected in MatchingConfig.ready)."""
    generations.bump_around_commit(MARKS_KEY)


def read_versions(event_id: int) -> tuple[int | None, int | None, int | None]:
    """This event's index version, the roster version and the marks version, in one cache round
    trip; None for any the cache could not give (a copy then never counts as current)."""
    got = generations.read_many([version_key(event_id), ROSTER_KEY, MARKS_KEY])
    return got[version_key(event_id)], got[ROSTER_KEY], got[MARKS_KEY]


@dataclass
class BoardState:
    """What every employer's board at an event shares besides the index: marks and meetings."""

    marks: dict[int, dict[int, str]]  # organisation -> candidate -> mark kind
    meeting_counts: dict[int, int]  # candidate -> active meetings
    with_org: set[tuple[int, int]]  # (organisation, candidate) pairs with an active meeting
    # (organisation, candidate) -> the pending request between them: its id, who sent it and when it
    # expires. Read-time expiry: rows show only those not yet past `expires_at` (board reads).
    pending: dict[tuple[int, int], tuple[int, str, Any]] = field(default_factory=dict)


def board_state(event: Event, organisation_ids: list[int] | None) -> BoardState:
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
    pending: dict[tuple[int, int], tuple[int, str, Any]] = {}
    for pk, org_id, cid, sent_by, expires_at in selectors.open_requests_at(event=event).values_list(
        "pk", "organisation_id", "candidate_id", "sent_by", "expires_at"
    ):
        pending[(org_id, cid)] = (pk, sent_by, expires_at)
    return BoardState(marks, counts, with_org, pending)


def kept_board_state(roster: Roster, version: int | None) -> BoardState:
    """The roster's copy of the board state, re-read when the marks version moved (or is unknown)."""
    kept = roster.board_state
    now = time.monotonic()
    if kept is None or kept[0] != version or version is None or now - kept[2] >= BOARD_STATE_MAX_AGE:
        kept = roster.board_state = (version, board_state(roster.event, None), now)
    return kept[1]


def _load_people(event: Event, user_ids: set[int] | None) -> tuple[dict[int, Any], dict[int, str]]:
    """Scoring data and names of these candidates (None: every registered one), read in a fixed
    number of queries; those employers may not see map to None."""
    if user_ids is None:
        visible = selectors.consenting_candidate_ids(event=event)
    else:
        visible = selectors.candidates_visible_to_employers(event=event, user_ids=user_ids) if user_ids else set()
    found = index_entries(event, visible)
    names = adapters.names_of(found)
    people: dict[int, Any] = dict.fromkeys(user_ids or ())
    people.update(found)
    return people, names


def roster_for(event_id: int, version: int | None) -> Roster | None:
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
    roster = Roster(version, now, event, board_size(event), people, names)
    _rosters[event_id] = roster
    return roster


def arrivals_data(roster: Roster, version: int | None, user_ids: set[int]) -> dict[int, adapters.CandidateData]:
    """Scoring data of these arrivals who are shown to employers: from the roster while it is
    current; read from the database (and kept) when it is not, or for people it does not know."""
    current = version is not None and roster.version == version
    missing = {uid for uid in user_ids if not current or uid not in roster.people}
    if missing:
        people, names = _load_people(roster.event, missing)
        roster.people.update(people)
        roster.names.update(names)
    return {uid: c for uid in user_ids if (c := roster.people.get(uid)) is not None}


def board_size(event: Event) -> int:
    cfg = selectors.fair_config(event=event)
    return cfg.board_size if cfg else DEFAULT_BOARD_SIZE


def _shortlisted_by(event: Event, user_ids: set[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for org_id, cid in EmployerMark.objects.filter(
        event=event, candidate_id__in=list(user_ids), kind=EmployerMark.Kind.SHORTLIST
    ).values_list("organisation_id", "candidate_id"):
        out.setdefault(cid, set()).add(org_id)
    return out


def index_entries(event: Event, user_ids: set[int]) -> dict[int, adapters.CandidateData]:
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
