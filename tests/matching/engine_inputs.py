"""Plain engine inputs for the scorer's tests: an opening and a candidate, each overridable by keyword."""

from __future__ import annotations

from matching.engine import CandidateProfile, Opening, SkillRequirement


def opening(**kw) -> Opening:
    defaults = {
        "id": "o1",
        "employer_id": "baltic",
        "kind": "job",
        "required": (SkillRequirement("python", 4), SkillRequirement("django", 3), SkillRequirement("docker", 2)),
        "nice": (SkillRequirement("postgresql", 2),),
        "languages": {"en": 3},
        "country": "LT",
        "city": "Vilnius",
        "remote": "onsite",
        "relocation_support": True,
        "min_years": 2,
    }
    return Opening(**(defaults | kw))


def candidate(**kw) -> CandidateProfile:
    defaults = {
        "id": "c1",
        "skills": {"python": 4, "flask": 3, "mysql": 2},
        "languages": {"ar": 5, "en": 3},
        "years_experience": 3,
        "seeks": frozenset({"job"}),
        "cities": frozenset({"Baghdad"}),
        "relocate_to": frozenset({"LT"}),
        "consent": True,
    }
    return CandidateProfile(**(defaults | kw))
