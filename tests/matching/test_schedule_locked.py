from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine.schedule_exact import schedule_milp, schedule_violations
from matching.engine.scheduling import reschedule_meetings, schedule_meetings
from tests.matching.schedule_instances import instances


@settings(max_examples=200, deadline=None)
@given(instances(availability=True, max_cand=10, max_emp=4, max_slots=4), st.booleans(), st.data())
def test_rescheduling_keeps_locked_meetings_and_every_constraint(instance, fair, data):
    weights, kw = instance
    first = schedule_meetings(weights, **kw)
    locked = data.draw(st.lists(st.sampled_from(first), unique=True)) if first else []
    again = reschedule_meetings(weights, locked=locked, fair=fair, **kw)
    assert set(locked) <= set(again)
    assert schedule_violations(again, weights, **kw) == []
    _, optimum = schedule_milp(weights, locked=locked, **kw)
    new_value = sum(weights[(c, e)] for c, e, _ in set(again) - set(locked))
    assert new_value <= optimum + 1e-6


def test_a_locked_meeting_is_never_moved_even_if_moving_it_would_pay():
    # Moving c1 to slot 1 would free slot 0 for c2, who can only come in slot 0.
    weights = {("c1", "e"): 1.0, ("c2", "e"): 5.0}
    kw = {"slots": 2, "tables": {"e": 1}, "candidate_limit": 1, "unavailable": {"c2": [1]}}
    assert set(schedule_meetings(weights, **kw)) == {("c2", "e", 0), ("c1", "e", 1)}
    assert reschedule_meetings(weights, locked=[("c1", "e", 0)], **kw) == [("c1", "e", 0)]


def test_a_candidate_with_a_locked_meeting_counts_as_served_in_fair_mode():
    weights = {("c1", "e2"): 9.0, ("c2", "e2"): 1.0}
    kw = {"slots": 1, "tables": {"e1": 1, "e2": 1}, "candidate_limit": 2}
    assert reschedule_meetings(weights, locked=[("c1", "e1", 0)], fair=True, **kw) == [
        ("c1", "e1", 0),
        ("c2", "e2", 0),
    ]


@pytest.mark.parametrize(
    "locked",
    [
        [("c1", "e", 0), ("c1", "e", 1)],  # the same pair twice
        [("c1", "e", 0), ("c2", "e", 0)],  # two meetings at a one-table employer
        [("c1", "e", 5)],  # no such slot
        [("c2", "e", 1)],  # c2 cannot come in slot 1
    ],
)
def test_locked_meetings_that_break_a_constraint_are_refused(locked):
    with pytest.raises(ValueError, match="locked"):
        reschedule_meetings(
            {("c1", "e"): 1.0}, locked=locked, slots=2, tables={"e": 1}, candidate_limit=2, unavailable={"c2": [1]}
        )
