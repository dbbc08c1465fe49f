"""The per-event index of present candidates that the live board reads (see matching/board.py).

`EngineIndex` wraps the engine's vectorised `LiveIndex` (matching/live_index.py): the Django side
hands it plain profiles and openings and gets back the openings whose top list changed.
`FallbackIndex` does the same in plain Python with the built-in scorer; `make_index` no longer
builds it (the engine is always there), only its tests do. Both answer in Django ids (ints) and
`adapters.Suggestion`s with their explanation, and both show only suggestions scoring at least
`adapters.MIN_BOARD_SCORE`.
"""

from __future__ import annotations

import heapq
from typing import Any

from matching import adapters
from matching.adapters import CandidateData, OpeningData, SkillBook, Suggestion
from matching.engine.live_index import LiveIndex


def _rank_key(s: Suggestion) -> tuple[float, int]:
    return (-s.score, s.candidate_id)


class FallbackIndex:
    """Present candidates scored against every opening of one event, with each opening's top list.

    An arrival is scored against every opening once; only openings where the candidate enters,
    leaves or moves within the top list recompute that list (a partial sort of the opening's
    scores), so the cost of an arrival grows with the number of openings, not with the crowd.
    """

    def __init__(self, *, openings: list[OpeningData], book: SkillBook) -> None:
        self.openings = {op.id: op for op in openings}
        self.book = book
        self.scores: dict[int, dict[int, Suggestion]] = {op.id: {} for op in openings}
        self.present: dict[int, CandidateData] = {}
        self._tops: dict[int, list[Suggestion]] = {op.id: [] for op in openings}
        self._n = 0
        # The engine's view of each opening, converted once rather than on every arrival.
        self._engine_ops = (
            {op.id: adapters.engine_opening(op, book) for op in openings} if adapters.engine_scoring is not None else {}
        )

    def _score(self, cand: CandidateData, engine_cand: Any, op: OpeningData) -> Suggestion | None:
        if engine_cand is None:
            return adapters.fallback_score(cand, op, book=self.book)
        result = adapters.engine_scoring.score(engine_cand, self._engine_ops[op.id], self.book.taxonomy)
        return adapters.from_engine(cand, op, result, self.book)

    def _recompute(self, oid: int) -> list[int]:
        self._tops[oid] = heapq.nsmallest(self._n, self.scores[oid].values(), key=_rank_key)
        return [s.candidate_id for s in self._tops[oid]]

    def _resize(self, n: int) -> None:
        if n != self._n:
            self._n = n
            for oid in self.openings:
                self._recompute(oid)

    def arrive(self, cand: CandidateData, *, n: int) -> set[int]:
        """Add or refresh a present candidate; the openings whose top-n changed or show them."""
        self._resize(n)
        self.present[cand.id] = cand
        engine_cand = adapters.engine_candidate(cand, self.book) if adapters.engine_scoring is not None else None
        changed: set[int] = set()
        for oid, op in self.openings.items():
            s = self._score(cand, engine_cand, op)
            per = self.scores[oid]
            had = cand.id in per
            if (
                s is None
                or s.score < adapters.MIN_BOARD_SCORE
                or not adapters.shows_required_skill(cand, op, self.book)
            ):
                per.pop(cand.id, None)
            else:
                per[cand.id] = s
            top = self._tops[oid]
            was_top = had and any(t.candidate_id == cand.id for t in top)
            enters = cand.id in per and (len(top) < n or _rank_key(per[cand.id]) < _rank_key(top[-1]))
            if was_top or enters:
                self._recompute(oid)
                changed.add(oid)
        return changed

    def arrive_many(self, cands: list[CandidateData], *, n: int) -> set[int]:
        changed: set[int] = set()
        for cand in cands:
            changed |= self.arrive(cand, n=n)
        return changed

    def leave(self, candidate_id: int, *, n: int) -> set[int]:
        self._resize(n)
        if self.present.pop(candidate_id, None) is None:
            return set()
        changed: set[int] = set()
        for oid, per in self.scores.items():
            if per.pop(candidate_id, None) is not None and any(t.candidate_id == candidate_id for t in self._tops[oid]):
                self._recompute(oid)
                changed.add(oid)
        return changed

    def top(self, opening_id: int, n: int, *, exclude: set[int] = frozenset()) -> list[Suggestion]:
        per = self.scores.get(opening_id, {})
        if not exclude and n <= self._n:
            return list(self._tops.get(opening_id, [])[:n])
        ranked = heapq.nsmallest(n + len(exclude), per.values(), key=_rank_key)
        return [s for s in ranked if s.candidate_id not in exclude][:n]

    def showing(self, candidate_id: int) -> set[int]:
        """Openings whose board shows this candidate now."""
        return {oid for oid, top in self._tops.items() if any(t.candidate_id == candidate_id for t in top)}

    def set_has_meeting(self, candidate_id: int, has_meeting: bool) -> set[int]:
        # The plain index ranks by score alone; board.py adds the no-meeting bonus when it reads.
        return set()


class EngineIndex:
    """The engine's `LiveIndex` in Django ids, with explanations computed only for rows shown."""

    ranks_with_bonus = True  # top() is in the board's order, the no-meeting bonus included

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


def make_index(*, openings: list[OpeningData], book: SkillBook, n: int, has_meeting: set[int]) -> Any:
    """The engine's live index."""
    return EngineIndex(openings=openings, book=book, n=n, has_meeting=has_meeting)
