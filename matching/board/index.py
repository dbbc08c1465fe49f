"""This process's index of present candidates per event: the engine's `LiveIndex` in Django ids, kept
in line with the door. Threads, locks and caches: see matching/board/__init__.py.

`EngineIndex` wraps the engine's vectorised `LiveIndex` (matching/engine/live_index.py): the Django
side hands it plain profiles and openings and gets back the openings whose visible top list
changed. It answers in Django ids (ints) and `adapters.Suggestion`s with their explanation, and
shows only suggestions scoring at least `adapters.MIN_BOARD_SCORE`.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from django.utils import timezone

from events.models import Event
from matching import adapters, selectors
from matching.adapters import CandidateData, OpeningData, SkillBook, Suggestion
from matching.board.roster import MARKS_KEY, board_size, forget_rosters, index_entries, version_key
from matching.engine.live_index import LiveIndex
from realtime import generations

# Guards every index below: request threads, the check-in hook's thread and the push thread share them.
lock = threading.RLock()
_indexes: dict[int, tuple[int | None, Any]] = {}  # event id -> (index version, index)
# When each index last compared its present set with the door state (time.monotonic(), and the
# wall-clock time its door query can use).
_synced_at: dict[int, tuple[float, Any]] = {}
RECENT_MARGIN = timedelta(seconds=5)
UNREAD: Any = object()  # "the caller has not read the index version"


class EngineIndex:
    """The engine's `LiveIndex` in Django ids, with explanations computed only for rows shown."""

    def __init__(self, *, openings: list[OpeningData], book: SkillBook, n: int, has_meeting: set[int]) -> None:
        self.openings = {op.id: op for op in openings}
        self.book = book
        self.present: dict[int, CandidateData] = {}
        self._n = n
        # Twice the board size, so "not now" marks still leave a full board.
        self._live = LiveIndex(
            [adapters.engine_opening(op, book) for op in openings], taxonomy=book.taxonomy, k=max(1, 2 * n)
        )
        self._live.has_meeting = {str(c) for c in has_meeting}
        # What each opening's board last showed: the engine reports lists that changed anywhere in
        # their top k, and only a change among the rows an employer can see is worth a push.
        self._shown: dict[int, list[tuple[int, float]]] = {op.id: [] for op in openings}
        # Each opening's rows that may be shown, (candidate, score, rank score), best first, with the
        # engine's list they come from and how far it was read: worked out once after the list
        # changed, as far as a board needs, not again for every push and board read.
        self._rows: dict[int, tuple[list[tuple[int, float, float]], list[tuple[str, float, float]], int]] = {}
        # Explanations of rows already shown, per (candidate, opening): a board push shows the same
        # few dozen rows again and again, and an explanation only changes with the candidate.
        self._explained: dict[int, dict[int, Suggestion | None]] = {}
        self._holds: dict[int, dict[int, bool]] = {}

    def _forget(self, candidate_id: int) -> None:
        """The candidate's data changed: what was worked out from it is recomputed when next needed."""
        self._explained.pop(candidate_id, None)
        self._holds.pop(candidate_id, None)
        if candidate_id in self.present:
            for oid in [oid for oid, entry in self._rows.items() if any(r[0] == candidate_id for r in entry[0])]:
                del self._rows[oid]

    def _shows(self, cid: int, score: float, oid: int) -> bool:
        cand = self.present.get(cid)
        if cand is None or score < adapters.MIN_BOARD_SCORE:
            return False
        # Asked for every row of every changed list on every arrival: kept per candidate, like
        # the explanations, and forgotten with them when the candidate changes.
        holds = self._holds.setdefault(cid, {})
        if oid not in holds:
            holds[oid] = adapters.shows_required_skill(cand, self.openings[oid], self.book)
        return holds[oid]

    def _visible_rows(self, oid: int, want: int) -> list[tuple[int, float, float]]:
        """At least `want` of the opening's rows that may be shown (fewer when there are no more),
        (candidate, score, rank score), best first; worked out from the engine's list as far as asked."""
        entry = self._rows.get(oid)
        if entry is None:
            entry = ([], self._live.top_rows(str(oid), self._live.k), 0)
        rows, source, i = entry
        while len(rows) < want and i < len(source):
            cid, score, rank_score = source[i]
            i += 1
            cid, score = int(cid), round(score, 1)
            if self._shows(cid, score, oid):
                rows.append((cid, score, rank_score))
        self._rows[oid] = (rows, source, i)
        return rows

    def _filter(self, changed: set[str]) -> set[int]:
        out = set()
        for oid_s in changed:
            oid = int(oid_s)
            self._rows.pop(oid, None)
            now = [(c, s) for c, s, _r in self._visible_rows(oid, self._n)[: self._n]]
            if now != self._shown.get(oid):
                self._shown[oid] = now
                out.add(oid)
        return out

    def arrive(self, cand: CandidateData, *, n: int) -> set[int]:
        """Add or refresh a present candidate: the openings whose visible board changed."""
        profile = adapters.engine_candidate(cand, self.book)
        cid = str(cand.id)
        self._forget(cand.id)
        if cand.id in self.present:
            changed = self._live.register(profile)  # re-ranks a present candidate everywhere
        else:
            self._live.register(profile)
            changed = self._live.arrive(cid)
        self.present[cand.id] = cand
        shown = self._filter(changed)
        # A present candidate's reasons may have changed without any row moving.
        shown |= {oid for oid, rows in self._shown.items() if any(c == cand.id for c, _s in rows)} & {
            int(o) for o in changed
        }
        return shown

    def arrive_many(self, cands: list[CandidateData], *, n: int) -> set[int]:
        """Many arrivals at once (loading a running fair): compare the boards once, at the end."""
        changed: set[str] = set()
        for cand in cands:
            # register() re-ranks a candidate already present; arrive() places a new one.
            self._forget(cand.id)
            changed |= self._live.register(adapters.engine_candidate(cand, self.book))
            if cand.id not in self.present:
                changed |= self._live.arrive(str(cand.id))
            self.present[cand.id] = cand
        return self._filter(changed)

    def leave(self, candidate_id: int, *, n: int) -> set[int]:
        if candidate_id not in self.present:
            return set()
        self._forget(candidate_id)
        del self.present[candidate_id]
        return self._filter(self._live.unregister(str(candidate_id)))

    def showing(self, candidate_id: int) -> set[int]:
        """Openings whose board shows this candidate now."""
        return {oid for oid, rows in self._shown.items() if any(c == candidate_id for c, _s in rows)}

    def set_has_meeting(self, candidate_id: int, has_meeting: bool) -> set[int]:
        if has_meeting:
            self._live.has_meeting.add(str(candidate_id))
        else:
            self._live.has_meeting.discard(str(candidate_id))
        if candidate_id not in self.present:
            return set()
        # Leave and arrive again so the engine re-ranks the candidate with the new bonus.
        return self._filter(self._live.leave(str(candidate_id)) | self._live.arrive(str(candidate_id)))

    def top(self, opening_id: int, n: int, *, exclude: set[int] = frozenset()) -> list[Suggestion]:
        out = []
        for cid, _score, rank_score in self._visible_rows(opening_id, n + len(exclude)):
            if cid in exclude:
                continue
            explained = self._explained.setdefault(cid, {})
            if opening_id in explained:
                s = explained[opening_id]
            else:
                cand, op = self.present[cid], self.openings[opening_id]
                s = adapters.from_engine(cand, op, self._live.explain(str(cid), str(opening_id)), self.book)
                explained[opening_id] = s
            if s is not None:
                # The explanation is shared with later reads: callers must not change it.
                out.append(Suggestion(s.candidate_id, s.opening_id, s.score, s.explanation, round(rank_score, 1)))
            if len(out) >= n:
                break
        return out


def _version(event_id: int) -> int | None:
    """The event's index version; None when the cache is down (an index is then rebuilt on use)."""
    return generations.read(version_key(event_id))


def invalidate(*, event_id: int) -> None:
    """Openings or the taxonomy changed: every process rebuilds this event's index on next use."""
    generations.bump(version_key(event_id))
    generations.bump(MARKS_KEY)  # a timetable run replaces meetings wholesale
    with lock:
        _indexes.pop(event_id, None)


def reset_all() -> None:
    """Forget every index and roster in this process (tests)."""
    with lock:
        _indexes.clear()
        _synced_at.clear()
        forget_rosters()


def _build(event: Event) -> Any:
    openings = [adapters.opening_data(o) for o in selectors.openings_for(event=event)]
    with_meeting = set(selectors.meetings_count_by_candidate(event=event))
    index = EngineIndex(openings=openings, book=adapters.skill_book(), n=board_size(event), has_meeting=with_meeting)
    sync_presence(event, index)
    return index


def sync_presence(event: Event, index: Any) -> set[int]:
    """Bring the index's present set in line with the door state; the openings that changed."""
    _synced_at[event.pk] = (time.monotonic(), timezone.now())
    n = board_size(event)
    want = adapters.present_user_ids(event) & selectors.consenting_candidate_ids(event=event)
    have = set(index.present)
    changed: set[int] = set()
    for cid in have - want:
        changed |= index.leave(cid, n=n)
    arriving = want - have
    if arriving:
        changed |= index.arrive_many(list(index_entries(event, arriving).values()), n=n)
    return changed


def sync_recent(event: Event, index: Any) -> set[int]:
    """The door changes since the last look (other processes' scans, whose hooks ran there), read
    from the tickets that changed since then only, not from everyone inside."""
    _monotonic, since = _synced_at.get(event.pk, (0.0, None))
    now = timezone.now()
    if since is None:
        return sync_presence(event, index)
    _synced_at[event.pk] = (time.monotonic(), now)
    # A scan that committed just after the last look may carry a slightly earlier time.
    recent = adapters.presence_changed_since(event, since - RECENT_MARGIN)
    if not recent:
        return set()
    n = board_size(event)
    arriving = {uid for uid, inside in recent.items() if inside and uid not in index.present}
    visible = selectors.candidates_visible_to_employers(event=event, user_ids=arriving) if arriving else set()
    changed: set[int] = set()
    for uid, inside in recent.items():
        if not inside and uid in index.present:
            changed |= index.leave(uid, n=n)
    if visible:
        changed |= index.arrive_many(list(index_entries(event, visible).values()), n=n)
    return changed


def index_for(event: Event, *, sync: bool = True, version: int | None = UNREAD) -> Any:
    """This process's index for the event, built on first use and rebuilt when another process
    invalidated it. `version`: the event's index version when the caller has just read it."""
    version = _version(event.pk) if version is UNREAD else version
    with lock:
        entry = _indexes.get(event.pk)
        if entry is None or entry[0] != version or version is None:
            index = _build(event)
            _indexes[event.pk] = (version, index)
            return index
        index = entry[1]
        if sync:
            sync_presence(event, index)
        return index


def index_is_current(event_id: int, version: int | None) -> bool:
    """Whether this process holds the event's index at this version (else the next use builds it)."""
    entry = _indexes.get(event_id)
    return entry is not None and version is not None and entry[0] == version


def seconds_since_sync(event_id: int) -> float:
    """How long ago the event's index last compared its present set with the door state."""
    return time.monotonic() - _synced_at.get(event_id, (0.0, None))[0]
