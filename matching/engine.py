"""The matching engine's public face: plain data in, plain results out, no Django.

The Django side (matching/services.py) imports from here only:

- scoring: ``CandidateProfile``, ``Opening``, ``SkillRequirement``, ``Taxonomy``, ``score``,
  ``Score``, ``Explanation``, ``CandidateExplanation``, ``WEIGHTS``;
- the live index of present candidates: ``LiveIndex``, ``Ranked``;
- the meeting scheduler: ``schedule_meetings``.

docs/matching-engine.md describes the model, the algorithms and the measured figures.
"""

from __future__ import annotations

from matching.scheduling import schedule_meetings

__all__ = ["schedule_meetings"]
