"""The live index ranks with a vectorised score; it must agree with the explained one."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import CandidateProfile, Opening, SkillRequirement, Taxonomy, score
from matching.engine.score_matrix import ScoreMatrix

SKILLS = ["python", "django", "flask", "sql", "docker", "aws"]
LANGS = ["ar", "en", "lt"]
CITIES = ["Baghdad", "Erbil", "Vilnius"]
TAXONOMY = Taxonomy({"django": ["flask"], "sql": ["python"], "aws": ["docker"]})

levels = st.integers(0, 6)  # out-of-range levels are clamped, so include them
reqs = st.lists(st.builds(SkillRequirement, st.sampled_from(SKILLS), levels), max_size=4, unique_by=lambda r: r.skill)
openings = st.builds(
    Opening,
    id=st.just("o"),
    employer_id=st.sampled_from(["e1", "e2"]),
    kind=st.sampled_from(["job", "internship"]),
    required=reqs.map(tuple),
    nice=reqs.map(tuple),
    languages=st.dictionaries(st.sampled_from(LANGS), st.integers(1, 5), max_size=2),
    country=st.sampled_from(["", "IQ", "LT"]),
    city=st.sampled_from(["", *CITIES]),
    remote=st.sampled_from(["onsite", "hybrid", "remote"]),
    relocation_support=st.booleans(),
    min_years=st.sampled_from([0.0, 1.0, 3.0]),
)
candidates = st.builds(
    CandidateProfile,
    id=st.just("c"),
    skills=st.dictionaries(st.sampled_from(SKILLS), levels, max_size=5),
    languages=st.dictionaries(st.sampled_from(LANGS), st.integers(0, 5), max_size=3),
    years_experience=st.sampled_from([0.0, 0.5, 2.0, 5.0]),
    seeks=st.sets(st.sampled_from(["job", "internship"])).map(frozenset),
    cities=st.sets(st.sampled_from([c.lower() for c in CITIES])).map(frozenset),
    relocate_to=st.sets(st.sampled_from(["LT", "lt", "DE"])).map(frozenset),
    remote=st.booleans(),
    consent=st.booleans(),
    starred=st.sets(st.sampled_from(["e1", "e2"])).map(frozenset),
    shortlisted_by=st.sets(st.sampled_from(["e1", "e2"])).map(frozenset),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(openings, min_size=1, max_size=5), candidates)
def test_vectorised_scores_equal_the_explained_scores(opening_list, candidate):
    opening_list = [Opening(**{**o.__dict__, "id": f"o{i}"}) for i, o in enumerate(opening_list)]
    row = ScoreMatrix(opening_list, TAXONOMY).scores(candidate)
    for value, opening in zip(row.tolist(), opening_list, strict=True):
        expected = score(candidate, opening, TAXONOMY)
        if expected.eligible:
            assert value == pytest.approx(expected.total, abs=1e-4)
        else:
            assert value == -math.inf
