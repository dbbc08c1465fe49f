"""The matching engine's public face: plain data in, plain results out, no Django.

The Django side (matching/services.py) imports from here only:

- scoring: ``CandidateProfile``, ``Opening``, ``SkillRequirement``, ``Taxonomy``, ``score``,
  ``Score``, ``Explanation``, ``CandidateExplanation``, ``SkillMatch``, ``Factor``, ``WEIGHTS``;
- the live index of present candidates: ``LiveIndex``, ``Ranked``;
- the meeting scheduler: ``schedule_meetings``, ``reschedule_meetings`` (around locked or
  confirmed meetings), ``schedule_violations`` / ``schedule_stats`` to check a timetable and
  report on it.

docs/matching-engine.md describes the model, the algorithms and the measured figures.
"""

from __future__ import annotations

from matching.engine.live_index import LiveIndex, Ranked
from matching.engine.schedule_exact import ScheduleStats, schedule_stats, schedule_violations
from matching.engine.scheduling import reschedule_meetings, schedule_meetings
from matching.engine.scoring import (
    WEIGHTS,
    CandidateExplanation,
    CandidateProfile,
    Explanation,
    Factor,
    Opening,
    Score,
    SkillMatch,
    SkillRequirement,
    Taxonomy,
    score,
)

__all__ = [
    "WEIGHTS",
    "CandidateExplanation",
    "CandidateProfile",
    "Explanation",
    "Factor",
    "LiveIndex",
    "Opening",
    "Ranked",
    "ScheduleStats",
    "Score",
    "SkillMatch",
    "SkillRequirement",
    "Taxonomy",
    "reschedule_meetings",
    "schedule_meetings",
    "schedule_stats",
    "schedule_violations",
    "score",
]
