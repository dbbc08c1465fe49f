"""Live index of present candidates: each opening's top list, kept current as people come and go.

No Django here. The Django side registers every candidate profile and the openings, then calls
``arrive`` on check-in, ``leave`` on check-out, ``register`` on a profile edit and
``set_has_meeting`` when a meeting is booked or cancelled. Each of these returns the ids of the
openings whose visible top list changed, so only those employers' boards get a push.

How it stays fast: an arrival scores the candidate against every opening in one vectorised pass
(``ScoreMatrix``), compares the row with each opening's entry threshold, and touches only the lists
it enters. Lists keep a few more entries than are shown (``k + buffer``) so that departures rarely
need a refill; a refill scans one opening's column in the matrix of present candidates' scores.

Spreading attention: a present candidate without a meeting gets ``no_meeting_bonus`` points in the
ranking (not in the score shown), and boards and candidate lists are capped at ``k`` entries.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from matching.engine.score_matrix import ScoreMatrix
from matching.engine.scoring import CandidateProfile, Opening, Score, Taxonomy, score

__all__ = ["LiveIndex", "Ranked"]


@dataclass(frozen=True)
class Ranked:
    id: str  # candidate id on a board, opening id in a candidate's list
    score: float  # the 0–100 score
    rank_score: float  # what the ranking used: score plus the no-meeting bonus where it applies


class LiveIndex:
    def __init__(
        self,
        openings: Iterable[Opening] = (),
        *,
        taxonomy: Taxonomy | None = None,
        k: int = 50,
        buffer: int | None = None,
        no_meeting_bonus: float = 5.0,
    ) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k
        self.cap = k + (k if buffer is None else max(0, buffer))
        self.bonus = np.float32(no_meeting_bonus)
        self.taxonomy = taxonomy or Taxonomy()
        self.profiles: dict[str, CandidateProfile] = {}
        self.has_meeting: set[str] = set()
        self._slot: dict[str, int] = {}  # present candidate -> row in self._rows
        self._slot_cand: list[str | None] = []
        self._free: list[int] = []
        self._set_openings(list(openings))

    # -- openings -----------------------------------------------------------------------------

    def _set_openings(self, openings: list[Opening]) -> set[str]:
        """Rebuild everything that depends on the openings (rare: openings change before the fair)."""
        self.matrix = ScoreMatrix(openings, self.taxonomy)
        self.opening_ids = [o.id for o in openings]
        self._opening_pos = {oid: i for i, oid in enumerate(self.opening_ids)}
        n = len(openings)
        capacity = max(len(self._slot_cand), len(self.profiles), 64)
        self._rows = np.full((capacity, n), -np.inf, dtype=np.float32)
        self._row_bonus = np.full(capacity, -np.inf, dtype=np.float32)  # -inf marks a free row
        for cand, slot in self._slot.items():
            self._rows[slot] = self.matrix.scores(self.profiles[cand])
            self._row_bonus[slot] = self._bonus_for(cand)
        self._lists: list[list[tuple[float, str]]] = [[] for _ in range(n)]
        self._complete = [True] * n  # the list holds every present eligible candidate
        self._threshold = np.full(n, -np.inf)
        self._member: dict[str, set[int]] = {cand: set() for cand in self._slot}
        for o in range(n):
            self._refill(o)
        return set(self.opening_ids)

    def set_openings(self, openings: Iterable[Opening]) -> set[str]:
        """Replace the openings (add, edit or remove); returns every opening id, as all boards are rebuilt."""
        return self._set_openings(list(openings))

    # -- candidates ---------------------------------------------------------------------------

    def register(self, profile: CandidateProfile) -> set[str]:
        """Add or update a profile; if the candidate is present, re-rank them everywhere."""
        # Grow the score matrix now, ahead of check-in, so an arrival never pays for a copy.
        self._reserve(len(self.profiles) + 1)
        return self._rerank(profile.id, lambda: self.profiles.__setitem__(profile.id, profile))

    def _rerank(self, candidate_id: str, change: Callable[[], object]) -> set[str]:
        """Apply ``change`` to a candidate; if present, leave and re-arrive, reporting only real changes."""
        if candidate_id not in self._slot:
            change()
            return set()
        before = {o: self._lists[o][: self.k] for o in self._member.get(candidate_id, ())}
        self.leave(candidate_id)
        change()
        arrived = self.arrive(candidate_id)
        changed = {self.opening_ids[o] for o, top in before.items() if self._lists[o][: self.k] != top}
        positions = self._opening_pos
        return changed | {oid for oid in arrived if positions[oid] not in before}

    def unregister(self, candidate_id: str) -> set[str]:
        changed = self.leave(candidate_id)
        self.profiles.pop(candidate_id, None)
        self.has_meeting.discard(candidate_id)
        return changed

    def is_present(self, candidate_id: str) -> bool:
        return candidate_id in self._slot

    @property
    def present_count(self) -> int:
        return len(self._slot)

    def _bonus_for(self, candidate_id: str) -> np.float32:
        return np.float32(0.0) if candidate_id in self.has_meeting else self.bonus

    def arrive(self, candidate_id: str) -> set[str]:
        """Check-in: rank the candidate on every opening; returns openings whose visible top list changed."""
        if candidate_id in self._slot:
            return set()
        profile = self.profiles[candidate_id]  # KeyError: register the profile first
        row = self.matrix.scores(profile)
        slot = self._take_row()
        self._rows[slot] = row
        bonus = self._bonus_for(candidate_id)
        self._row_bonus[slot] = bonus
        self._slot[candidate_id] = slot
        self._slot_cand[slot] = candidate_id
        member = self._member[candidate_id] = set()
        rank = row + bonus
        # The hot loop of an arrival: locals only, plain Python lists, the threshold update inlined.
        lists, threshold, complete, members = self._lists, self._threshold, self._complete, self._member
        k, cap = self.k, self.cap
        hits = np.flatnonzero((rank >= threshold) & (rank > -np.inf))  # -inf: excluded by a hard filter
        entered: list[int] = []
        visible: list[int] = []
        for o, value in zip(hits.tolist(), rank[hits].tolist(), strict=True):
            entry = (-value, candidate_id)
            lst = lists[o]
            if (not complete[o] or len(lst) >= cap) and lst and entry > lst[-1]:
                continue  # a tie on score that loses on the candidate id
            pos = bisect_left(lst, entry)
            lst.insert(pos, entry)
            entered.append(o)
            if pos < k:
                visible.append(o)
            if len(lst) >= cap:
                # A full list may leave somebody out now or on the next arrival: no longer complete.
                complete[o] = False
                if len(lst) > cap:
                    members[lst.pop()[1]].discard(o)
            if not complete[o]:
                threshold[o] = -lst[-1][0]
        member.update(entered)
        ids = self.opening_ids
        return {ids[o] for o in visible}

    def leave(self, candidate_id: str) -> set[str]:
        """Check-out: drop the candidate from every list; returns openings whose visible top list changed."""
        slot = self._slot.pop(candidate_id, None)
        if slot is None:
            return set()
        rank = self._rows[slot] + self._row_bonus[slot]
        self._rows[slot] = -np.inf
        self._row_bonus[slot] = -np.inf
        self._slot_cand[slot] = None
        self._free.append(slot)
        changed: set[str] = set()
        for o in self._member.pop(candidate_id, set()):
            lst = self._lists[o]
            pos = bisect_left(lst, (-float(rank[o]), candidate_id))
            del lst[pos]
            if pos < self.k:
                changed.add(self.opening_ids[o])
            if len(lst) < self.k and not self._complete[o]:
                self._refill(o)
            self._update_threshold(o)
        return changed

    def set_has_meeting(self, candidate_id: str, has_meeting: bool) -> set[str]:
        """Flag whether the candidate has a meeting; the no-meeting bonus follows the flag."""
        if (candidate_id in self.has_meeting) == has_meeting:
            return set()
        flag = self.has_meeting.add if has_meeting else self.has_meeting.discard
        return self._rerank(candidate_id, lambda: flag(candidate_id))

    # -- reads --------------------------------------------------------------------------------

    def top(self, opening_id: str, n: int = 20) -> list[Ranked]:
        """The best present candidates for an opening, best first (at most ``k``)."""
        return [Ranked(*row) for row in self.top_rows(opening_id, n)]

    def top_rows(self, opening_id: str, n: int = 20) -> list[tuple[str, float, float]]:
        """``top`` as plain (candidate id, score, rank score) tuples, for callers that read many lists."""
        o = self._opening_pos[opening_id]
        column, slot = self._rows[:, o], self._slot
        return [(cand, float(column[slot[cand]]), -neg_rank) for neg_rank, cand in self._lists[o][: min(n, self.k)]]

    def suggestions(self, candidate_id: str, n: int = 10) -> list[Ranked]:
        """The best openings for a candidate (present or not), best first; capped at ``k``."""
        slot = self._slot.get(candidate_id)
        row = self._rows[slot] if slot is not None else self.matrix.scores(self.profiles[candidate_id])
        n = min(n, self.k, len(row))
        if n <= 0:
            return []
        best = np.argpartition(-row, n - 1)[:n] if n < len(row) else np.arange(len(row))
        best = sorted((i for i in best.tolist() if np.isfinite(row[i])), key=lambda i: (-row[i], self.opening_ids[i]))
        return [Ranked(self.opening_ids[i], float(row[i]), float(row[i])) for i in best]

    def explain(self, candidate_id: str, opening_id: str) -> Score:
        """The full explained score (computed on demand for the few entries a board shows)."""
        opening = self.matrix.openings[self._opening_pos[opening_id]]
        return score(self.profiles[candidate_id], opening, self.taxonomy)

    # -- internals ----------------------------------------------------------------------------

    def _open(self, o: int) -> bool:
        """True if every eligible arrival belongs in the list (it holds everybody and has room)."""
        return self._complete[o] and len(self._lists[o]) < self.cap

    def _update_threshold(self, o: int) -> None:
        lst = self._lists[o]
        self._threshold[o] = -np.inf if self._open(o) or not lst else -lst[-1][0]

    def _take_row(self) -> int:
        if self._free:
            return self._free.pop()
        slot = len(self._slot_cand)
        self._reserve(slot + 1)
        self._slot_cand.append(None)
        return slot

    def _reserve(self, rows: int) -> None:
        if rows > len(self._rows):
            grow = max(rows, 2 * len(self._rows)) - len(self._rows)
            self._rows = np.vstack([self._rows, np.full((grow, self._rows.shape[1]), -np.inf, dtype=np.float32)])
            self._row_bonus = np.concatenate([self._row_bonus, np.full(grow, -np.inf, dtype=np.float32)])

    def _refill(self, o: int) -> None:
        """Rebuild one opening's list from the matrix of present candidates' scores."""
        used = len(self._slot_cand)
        rank = self._rows[:used, o] + self._row_bonus[:used]
        rows = np.flatnonzero(np.isfinite(rank))
        complete = len(rows) < self.cap  # at exactly cap, the next arrival may be left out
        truncated = len(rows) > self.cap
        if truncated:
            rows = rows[np.argpartition(-rank[rows], self.cap - 1)[: self.cap]]
        for _, cand in self._lists[o]:
            self._member[cand].discard(o)
        entries = sorted((-float(rank[r]), self._slot_cand[r]) for r in rows.tolist())
        if truncated:
            # argpartition cuts ties arbitrarily; keep exactly the first ``cap`` by (rank, id)
            cut = entries[-1][0]
            tied = [(cut, self._slot_cand[r]) for r in np.flatnonzero(rank == np.float32(-cut)).tolist()]
            entries = sorted(set(entries) | set(tied))[: self.cap]
        self._lists[o] = entries
        for _, cand in entries:
            self._member[cand].add(o)
        self._complete[o] = complete
        self._update_threshold(o)
