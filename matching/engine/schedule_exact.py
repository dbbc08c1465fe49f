"""Exact reference for the scheduler (scipy.optimize.milp with HiGHS) and schedule checks/figures.

Used by the property tests and the benchmark to measure ``schedule_meetings`` against the optimum;
far too slow for a big fair, which is why the scheduler itself does not use it. No Django here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.engine.scheduling import Instance, fair_bonus

__all__ = ["ScheduleStats", "schedule_milp", "schedule_stats", "schedule_violations"]


def schedule_milp(
    weights: Mapping[tuple[str, str], float],
    *,
    slots: int,
    tables: Mapping[str, int],
    candidate_limit: int,
    unavailable: Mapping[str, Collection[int]] | None = None,
    fair: bool = False,
    locked: Collection[tuple[str, str, int]] = (),
    relax: bool = False,
    time_limit: float | None = None,
) -> tuple[list[tuple[str, str, int]], float]:
    """Time-expanded MILP: x[pair, slot] binary. Returns (schedule, objective bound or value).

    With ``relax`` the integrality is dropped and the second item is the LP-relaxation bound
    (the schedule is then empty). ``locked`` meetings are kept and not counted in the value. In
    fair mode the objective is the same big-M lexicographic one
    as the heuristic uses; the returned value is always the plain total value (or LP bound of it).
    """
    inst = Instance(
        weights, slots=slots, tables=tables, candidate_limit=candidate_limit, unavailable=unavailable, locked=locked
    )
    n_cand = len(inst.cand_ids)
    var_p: list[int] = []
    var_t: list[int] = []
    for p in range(inst.n_pairs):
        ok_c, ok_e = inst.cand_ok[inst.pc[p]], inst.emp_ok[inst.pe[p]]
        for t in range(slots):
            if ok_c[t] and ok_e[t]:
                var_p.append(p)
                var_t.append(t)
    n = len(var_p)
    if n == 0:
        return list(inst.locked), 0.0
    vp, vt = np.asarray(var_p), np.asarray(var_t)
    cols, ones = np.arange(n), np.ones(n)
    vc, ve = inst.pc[vp], inst.pe[vp]
    rows = [
        (sparse.csr_matrix((ones, (vp, cols)), shape=(inst.n_pairs, n)), np.ones(inst.n_pairs)),
        (sparse.csr_matrix((ones, (vc * slots + vt, cols)), shape=(n_cand * slots, n)), np.ones(n_cand * slots)),
        (sparse.csr_matrix((ones, (vc, cols)), shape=(n_cand, n)), np.asarray(inst.cand_limit, dtype=float)),
        (
            sparse.csr_matrix((ones, (ve * slots + vt, cols)), shape=(len(inst.emp_ids) * slots, n)),
            np.array([inst.tables_at(e, t) for e in range(len(inst.emp_ids)) for t in range(slots)], dtype=float),
        ),
    ]
    scale = float(inst.w.max())
    cost = inst.w[vp] / scale
    n_total = n
    if fair:
        # y_c <= sum of c's meetings, y_c <= 1, with the same big bonus as the heuristic's LP.
        cover = sparse.hstack([-rows[2][0], sparse.identity(n_cand, format="csr")]).tocsr()
        rows = [(sparse.hstack([a, sparse.csr_matrix((a.shape[0], n_cand))]).tocsr(), b) for a, b in rows]
        rows.append((cover, np.zeros(n_cand)))
        cost = np.concatenate([cost, np.full(n_cand, fair_bonus(inst.w / scale))])
        n_total = n + n_cand
        served = np.asarray(inst.cand_served, dtype=bool)  # a locked meeting already covers them
    a = sparse.vstack([r[0] for r in rows]).tocsr()
    ub = np.concatenate([r[1] for r in rows])
    options = {"time_limit": time_limit} if time_limit else {}
    res = milp(
        -cost,
        constraints=LinearConstraint(a, -np.inf, ub),
        bounds=Bounds(0, np.concatenate([np.ones(n), np.where(served, 0.0, 1.0)]) if fair else 1),
        integrality=np.zeros(n_total) if relax else np.ones(n_total),
        options=options,
    )
    if res.x is None:  # pragma: no cover - only on a time limit without an incumbent
        raise RuntimeError(f"MILP failed: {res.message}")
    x = res.x[:n]
    if relax:
        return [], float(x @ inst.w[vp])
    picked = np.flatnonzero(x > 0.5)
    schedule = [(inst.cand_ids[inst.pc[vp[i]]], inst.emp_ids[inst.pe[vp[i]]], int(vt[i])) for i in picked]
    return schedule + inst.locked, float(inst.w[vp[picked]].sum())


def schedule_violations(
    schedule: Sequence[tuple[str, str, int]],
    weights: Mapping[tuple[str, str], float],
    *,
    slots: int,
    tables: Mapping[str, int],
    candidate_limit: int,
    unavailable: Mapping[str, Collection[int]] | None = None,
) -> list[str]:
    """Every broken constraint in ``schedule``, as readable lines (empty when the schedule is valid)."""
    unavailable = unavailable or {}
    problems: list[str] = []
    pairs = Counter((c, e) for c, e, _ in schedule)
    cand_slot = Counter((c, t) for c, _, t in schedule)
    emp_slot = Counter((e, t) for _, e, t in schedule)
    cand_total = Counter(c for c, _, _ in schedule)
    problems += [f"pair {p} meets {k} times" for p, k in pairs.items() if k > 1]
    problems += [f"pair {p} has no positive weight" for p in pairs if weights.get(p, 0) <= 0]
    problems += [f"candidate {c} has {k} meetings in slot {t}" for (c, t), k in cand_slot.items() if k > 1]
    problems += [f"candidate {c} has {k} meetings" for c, k in cand_total.items() if k > candidate_limit]
    problems += [
        f"employer {e} holds {k} meetings in slot {t}" for (e, t), k in emp_slot.items() if k > tables.get(e, 0)
    ]
    for c, e, t in schedule:
        if not 0 <= t < slots:
            problems.append(f"meeting {(c, e, t)} outside the slots")
        if t in unavailable.get(c, ()) or t in unavailable.get(e, ()):
            problems.append(f"meeting {(c, e, t)} in an unavailable slot")
    return problems


@dataclass(frozen=True)
class ScheduleStats:
    value: float
    meetings: int
    candidates: int  # candidates with at least one positive pair
    without_meeting: int
    gini: float  # of meetings per candidate, over candidates with a positive pair
    table_utilisation: float  # meetings / table-slots of employers that have any pair


def schedule_stats(
    schedule: Sequence[tuple[str, str, int]],
    weights: Mapping[tuple[str, str], float],
    *,
    slots: int,
    tables: Mapping[str, int],
) -> ScheduleStats:
    candidates = sorted({c for c, _ in weights})
    employers = {e for _, e in weights}
    per_cand = Counter(c for c, _, _ in schedule)
    counts = np.sort(np.array([per_cand.get(c, 0) for c in candidates], dtype=float))
    n = len(counts)
    gini = 0.0
    if n and counts.sum() > 0:
        gini = float((2 * np.arange(1, n + 1) - n - 1) @ counts / (n * counts.sum()))
    capacity = slots * sum(tables.get(e, 0) for e in employers)
    return ScheduleStats(
        value=float(sum(weights[(c, e)] for c, e, _ in schedule)),
        meetings=len(schedule),
        candidates=n,
        without_meeting=int((counts == 0).sum()),
        gini=gini,
        table_utilisation=len(schedule) / capacity if capacity else 0.0,
    )
