"""Booth meeting scheduler: which candidate meets which employer in which slot.

No Django here. Three stages (docs/matching-engine.md has the reasoning and the measured figures):

1. Choose the pairs: a maximum-weight b-matching solved as a linear programme with HiGHS. The
   constraint matrix is the incidence matrix of a bipartite graph (in fair mode a network matrix),
   so it is totally unimodular and the simplex vertex HiGHS returns is integral: the pair choice is
   exact, not a rounding.
2. Give every chosen pair a slot: a bipartite edge colouring with alternating-path (Kempe chain)
   recolouring, employers split into one vertex per table. Without availability limits König's
   theorem guarantees that ``slots`` colours suffice, so stages 1+2 are optimal.
3. Only when somebody is unavailable in some slot: pairs the colouring could not place are dropped
   and the schedule is repaired by inserting further pairs (with deeper recolouring) and by
   replacing a lower-value meeting at a full table.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from matching.engine.edge_colouring import SlotColouring

__all__ = ["Instance", "reschedule_meetings", "schedule_meetings"]


class Instance:
    """The scheduling input mapped to dense indices, shared by the heuristic and the exact MILP.

    Employers are split into one row of availability per table, so that ``locked`` meetings (kept
    exactly where they are) simply block their table, their candidate's slot and one unit of
    their candidate's limit.
    """

    def __init__(
        self,
        weights: Mapping[tuple[str, str], float],
        *,
        slots: int,
        tables: Mapping[str, int],
        candidate_limit: int,
        unavailable: Mapping[str, Collection[int]] | None,
        locked: Collection[tuple[str, str, int]] = (),
    ) -> None:
        if not isinstance(slots, int) or slots < 0:
            raise ValueError("slots must be a non-negative integer")
        if not isinstance(candidate_limit, int) or candidate_limit < 0:
            raise ValueError("candidate_limit must be a non-negative integer")
        for employer, count in tables.items():
            if not isinstance(count, int) or count < 0:
                raise ValueError(f"tables[{employer!r}] must be a non-negative integer")
        unavailable = unavailable or {}
        self.slots = slots
        self.locked = _check_locked(locked, slots=slots, tables=tables, limit=candidate_limit, unavailable=unavailable)
        locked_pairs = {(c, e) for c, e, _ in self.locked}
        busy: dict[str, set[int]] = {}
        table_busy: dict[tuple[str, int], int] = {}
        for c, e, t in self.locked:
            busy.setdefault(c, set()).add(t)
            table_busy[(e, t)] = table_busy.get((e, t), 0) + 1

        def free_slots(ident: str) -> list[bool]:
            blocked = set(unavailable.get(ident, ())) | busy.get(ident, set())
            return [t not in blocked for t in range(slots)]

        def free_tables(emp: str) -> list[list[bool]]:
            ok = free_slots(emp)
            return [[ok[t] and k >= table_busy.get((emp, t), 0) for t in range(slots)] for k in range(tables[emp])]

        cand_index: dict[str, int] = {}
        emp_index: dict[str, int] = {}
        self.cand_ids: list[str] = []
        self.emp_ids: list[str] = []
        self.cand_ok: list[list[bool]] = []
        self.cand_limit: list[int] = []
        self.table_ok: list[list[list[bool]]] = []  # employer -> table -> slot
        self.emp_ok: list[list[bool]] = []  # some table of the employer is free in the slot
        pc: list[int] = []
        pe: list[int] = []
        pw: list[float] = []
        for (cand, emp), value in weights.items():
            value = float(value)
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"weight of {(cand, emp)!r} must be a finite number > 0")
            if tables.get(emp, 0) <= 0 or candidate_limit == 0 or (cand, emp) in locked_pairs:
                continue
            if cand not in cand_index:
                cand_index[cand] = len(self.cand_ids)
                self.cand_ids.append(cand)
                self.cand_ok.append(free_slots(cand))
                self.cand_limit.append(candidate_limit - len(busy.get(cand, ())))
            if emp not in emp_index:
                emp_index[emp] = len(self.emp_ids)
                self.emp_ids.append(emp)
                self.table_ok.append(free_tables(emp))
                self.emp_ok.append([any(col) for col in zip(*self.table_ok[-1], strict=True)])
            c, e = cand_index[cand], emp_index[emp]
            # A pair without a slot both sides can use can never meet; dropping it keeps the LP honest.
            if not any(a and b for a, b in zip(self.cand_ok[c], self.emp_ok[e], strict=True)):
                continue
            pc.append(c)
            pe.append(e)
            pw.append(value)
        self.pc = np.asarray(pc, dtype=np.int64)
        self.pe = np.asarray(pe, dtype=np.int64)
        self.w = np.asarray(pw, dtype=np.float64)
        self.cand_served = [lim < candidate_limit for lim in self.cand_limit]  # has a locked meeting
        self.tables = [int(tables[e]) for e in self.emp_ids]
        self.restricted = bool(self.locked) or any(not all(row) for row in self.cand_ok + self.emp_ok)
        self.cand_cap = np.array(
            [min(lim, sum(row)) for lim, row in zip(self.cand_limit, self.cand_ok, strict=True)], dtype=np.float64
        )
        self.emp_cap = np.array([sum(sum(row) for row in rows) for rows in self.table_ok], dtype=np.float64)

    def tables_at(self, e: int, t: int) -> int:
        return sum(row[t] for row in self.table_ok[e])

    @property
    def n_pairs(self) -> int:
        return len(self.w)

    def incidence(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Candidate × pair and employer × pair incidence matrices."""
        cols = np.arange(self.n_pairs)
        ones = np.ones(self.n_pairs)
        a_cand = sparse.csr_matrix((ones, (self.pc, cols)), shape=(len(self.cand_ids), self.n_pairs))
        a_emp = sparse.csr_matrix((ones, (self.pe, cols)), shape=(len(self.emp_ids), self.n_pairs))
        return a_cand, a_emp


def _check_locked(
    locked: Collection[tuple[str, str, int]],
    *,
    slots: int,
    tables: Mapping[str, int],
    limit: int,
    unavailable: Mapping[str, Collection[int]],
) -> list[tuple[str, str, int]]:
    """Locked meetings must themselves form a valid timetable; anything else is a caller error."""
    out = [(str(c), str(e), int(t)) for c, e, t in locked]
    pairs = {(c, e) for c, e, _ in out}
    cand_slots = {(c, t) for c, _, t in out}
    per_cand: dict[str, int] = {}
    per_table: dict[tuple[str, int], int] = {}
    for c, e, t in out:
        per_cand[c] = per_cand.get(c, 0) + 1
        per_table[(e, t)] = per_table.get((e, t), 0) + 1
        if not 0 <= t < slots or t in unavailable.get(c, ()) or t in unavailable.get(e, ()):
            raise ValueError(f"locked meeting {(c, e, t)!r} is outside the slots its people can attend")
    if len(pairs) < len(out) or len(cand_slots) < len(out):
        raise ValueError("locked meetings repeat a pair or double-book a candidate")
    if any(n > limit for n in per_cand.values()) or any(n > tables.get(e, 0) for (e, _), n in per_table.items()):
        raise ValueError("locked meetings exceed a candidate's limit or an employer's tables")
    return out


def fair_bonus(weights: np.ndarray) -> float:
    """A first-meeting bonus larger than any total value, so coverage strictly comes first."""
    return float(weights.sum()) + 1.0


def select_pairs(inst: Instance, *, fair: bool) -> tuple[np.ndarray, float]:
    """Maximum-weight b-matching (exact, via the LP's integral vertex); returns the pair mask and its value."""
    n, n_cand = inst.n_pairs, len(inst.cand_ids)
    if n == 0:
        return np.zeros(0, dtype=bool), 0.0
    scale = float(inst.w.max())
    ws = inst.w / scale  # keeps the fair bonus within a few orders of magnitude of the values
    a_cand, a_emp = inst.incidence()
    if not fair:
        res = linprog(
            -ws,
            A_ub=sparse.vstack([a_cand, a_emp]).tocsc(),
            b_ub=np.concatenate([inst.cand_cap, inst.emp_cap]),
            bounds=(0, 1),
            method="highs-ds",
        )
    else:
        # Flow form: a candidate's meetings split into a "first" arc (≤ 1, big bonus) and the rest;
        # the matrix stays a network matrix, so the vertex is still integral.
        eye = sparse.identity(n_cand, format="csr")
        zeros = sparse.csr_matrix((len(inst.emp_ids), n_cand))
        res = linprog(
            -np.concatenate([ws, np.full(n_cand, fair_bonus(ws)), np.zeros(n_cand)]),
            A_eq=sparse.hstack([a_cand, -eye, -eye]).tocsc(),
            b_eq=np.zeros(n_cand),
            A_ub=sparse.hstack([a_emp, zeros, zeros]).tocsc(),
            b_ub=inst.emp_cap,
            bounds=[(0, 1)] * n
            # A candidate with a locked meeting is already served: no first-meeting bonus for them.
            + [
                (0, 0.0 if served else min(1.0, cap))
                for cap, served in zip(inst.cand_cap, inst.cand_served, strict=True)
            ]
            + [
                (0, cap if served else max(cap - 1.0, 0.0))
                for cap, served in zip(inst.cand_cap, inst.cand_served, strict=True)
            ],
            method="highs-ds",
        )
    if res.status != 0:  # pragma: no cover - HiGHS does not fail on a bounded feasible LP
        raise RuntimeError(f"pair selection LP failed: {res.message}")
    chosen = res.x[:n] > 0.5
    return chosen, float(inst.w[chosen].sum())


def schedule_meetings(
    weights: Mapping[tuple[str, str], float],
    *,
    slots: int,
    tables: Mapping[str, int],
    candidate_limit: int,
    unavailable: Mapping[str, Collection[int]] | None = None,
    fair: bool = False,
) -> list[tuple[str, str, int]]:
    """Schedule one-to-one meetings of the largest total value; see the module docstring.

    weights: (candidate_id, employer_id) -> value > 0; absent pairs never meet.
    tables: employer_id -> meetings it can hold in one slot (employers absent here never meet).
    unavailable: candidate or employer id -> slots in which it cannot meet.
    fair: first give as many candidates as possible a meeting, then maximise value.
    Returns (candidate_id, employer_id, slot) triples sorted by slot, employer, candidate.
    """
    return reschedule_meetings(
        weights,
        locked=(),
        slots=slots,
        tables=tables,
        candidate_limit=candidate_limit,
        unavailable=unavailable,
        fair=fair,
    )


def reschedule_meetings(
    weights: Mapping[tuple[str, str], float],
    *,
    locked: Collection[tuple[str, str, int]],
    slots: int,
    tables: Mapping[str, int],
    candidate_limit: int,
    unavailable: Mapping[str, Collection[int]] | None = None,
    fair: bool = False,
) -> list[tuple[str, str, int]]:
    """``schedule_meetings`` around meetings that must stay exactly where they are (confirmed or locked).

    The result holds the locked meetings plus the new ones; in fair mode a candidate with a locked
    meeting already counts as served. Raises ValueError if the locked meetings break a constraint.
    """
    inst = Instance(
        weights, slots=slots, tables=tables, candidate_limit=candidate_limit, unavailable=unavailable, locked=locked
    )
    if inst.n_pairs == 0 or slots == 0:
        return sorted(inst.locked, key=lambda m: (m[2], m[1], m[0]))
    chosen = np.flatnonzero(select_pairs(inst, fair=fair)[0])
    best: SlotColouring | None = None
    # Two insertion orders (most valuable first; most constrained first) when availability limits
    # bite: neither wins always, and each costs a fraction of the LP.
    for tight in (False, True) if inst.restricted else (False,):
        colouring = SlotColouring(inst)
        placed = [colouring.insert(p, deep=False) for p in _priority_order(inst, chosen, fair=fair, tight=tight)]
        if all(placed):
            # Every chosen pair placed: the schedule reaches the LP bound, so it is optimal.
            best = colouring
            break
        _repair(inst, colouring, fair=fair)
        if best is None or _quality(inst, colouring, fair=fair) > _quality(inst, best, fair=fair):
            best = colouring
    assert best is not None
    colouring = best
    result = [(inst.cand_ids[inst.pc[p]], inst.emp_ids[inst.pe[p]], slot) for p, slot in colouring.meetings()]
    result += inst.locked
    result.sort(key=lambda m: (m[2], m[1], m[0]))
    return result


def _priority_order(inst: Instance, pairs: np.ndarray, *, fair: bool, tight: bool = False) -> list[int]:
    """Most valuable first; in fair mode every candidate's best pair goes before anybody's second.

    With ``tight``, pairs with fewer slots both sides can attend go first within each group.
    """
    if len(pairs) == 0:
        return []
    by_value = pairs[np.argsort(-inst.w[pairs], kind="stable")].tolist()
    groups = [by_value]
    if fair:
        seen = {c for c, served in enumerate(inst.cand_served) if served}
        first: list[int] = []
        rest: list[int] = []
        for p in by_value:
            c = int(inst.pc[p])
            (rest if c in seen else first).append(p)
            seen.add(c)
        groups = [first, rest]
    if tight:

        def common(p: int) -> int:
            return sum(a and b for a, b in zip(inst.cand_ok[inst.pc[p]], inst.emp_ok[inst.pe[p]], strict=True))

        groups = [sorted(group, key=common) for group in groups]
    return [p for group in groups for p in group]


def _quality(inst: Instance, colouring: SlotColouring, *, fair: bool) -> tuple[int, float]:
    """What the objective compares: (candidates covered, in fair mode only; total value)."""
    covered = sum(1 for c, n in enumerate(colouring.cand_count) if n > 0 or inst.cand_served[c]) if fair else 0
    return covered, sum(inst.w[p] for p, _ in colouring.meetings())


def _repair(inst: Instance, colouring: SlotColouring, *, fair: bool) -> None:
    """Win back value the availability limits cost the colouring: insert, then swap at full tables."""
    all_pairs = np.arange(inst.n_pairs)
    for _ in range(3):
        changed = False
        for p in _priority_order(inst, all_pairs, fair=fair):
            if colouring.slot_of(p) < 0 and colouring.cand_count[inst.pc[p]] < inst.cand_limit[inst.pc[p]]:
                changed |= colouring.insert(p, deep=True)
        for p in _priority_order(inst, all_pairs, fair=fair):
            if colouring.slot_of(p) < 0 and colouring.cand_count[inst.pc[p]] < inst.cand_limit[inst.pc[p]]:
                changed |= colouring.replace_weaker(p, protect_only_meeting=fair)
        if not changed:
            break
