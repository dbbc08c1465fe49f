from __future__ import annotations

import pytest

from matching.engine import WEIGHTS, Taxonomy, score
from tests.matching.engine_inputs import candidate as _candidate
from tests.matching.engine_inputs import opening as _opening

TAXONOMY = Taxonomy({"django": ["flask"], "postgresql": ["mysql"]})


def test_weights_add_up_to_one_hundred():
    assert sum(WEIGHTS.values()) == 100


def test_without_consent_a_candidate_is_never_scored():
    result = score(_candidate(consent=False), _opening(), TAXONOMY)
    assert (result.total, result.eligible, result.explanation.excluded) == (0.0, False, "no_consent")


def test_a_missing_required_language_excludes_the_candidate():
    result = score(_candidate(languages={"ar": 5}), _opening(), TAXONOMY)
    assert not result.eligible
    assert result.explanation.excluded == "missing_language:en"


def test_a_required_language_below_level_costs_points_but_does_not_exclude():
    fluent = score(_candidate(), _opening(), TAXONOMY)
    basic = score(_candidate(languages={"en": 1}), _opening(), TAXONOMY)
    assert basic.eligible
    assert basic.explanation.languages_below == ("en",)
    assert fluent.total - basic.total == pytest.approx(WEIGHTS["languages"] * (1 - 1 / 3))


def test_explanation_lists_matched_partial_and_missing_required_skills():
    ex = score(_candidate(), _opening(), TAXONOMY).explanation
    assert [(m.skill, m.candidate_level) for m in ex.matched] == [("python", 4)]
    assert [(m.skill, m.via, m.credit) for m in ex.partial] == [("django", "flask", 0.5)]
    assert [r.skill for r in ex.missing] == ["docker"]
    assert [(m.skill, m.via) for m in ex.nice_matched] == [("postgresql", "mysql")]


def test_a_lower_level_earns_less_than_the_required_level_but_more_than_nothing():
    at_level = score(_candidate(skills={"docker": 2}), _opening(), TAXONOMY)
    below = score(_candidate(skills={"docker": 1}), _opening(), TAXONOMY)
    none = score(_candidate(skills={}), _opening(), TAXONOMY)
    assert at_level.total > below.total > none.total
    assert [(m.skill, m.credit) for m in below.explanation.below_level] == [("docker", 0.75)]


def test_a_related_skill_earns_less_than_the_skill_itself():
    own = score(_candidate(skills={"django": 3}), _opening(), TAXONOMY).total
    related = score(_candidate(skills={"flask": 3}), _opening(), TAXONOMY).total
    assert own - related == pytest.approx(WEIGHTS["required_skills"] * 0.5 / 3)


def test_factor_breakdown_adds_up_to_the_total():
    result = score(_candidate(starred=frozenset({"baltic"})), _opening(), TAXONOMY)
    factors = {f.code: f for f in result.explanation.factors}
    assert set(factors) == set(WEIGHTS)
    assert sum(f.points for f in factors.values()) == pytest.approx(result.total)
    assert factors["location"].detail == "relocation_supported"
    assert factors["interest"].detail == "starred"


@pytest.mark.parametrize(
    ("opening", "candidate", "fit", "detail"),
    [
        ({"remote": "remote"}, {"relocate_to": frozenset()}, 1.0, "remote"),
        ({"country": "IQ", "city": "baghdad"}, {}, 1.0, "same_city"),
        ({"relocation_support": False}, {}, 0.7, "relocation_unsupported"),
        ({"remote": "hybrid"}, {"relocate_to": frozenset(), "remote": True}, 0.5, "hybrid_remote"),
        ({}, {"relocate_to": frozenset()}, 0.0, "no_fit"),
    ],
)
def test_location_fit(opening, candidate, fit, detail):
    factors = {f.code: f for f in score(_candidate(**candidate), _opening(**opening), TAXONOMY).explanation.factors}
    assert (factors["location"].fit, factors["location"].detail) == (fit, detail)


def test_experience_and_kind_fit():
    junior = score(_candidate(years_experience=1, seeks=frozenset({"internship"})), _opening(), TAXONOMY)
    factors = {f.code: f.fit for f in junior.explanation.factors}
    assert factors["experience"] == 0.5
    assert factors["kind"] == 0.0


def test_mutual_interest_counts_both_sides():
    plain = score(_candidate(), _opening(), TAXONOMY).total
    starred = score(_candidate(starred=frozenset({"baltic"})), _opening(), TAXONOMY).total
    both = score(_candidate(starred=frozenset({"baltic"}), shortlisted_by=frozenset({"baltic"})), _opening(), TAXONOMY)
    assert starred - plain == pytest.approx(WEIGHTS["interest"] / 2)
    assert both.total - plain == pytest.approx(WEIGHTS["interest"])


def test_candidate_facing_explanation_hides_the_employer_shortlist():
    shortlisted = score(_candidate(shortlisted_by=frozenset({"baltic"})), _opening(), TAXONOMY)
    not_shortlisted = score(_candidate(), _opening(), TAXONOMY)
    seen = shortlisted.for_candidate()
    assert seen == not_shortlisted.for_candidate()
    assert all(f.code != "interest" for f in seen.factors)
    assert [r.skill for r in seen.to_improve] == ["docker", "django"]


def test_an_opening_without_requirements_gives_full_marks_for_skills():
    result = score(_candidate(skills={}), _opening(required=(), nice=()), TAXONOMY)
    factors = {f.code: f.fit for f in result.explanation.factors}
    assert factors["required_skills"] == factors["nice_skills"] == 1.0
