from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import schedule_meetings, schedule_violations
from tests.matching.schedule_instances import instances


@settings(max_examples=300, deadline=None)
@given(instance=instances(availability=True), fair=st.booleans())
def test_every_schedule_respects_every_constraint(instance, fair: bool):
    weights, kw = instance
    schedule = schedule_meetings(weights, fair=fair, **kw)
    assert schedule_violations(schedule, weights, **kw) == []


@settings(max_examples=40, deadline=None)
@given(instance=instances(availability=True, max_cand=40, max_emp=8, max_slots=6), fair=st.booleans())
def test_bigger_schedules_respect_every_constraint(instance, fair: bool):
    weights, kw = instance
    schedule = schedule_meetings(weights, fair=fair, **kw)
    assert schedule_violations(schedule, weights, **kw) == []


def test_the_checker_catches_a_double_booked_candidate():
    weights = {("c", "e1"): 1.0, ("c", "e2"): 1.0}
    bad = [("c", "e1", 0), ("c", "e2", 0)]
    problems = schedule_violations(bad, weights, slots=2, tables={"e1": 1, "e2": 1}, candidate_limit=2)
    assert problems == ["candidate c has 2 meetings in slot 0"]


def test_nobody_meets_in_a_slot_they_cannot_attend():
    weights = {("c", "e"): 5.0, ("d", "e"): 4.0}
    schedule = schedule_meetings(weights, slots=2, tables={"e": 1}, candidate_limit=1, unavailable={"c": [0], "e": [1]})
    assert schedule == [("d", "e", 0)]


def test_a_pair_meets_at_most_once_even_with_spare_slots():
    schedule = schedule_meetings({("c", "e"): 3.0}, slots=5, tables={"e": 3}, candidate_limit=5)
    assert schedule == [("c", "e", 0)]


def test_an_employer_holds_at_most_its_tables_per_slot():
    weights = {(f"c{i}", "e"): 1.0 for i in range(5)}
    schedule = schedule_meetings(weights, slots=2, tables={"e": 2}, candidate_limit=1)
    assert len(schedule) == 4
    assert sorted(t for _, _, t in schedule) == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("weights", "kw", "message"),
    [
        ({("c", "e"): 0.0}, {"slots": 1, "tables": {"e": 1}, "candidate_limit": 1}, "weight"),
        ({("c", "e"): float("nan")}, {"slots": 1, "tables": {"e": 1}, "candidate_limit": 1}, "weight"),
        ({("c", "e"): 1.0}, {"slots": -1, "tables": {"e": 1}, "candidate_limit": 1}, "slots"),
        ({("c", "e"): 1.0}, {"slots": 1, "tables": {"e": -2}, "candidate_limit": 1}, "tables"),
        ({("c", "e"): 1.0}, {"slots": 1, "tables": {"e": 1}, "candidate_limit": -1}, "candidate_limit"),
    ],
)
def test_nonsense_input_is_refused(weights, kw, message):
    with pytest.raises(ValueError, match=message):
        schedule_meetings(weights, **kw)


def test_empty_inputs_give_an_empty_schedule():
    assert schedule_meetings({}, slots=3, tables={}, candidate_limit=2) == []
    assert schedule_meetings({("c", "e"): 1.0}, slots=0, tables={"e": 1}, candidate_limit=2) == []
    assert schedule_meetings({("c", "e"): 1.0}, slots=2, tables={}, candidate_limit=2) == []
