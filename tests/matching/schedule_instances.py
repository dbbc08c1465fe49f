"""Hypothesis strategies for small scheduling instances, shared by the schedule tests."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def instances(draw, *, availability: bool = True, max_cand: int = 6, max_emp: int = 4, max_slots: int = 4):
    n_cand = draw(st.integers(1, max_cand))
    n_emp = draw(st.integers(1, max_emp))
    slots = draw(st.integers(1, max_slots))
    cands = [f"c{i}" for i in range(n_cand)]
    emps = [f"e{j}" for j in range(n_emp)]
    pairs = draw(st.lists(st.sampled_from([(c, e) for c in cands for e in emps]), unique=True))
    weights = {p: draw(st.integers(1, 30)) / 2 for p in pairs}
    tables = {e: draw(st.integers(0, 2)) for e in emps}
    limit = draw(st.integers(0, 3))
    unavailable = None
    if availability:
        unavailable = {
            who: set(draw(st.lists(st.integers(0, slots - 1), max_size=slots)))
            for who in draw(st.lists(st.sampled_from(cands + emps), unique=True))
        }
    return weights, {"slots": slots, "tables": tables, "candidate_limit": limit, "unavailable": unavailable}
