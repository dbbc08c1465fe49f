"""The scorer's rules at their edges: what the candidate sees of their own score, how levels, related
skills, languages, places, experience and interest are credited.

Each test would fail if the rule it is named for were flipped, moved by one, or dropped (mutation
testing found these unguarded; docs/testing.md). Plain data, no database.
"""

from __future__ import annotations

import pytest

from matching.engine import WEIGHTS, Explanation, Score, SkillRequirement, Taxonomy, score
from tests.matching.engine_inputs import candidate, opening

TAXONOMY = Taxonomy({"django": ["flask", "fastapi"], "postgresql": ["mysql"]})


def factors(result) -> dict:
    return {f.code: (f.fit, f.detail) for f in result.explanation.factors}


def required_credit(skills: dict, need: int, skill: str = "python", taxonomy: Taxonomy = TAXONOMY):
    """(credit, via, level) the one required skill earns."""
    result = score(candidate(skills=skills), opening(required=(SkillRequirement(skill, need),)), taxonomy)
    ex = result.explanation
    matches = ex.matched + ex.below_level + ex.partial
    if not matches:
        return 0.0, None, 0
    return matches[0].credit, matches[0].via, matches[0].candidate_level


# What the candidate sees of their own score


def test_candidate_sees_their_own_score_rounded():
    result = score(candidate(), opening(), TAXONOMY)
    seen = result.for_candidate()
    assert result.total > 40
    assert seen.fit == round(result.total)


def test_candidate_does_not_see_an_employer_shortlisting_them():
    shortlisted = score(candidate(shortlisted_by=frozenset({"baltic"})), opening(), TAXONOMY)
    plain = score(candidate(), opening(), TAXONOMY)
    assert shortlisted.total == pytest.approx(plain.total + WEIGHTS["interest"] / 2)
    assert shortlisted.for_candidate().fit == round(plain.total)


def test_candidate_sees_their_own_star_in_their_score():
    starred = score(candidate(starred=frozenset({"baltic"})), opening(), TAXONOMY)
    plain = score(candidate(), opening(), TAXONOMY)
    assert starred.for_candidate().fit == round(plain.total + WEIGHTS["interest"] / 2)


def test_candidate_starred_and_shortlisted_sees_only_their_star():
    both = score(candidate(starred=frozenset({"baltic"}), shortlisted_by=frozenset({"baltic"})), opening(), TAXONOMY)
    assert both.for_candidate().fit == round(both.total - WEIGHTS["interest"] / 2)


def test_shortlist_by_another_employer_changes_nothing():
    other = score(candidate(shortlisted_by=frozenset({"tigris"}), starred=frozenset({"tigris"})), opening(), TAXONOMY)
    plain = score(candidate(), opening(), TAXONOMY)
    assert other.total == plain.total
    assert factors(other)["interest"] == (0.0, "")


def test_excluded_candidate_sees_zero():
    result = score(candidate(languages={"ar": 5}), opening(), TAXONOMY)
    assert result.for_candidate().fit == 0


def test_an_excluded_score_shows_the_candidate_zero_whatever_its_total():
    assert Score(42.0, Explanation(excluded="no_consent")).for_candidate().fit == 0


def test_candidate_sees_every_factor_but_interest():
    seen = score(candidate(shortlisted_by=frozenset({"baltic"})), opening(), TAXONOMY).for_candidate()
    assert [f.code for f in seen.factors] == [
        "required_skills",
        "nice_skills",
        "languages",
        "location",
        "experience",
        "kind",
    ]


def test_candidate_sees_what_to_improve_with_the_level_asked():
    seen = score(
        candidate(skills={"python": 2, "flask": 3, "mysql": 2}),
        opening(required=(SkillRequirement("python", 4), SkillRequirement("django", 3), SkillRequirement("docker", 2))),
        TAXONOMY,
    ).for_candidate()
    # Missing first, then held below the level asked, then credited only through a related skill.
    assert [(r.skill, r.level) for r in seen.to_improve] == [("docker", 2), ("python", 4), ("django", 3)]
    assert [m.skill for m in seen.partial] == ["django"]
    assert seen.matched == ()


def test_candidate_sees_the_skills_they_match():
    seen = score(candidate(skills={"python": 5, "django": 3, "docker": 2}), opening(), TAXONOMY).for_candidate()
    assert [m.skill for m in seen.matched] == ["python", "django", "docker"]
    assert seen.to_improve == () and seen.partial == ()


# Levels


def test_a_skill_at_or_above_the_level_asked_earns_full_credit():
    assert required_credit({"python": 4}, 4)[0] == 1.0
    assert required_credit({"python": 5}, 4)[0] == 1.0


def test_each_level_below_the_one_asked_costs_a_quarter():
    assert required_credit({"python": 3}, 4)[0] == 0.75
    assert required_credit({"python": 2}, 5)[0] == 0.25


def test_a_skill_far_below_the_level_asked_earns_nothing_and_is_missing():
    result = score(candidate(skills={"python": 1}), opening(required=(SkillRequirement("python", 5),)), TAXONOMY)
    assert [r.skill for r in result.explanation.missing] == ["python"]
    assert factors(result)["required_skills"] == (0.0, "0/1")


def test_levels_outside_one_to_five_count_as_the_nearest():
    # A requirement of 7 is a requirement of 5; a level of 9 is a level of 5.
    result = score(candidate(skills={"python": 9}), opening(required=(SkillRequirement("python", 7),)), TAXONOMY)
    (match,) = result.explanation.matched
    assert (match.required_level, match.candidate_level, match.credit) == (5, 5, 1.0)
    # A level of 0 on the profile is still a level held: the lowest.
    assert required_credit({"python": 0}, 2) == (0.75, None, 1)


def test_below_level_skills_are_listed_with_both_levels():
    result = score(candidate(skills={"python": 2}), opening(required=(SkillRequirement("python", 4),)), TAXONOMY)
    (match,) = result.explanation.below_level
    assert (match.skill, match.required_level, match.candidate_level, match.credit) == ("python", 4, 2, 0.5)
    assert factors(result)["required_skills"] == (0.5, "0/1")


# Related skills


def test_a_related_skill_earns_half_its_credit():
    assert required_credit({"flask": 5}, 3, skill="django") == (0.5, "flask", 5)
    assert required_credit({"flask": 2}, 3, skill="django") == (0.375, "flask", 2)


def test_the_skill_itself_wins_a_tie_with_a_related_one():
    assert required_credit({"django": 1, "flask": 5}, 3, skill="django") == (0.5, None, 1)


def test_a_related_skill_wins_when_it_earns_more_than_the_skill_itself():
    assert required_credit({"django": 1, "flask": 5}, 4, skill="django") == (0.5, "flask", 5)
    assert required_credit({"django": 1, "flask": 5}, 5, skill="django") == (0.5, "flask", 5)


def test_the_best_related_skill_earns_the_credit():
    assert required_credit({"fastapi": 1, "flask": 5}, 3, skill="django") == (0.5, "flask", 5)
    assert required_credit({"fastapi": 5, "flask": 1}, 3, skill="django") == (0.5, "fastapi", 5)


def test_related_skills_are_related_both_ways_and_never_to_themselves():
    taxonomy = Taxonomy({"flask": ["django", "flask"]})
    assert taxonomy.related("django") == frozenset({"flask"})
    assert taxonomy.related("flask") == frozenset({"django"})
    assert taxonomy.related("cobol") == frozenset()
    assert Taxonomy().related("flask") == frozenset()


def test_a_nice_skill_held_or_related_is_listed_with_its_credit():
    result = score(candidate(skills={"python": 4, "mysql": 4}), opening(), TAXONOMY)
    (nice,) = result.explanation.nice_matched
    assert (nice.skill, nice.required_level, nice.candidate_level, nice.credit, nice.via) == (
        "postgresql",
        2,
        4,
        0.5,
        "mysql",
    )
    assert factors(result)["nice_skills"] == (0.5, "1/1")


def test_a_nice_skill_not_held_is_not_listed():
    result = score(candidate(skills={"python": 4}), opening(), TAXONOMY)
    assert result.explanation.nice_matched == ()
    assert factors(result)["nice_skills"] == (0.0, "0/1")


def test_required_skills_fit_is_their_mean_credit():
    result = score(candidate(skills={"python": 4, "django": 2}), opening(), TAXONOMY)
    assert factors(result)["required_skills"] == (pytest.approx((1.0 + 0.75 + 0.0) / 3), "1/3")


# Languages


def test_a_language_at_level_zero_excludes_like_a_missing_one():
    result = score(candidate(languages={"en": 0}), opening(), TAXONOMY)
    assert result.explanation.excluded == "missing_language:en"
    assert result.total == 0.0


def test_the_first_missing_language_in_order_is_named():
    result = score(candidate(languages={}), opening(languages={"lt": 1, "en": 1}), TAXONOMY)
    assert result.explanation.excluded == "missing_language:en"


def test_a_language_below_the_level_asked_earns_its_share():
    result = score(candidate(languages={"en": 2, "lt": 4}), opening(languages={"en": 4, "lt": 2}), TAXONOMY)
    assert factors(result)["languages"] == (0.75, "below")
    assert result.explanation.languages_below == ("en",)


def test_languages_at_or_above_the_level_asked_are_full_marks():
    result = score(candidate(languages={"en": 5}), opening(languages={"en": 3}), TAXONOMY)
    assert factors(result)["languages"] == (1.0, "ok")
    assert result.explanation.languages_below == ()


# Where the work is


@pytest.mark.parametrize(
    ("opening_kw", "candidate_kw", "expected"),
    [
        ({"remote": "remote"}, {"relocate_to": frozenset()}, (1.0, "remote")),
        ({"city": "vilnius"}, {"cities": frozenset({"VILNIUS"}), "relocate_to": frozenset()}, (1.0, "same_city")),
        ({"country": "lt"}, {"relocate_to": frozenset({"LT"})}, (1.0, "relocation_supported")),
        ({"relocation_support": False}, {"relocate_to": frozenset({"lt"})}, (0.7, "relocation_unsupported")),
        ({"remote": "hybrid"}, {"relocate_to": frozenset(), "remote": True}, (0.5, "hybrid_remote")),
        ({"remote": "hybrid"}, {"relocate_to": frozenset(), "remote": False}, (0.0, "no_fit")),
        ({"remote": "onsite"}, {"relocate_to": frozenset(), "remote": True}, (0.0, "no_fit")),
        ({"city": ""}, {"cities": frozenset({""}), "relocate_to": frozenset()}, (0.0, "no_fit")),
        ({"country": ""}, {"relocate_to": frozenset({""})}, (0.0, "no_fit")),
        # The best place wins; among equals, the first in the list above.
        ({"relocation_support": False}, {"cities": frozenset({"Vilnius"})}, (1.0, "same_city")),
        ({"remote": "remote"}, {"cities": frozenset({"Vilnius"})}, (1.0, "remote")),
        ({"remote": "hybrid", "relocation_support": False}, {"remote": True}, (0.7, "relocation_unsupported")),
    ],
)
def test_location_fit_takes_the_best_place(opening_kw, candidate_kw, expected):
    assert factors(score(candidate(**candidate_kw), opening(**opening_kw), TAXONOMY))["location"] == expected


# Experience, kind, interest


@pytest.mark.parametrize(
    ("min_years", "years", "expected"),
    [
        (0, 0, (1.0, "meets")),
        (2, 2, (1.0, "meets")),
        (2, 5, (1.0, "meets")),
        (4, 1, (0.25, "short")),
        (2, -3, (0.0, "short")),
    ],
)
def test_experience_fit(min_years, years, expected):
    result = score(candidate(years_experience=years), opening(min_years=min_years), TAXONOMY)
    assert factors(result)["experience"] == expected


def test_kind_fit_follows_what_the_candidate_seeks():
    assert factors(score(candidate(seeks=frozenset({"job"})), opening(kind="job"), TAXONOMY))["kind"] == (1.0, "job")
    internship = score(candidate(seeks=frozenset({"job"})), opening(kind="internship"), TAXONOMY)
    assert factors(internship)["kind"] == (0.0, "internship")
    # Seeking nothing in particular is seeking either.
    assert factors(score(candidate(seeks=frozenset()), opening(kind="internship"), TAXONOMY))["kind"][0] == 1.0


def test_interest_names_both_sides():
    both = score(candidate(starred=frozenset({"baltic"}), shortlisted_by=frozenset({"baltic"})), opening(), TAXONOMY)
    assert factors(both)["interest"] == (1.0, "starred+shortlisted")
    shortlisted = score(candidate(shortlisted_by=frozenset({"baltic"})), opening(), TAXONOMY)
    assert factors(shortlisted)["interest"] == (0.5, "shortlisted")


def test_total_is_the_weighted_sum_of_the_fits():
    result = score(candidate(years_experience=1, starred=frozenset({"baltic"})), opening(), TAXONOMY)
    assert result.total == pytest.approx(sum(WEIGHTS[f.code] * f.fit for f in result.explanation.factors))
    assert all(f.weight == WEIGHTS[f.code] for f in result.explanation.factors)
    assert result.eligible


def test_a_perfect_candidate_scores_one_hundred():
    perfect = candidate(
        skills={"python": 5, "django": 5, "docker": 5, "postgresql": 5},
        cities=frozenset({"Vilnius"}),
        starred=frozenset({"baltic"}),
        shortlisted_by=frozenset({"baltic"}),
    )
    result = score(perfect, opening(), TAXONOMY)
    assert result.total == pytest.approx(100.0)
    assert result.for_candidate().fit == 95


def test_without_a_taxonomy_no_skill_is_related():
    result = score(candidate(skills={"flask": 5}), opening(required=(SkillRequirement("django", 1),)))
    assert [r.skill for r in result.explanation.missing] == ["django"]
