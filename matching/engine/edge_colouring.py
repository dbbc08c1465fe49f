"""Slot assignment as a bipartite edge colouring with alternating-path (Kempe chain) recolouring.

Vertices are candidates and employer tables (an employer with k tables is k vertices, each with
its own availability); colours are slots. A vertex holds at most one meeting per colour. To place pair
(u, v) we look for a slot free at both; failing that we take a slot α free at u and β free at v
and swap α/β along the alternating path that starts at v. In a bipartite graph that path never
reaches u, so afterwards α is free at both: with maximum degree ≤ slots every insertion succeeds
(König). Availability limits are checked on every recoloured edge; a swap that would put somebody
into a slot they cannot attend is rejected and the next (α, β) is tried.

No Django here; plain lists because this is scalar-heavy code where numpy indexing only costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matching.engine.scheduling import Instance

# How many (α, β) alternating paths to try per insertion: the first pass stays cheap, the repair
# pass digs deeper. Without availability limits the first try always succeeds.
SHALLOW_TRIES = 6
DEEP_TRIES = 60


class SlotColouring:
    def __init__(self, inst: Instance) -> None:
        self.T = inst.slots
        self.limits = list(inst.cand_limit)
        self.served = list(inst.cand_served)  # a locked meeting, kept outside the colouring, covers them
        self.w = inst.w.tolist()
        self.pc = inst.pc.tolist()
        self.pe = inst.pe.tolist()
        n_cand = len(inst.cand_ids)
        self.n_cand = n_cand
        self.allow: list[list[bool]] = list(inst.cand_ok)
        self.copies: list[list[int]] = []
        for rows in inst.table_ok:
            first = len(self.allow)
            self.allow.extend(rows)
            self.copies.append(list(range(first, first + len(rows))))
        self.occ: list[list[int]] = [[-1] * self.T for _ in self.allow]
        self.degree = [0] * len(self.allow)
        self.slot = [-1] * len(self.w)
        self.vert = [-1] * len(self.w)  # the table vertex a scheduled pair sits at
        self.cand_count = [0] * n_cand

    def slot_of(self, p: int) -> int:
        return self.slot[p]

    def meetings(self) -> Iterator[tuple[int, int]]:
        for p, t in enumerate(self.slot):
            if t >= 0:
                yield p, t

    def _place(self, p: int, v: int, t: int) -> None:
        u = self.pc[p]
        self.occ[u][t] = p
        self.occ[v][t] = p
        self.slot[p] = t
        self.vert[p] = v
        self.degree[u] += 1
        self.degree[v] += 1
        self.cand_count[u] += 1

    def _remove(self, p: int) -> None:
        u, v, t = self.pc[p], self.vert[p], self.slot[p]
        self.occ[u][t] = -1
        self.occ[v][t] = -1
        self.slot[p] = -1
        self.vert[p] = -1
        self.degree[u] -= 1
        self.degree[v] -= 1
        self.cand_count[u] -= 1

    def insert(self, p: int, *, deep: bool) -> bool:
        """Place pair p in some slot, recolouring others if needed; False if that did not work out."""
        u = self.pc[p]
        if self.slot[p] >= 0 or self.cand_count[u] >= self.limits[u]:
            return False
        tables = sorted(self.copies[self.pe[p]], key=self.degree.__getitem__)
        occ_u, ok_u = self.occ[u], self.allow[u]
        for v in tables:  # cheap pass: a slot already free on both sides
            occ_v, ok_v = self.occ[v], self.allow[v]
            for t in range(self.T):
                if occ_u[t] < 0 and occ_v[t] < 0 and ok_u[t] and ok_v[t]:
                    self._place(p, v, t)
                    return True
        budget = DEEP_TRIES if deep else SHALLOW_TRIES
        for v in tables:
            occ_v, ok_v = self.occ[v], self.allow[v]
            # Free at u and usable by v: swap along the path from v, so it frees up at v too ...
            alphas = [t for t in range(self.T) if occ_u[t] < 0 and ok_u[t] and ok_v[t]]
            betas = [t for t in range(self.T) if occ_v[t] < 0 and ok_v[t]]
            # ... or free at v and usable by u: swap along the path from u (the mirror image).
            gammas = [t for t in range(self.T) if occ_v[t] < 0 and ok_v[t] and ok_u[t]]
            deltas = [t for t in range(self.T) if occ_u[t] < 0 and ok_u[t]]
            tries = [(v, a, b) for a in alphas for b in betas] + [(u, g, d) for g in gammas for d in deltas]
            for start, a, b in tries:
                if self._swap_path(start, a, b):
                    self._place(p, v, a)
                    return True
                budget -= 1
                if budget <= 0:
                    return False
        return False

    def _swap_path(self, start: int, a: int, b: int) -> bool:
        """Swap colours a and b along the alternating path from ``start``; False if availability forbids."""
        path: list[int] = []
        cur, colour = start, a
        n_cand, pc, vert, occ, allow = self.n_cand, self.pc, self.vert, self.occ, self.allow
        while True:
            p = occ[cur][colour]
            if p < 0:
                break
            new = b if colour == a else a
            if not (allow[pc[p]][new] and allow[vert[p]][new]):
                return False
            path.append(p)
            cur = vert[p] if cur < n_cand else pc[p]
            colour = new
        for p in path:
            t = self.slot[p]
            occ[pc[p]][t] = -1
            occ[vert[p]][t] = -1
        for p in path:
            t = b if self.slot[p] == a else a
            self.slot[p] = t
            occ[pc[p]][t] = p
            occ[vert[p]][t] = p
        return True

    def replace_weaker(self, p: int, *, protect_only_meeting: bool) -> bool:
        """Give pair p a table slot held by a weaker meeting, then try to re-place the displaced pair.

        "Weaker" is by value; with ``protect_only_meeting`` (fair mode) it is by (candidates covered,
        value), so a swap never leaves more candidates without a meeting.
        """
        u = self.pc[p]
        if self.slot[p] >= 0 or self.cand_count[u] >= self.limits[u]:
            return False
        gains_cover = self.cand_count[u] == 0 and not self.served[u]
        best: tuple[tuple[int, float], int, int] | None = None
        for t in range(self.T):
            if self.occ[u][t] >= 0 or not self.allow[u][t]:
                continue
            for v in self.copies[self.pe[p]]:
                if not self.allow[v][t]:
                    continue
                q = self.occ[v][t]
                if q < 0:
                    self._place(p, v, t)
                    return True
                cover = 0
                if protect_only_meeting:
                    cover = int(gains_cover) - int(self.cand_count[self.pc[q]] == 1 and not self.served[self.pc[q]])
                gain = (cover, self.w[p] - self.w[q])
                if gain > (0, 0.0) and (best is None or gain > best[0]):
                    best = (gain, q, v)
        if best is None:
            return False
        _, q, v = best
        t = self.slot[q]
        self._remove(q)
        self._place(p, v, t)
        self.insert(q, deep=True)
        return True
