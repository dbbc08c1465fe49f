from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from matching.engine import schedule_meetings
from matching.engine.schedule_exact import schedule_milp
from tests.matching.schedule_instances import instances


def _value(schedule, weights) -> float:
    return sum(weights[(c, e)] for c, e, _ in schedule)


def _covered(schedule) -> int:
    return len({c for c, _, _ in schedule})


@settings(max_examples=150, deadline=None)
@given(instances(availability=False, max_cand=10, max_emp=5, max_slots=3))
def test_without_availability_limits_the_value_equals_the_milp_optimum(instance):
    weights, kw = instance
    _, optimum = schedule_milp(weights, **kw)
    assert _value(schedule_meetings(weights, **kw), weights) == pytest.approx(optimum, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(instances(availability=False, max_cand=10, max_emp=5, max_slots=3))
def test_fair_mode_covers_as_many_candidates_as_the_milp_then_matches_its_value(instance):
    weights, kw = instance
    exact, _ = schedule_milp(weights, fair=True, **kw)
    ours = schedule_meetings(weights, fair=True, **kw)
    assert _covered(ours) == _covered(exact)
    assert _value(ours, weights) == pytest.approx(_value(exact, weights), abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(instances(availability=True))
def test_with_availability_limits_the_value_never_beats_the_optimum(instance):
    # Guards the checker and the MILP as much as the heuristic: above the optimum means a broken constraint.
    weights, kw = instance
    _, optimum = schedule_milp(weights, **kw)
    assert _value(schedule_meetings(weights, **kw), weights) <= optimum + 1e-6


def test_fair_mode_gives_the_weaker_candidate_a_meeting():
    # One table, two slots: pure value gives both slots to the strong candidate.
    weights = {("strong", "e1"): 10.0, ("strong", "e2"): 8.0, ("weak", "e1"): 1.0}
    kw = {"slots": 2, "tables": {"e1": 1, "e2": 1}, "candidate_limit": 2}
    plain = schedule_meetings(weights, **kw)
    fair = schedule_meetings(weights, fair=True, **kw)
    assert Counter(c for c, _, _ in plain) == {"strong": 2, "weak": 1}  # both fit: no conflict yet
    kw["slots"] = 1
    assert {c for c, _, _ in schedule_meetings(weights, **kw)} == {"strong"}
    assert {c for c, _, _ in schedule_meetings(weights, fair=True, **kw)} == {"strong", "weak"}
    assert _value(fair, weights) == 19.0
