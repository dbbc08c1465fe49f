from __future__ import annotations

import pytest

from matching.engine import schedule_stats


def test_stats_report_value_coverage_gini_and_table_use():
    weights = {("a", "e"): 3.0, ("b", "e"): 1.0, ("c", "f"): 2.0, ("a", "f"): 4.0}
    schedule = [("a", "e", 0), ("a", "f", 1)]
    stats = schedule_stats(schedule, weights, slots=2, tables={"e": 1, "f": 2})
    assert stats.value == 7.0
    assert stats.meetings == 2
    assert (stats.candidates, stats.without_meeting) == (3, 2)
    # Meetings per candidate (0, 0, 2): all of it with one of three people.
    assert stats.gini == pytest.approx(2 / 3)
    assert stats.table_utilisation == pytest.approx(2 / 6)


def test_an_even_schedule_has_a_gini_of_zero():
    weights = {("a", "e"): 1.0, ("b", "e"): 1.0}
    stats = schedule_stats([("a", "e", 0), ("b", "e", 1)], weights, slots=2, tables={"e": 1})
    assert (stats.gini, stats.without_meeting, stats.table_utilisation) == (0.0, 0, 1.0)
