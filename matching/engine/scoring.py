"""Explainable candidate × opening score, 0–100, from plain data. No Django here.

The score is a weighted sum of fits in [0, 1] (weights in ``WEIGHTS``; docs/matching-engine.md
explains them). Two hard filters come first: a candidate who has not consented is never scored,
and one who does not speak a language the opening requires at all is excluded.

Explanations carry skill slugs, levels and short machine codes, never prose: the Django side turns
them into translated sentences, so this module stays free of gettext and of Django.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

# Points per factor; they add up to 100. Required skills dominate because an employer filters on
# them first; location comes next because a mismatch there usually ends the conversation.
WEIGHTS: Mapping[str, float] = {
    "required_skills": 40.0,
    "nice_skills": 10.0,
    "languages": 10.0,
    "location": 15.0,
    "experience": 10.0,
    "kind": 5.0,
    "interest": 10.0,  # half for the candidate's star, half for the employer's shortlist
}
LEVEL_STEP = 0.25  # credit lost per level below the required minimum
RELATED_CREDIT = 0.5  # a related skill counts half as much as the skill itself
RELOCATION_UNSUPPORTED = 0.7  # willing to move, but the employer offers no relocation/visa help
HYBRID_FOR_REMOTE = 0.5  # a remote-only candidate and a hybrid opening
MIN_LEVEL, MAX_LEVEL = 1, 5
KINDS = ("internship", "job")
REMOTE_POLICIES = ("onsite", "hybrid", "remote")


def level_credit(have: int, need: int) -> float:
    """Credit for a skill held at ``have`` (0 = not at all) where ``need`` is required."""
    if have <= 0:
        return 0.0
    return max(0.0, 1.0 - LEVEL_STEP * max(0, need - have))


def clamp_level(level: int) -> int:
    return min(MAX_LEVEL, max(MIN_LEVEL, int(level)))


@dataclass(frozen=True)
class SkillRequirement:
    skill: str
    level: int = 1  # minimum level, 1–5


@dataclass(frozen=True, eq=False)
class CandidateProfile:
    id: str
    skills: Mapping[str, int] = field(default_factory=dict)  # skill slug -> level 1–5
    languages: Mapping[str, int] = field(default_factory=dict)  # language code -> level 1–5
    years_experience: float = 0.0
    seeks: frozenset[str] = frozenset(KINDS)  # "internship" and/or "job"
    cities: frozenset[str] = frozenset()  # where they can work on site
    relocate_to: frozenset[str] = frozenset()  # country codes they would move to, e.g. {"LT"}
    remote: bool = False  # willing to work remotely
    consent: bool = False  # to be shown to employers; without it the candidate is never scored
    starred: frozenset[str] = frozenset()  # employer ids the candidate starred
    shortlisted_by: frozenset[str] = frozenset()  # employer ids that shortlisted the candidate


@dataclass(frozen=True, eq=False)
class Opening:
    id: str
    employer_id: str
    kind: str = "job"
    required: tuple[SkillRequirement, ...] = ()
    nice: tuple[SkillRequirement, ...] = ()
    languages: Mapping[str, int] = field(default_factory=dict)  # required language -> minimum level
    country: str = ""
    city: str = ""
    remote: str = "onsite"  # onsite | hybrid | remote
    relocation_support: bool = False  # relocation or visa support for candidates from abroad
    min_years: float = 0.0


class Taxonomy:
    """Which skills count as related (symmetric). Aliases are resolved before data reaches the engine."""

    def __init__(self, related: Mapping[str, Iterable[str]] | None = None) -> None:
        graph: dict[str, set[str]] = {}
        for skill, others in (related or {}).items():
            for other in others:
                if other != skill:
                    graph.setdefault(skill, set()).add(other)
                    graph.setdefault(other, set()).add(skill)
        self._related = {skill: frozenset(others) for skill, others in graph.items()}

    def related(self, skill: str) -> frozenset[str]:
        return self._related.get(skill, frozenset())


@dataclass(frozen=True)
class SkillMatch:
    skill: str  # the skill the opening asks for
    required_level: int
    candidate_level: int  # level of the skill that earned the credit (``via`` if set), 0 if none
    credit: float  # 0–1
    via: str | None = None  # the related skill that earned partial credit


@dataclass(frozen=True)
class Factor:
    code: str  # a key of WEIGHTS
    weight: float
    fit: float  # 0–1
    detail: str = ""  # machine code for the reason, e.g. "relocation_supported"

    @property
    def points(self) -> float:
        return self.weight * self.fit


@dataclass(frozen=True)
class Explanation:
    matched: tuple[SkillMatch, ...] = ()  # required skills held at the required level or above
    below_level: tuple[SkillMatch, ...] = ()  # required skills held, but below the level asked
    partial: tuple[SkillMatch, ...] = ()  # required skills credited through a related skill
    missing: tuple[SkillRequirement, ...] = ()  # required skills with no credit at all
    nice_matched: tuple[SkillMatch, ...] = ()
    languages_below: tuple[str, ...] = ()
    factors: tuple[Factor, ...] = ()
    excluded: str | None = None  # "no_consent" or "missing_language:<code>"


@dataclass(frozen=True)
class CandidateExplanation:
    """What the candidate may see: no employer-private signal (the shortlist) and no raw points."""

    fit: int  # 0–100, without the shortlist component
    matched: tuple[SkillMatch, ...]
    to_improve: tuple[SkillRequirement, ...]  # missing or below-level required skills, with the level asked
    partial: tuple[SkillMatch, ...]
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Score:
    total: float  # 0–100; 0 when excluded
    explanation: Explanation

    @property
    def eligible(self) -> bool:
        return self.explanation.excluded is None

    def for_candidate(self) -> CandidateExplanation:
        ex = self.explanation
        shortlisted = "shortlisted" in _interest_codes(ex)
        fit = round(self.total - (WEIGHTS["interest"] / 2 if shortlisted else 0.0)) if self.eligible else 0
        to_improve = tuple(SkillRequirement(m.skill, m.required_level) for m in ex.below_level + ex.partial)
        return CandidateExplanation(
            fit=int(fit),
            matched=ex.matched,
            to_improve=ex.missing + to_improve,
            partial=ex.partial,
            factors=tuple(f for f in ex.factors if f.code != "interest"),
        )


def _interest_codes(ex: Explanation) -> set[str]:
    detail = next((f.detail for f in ex.factors if f.code == "interest"), "")
    return set(detail.split("+")) if detail else set()


def requirement_credit(
    req: SkillRequirement, skills: Mapping[str, int], taxonomy: Taxonomy
) -> tuple[float, str | None, int]:
    """(credit, related skill used or None, level that earned it) for one required skill."""
    need = clamp_level(req.level)
    have = clamp_level(skills[req.skill]) if req.skill in skills else 0
    best = (level_credit(have, need), None, have)
    for other in sorted(taxonomy.related(req.skill)):
        if other in skills:
            level = clamp_level(skills[other])
            credit = RELATED_CREDIT * level_credit(level, need)
            if credit > best[0]:
                best = (credit, other, level)
    return best


def location_fit(candidate: CandidateProfile, opening: Opening) -> tuple[float, str]:
    options = [(0.0, "no_fit")]
    if opening.remote == "remote":
        options.append((1.0, "remote"))
    if opening.city and opening.city.casefold() in {c.casefold() for c in candidate.cities}:
        options.append((1.0, "same_city"))
    if opening.country and opening.country.casefold() in {c.casefold() for c in candidate.relocate_to}:
        if opening.relocation_support:
            options.append((1.0, "relocation_supported"))
        else:
            options.append((RELOCATION_UNSUPPORTED, "relocation_unsupported"))
    if opening.remote == "hybrid" and candidate.remote:
        options.append((HYBRID_FOR_REMOTE, "hybrid_remote"))
    return max(options, key=lambda o: o[0])


def score(candidate: CandidateProfile, opening: Opening, taxonomy: Taxonomy | None = None) -> Score:
    """The explained score of one candidate for one opening (the reference the live index vectorises)."""
    taxonomy = taxonomy or Taxonomy()
    if not candidate.consent:
        return Score(0.0, Explanation(excluded="no_consent"))
    for lang in sorted(opening.languages):
        if candidate.languages.get(lang, 0) <= 0:
            return Score(0.0, Explanation(excluded=f"missing_language:{lang}"))

    matched, below, partial, missing = [], [], [], []
    credits = []
    for req in opening.required:
        credit, via, level = requirement_credit(req, candidate.skills, taxonomy)
        credits.append(credit)
        match = SkillMatch(req.skill, clamp_level(req.level), level, credit, via)
        if credit == 0.0:
            missing.append(req)
        elif via is not None:
            partial.append(match)
        elif credit < 1.0:
            below.append(match)
        else:
            matched.append(match)
    nice_credits, nice_matched = [], []
    for req in opening.nice:
        credit, via, level = requirement_credit(req, candidate.skills, taxonomy)
        nice_credits.append(credit)
        if credit > 0:
            nice_matched.append(SkillMatch(req.skill, clamp_level(req.level), level, credit, via))

    lang_fits, langs_below = [], []
    for lang, need in sorted(opening.languages.items()):
        fit = min(1.0, clamp_level(candidate.languages[lang]) / clamp_level(need))
        lang_fits.append(fit)
        if fit < 1.0:
            langs_below.append(lang)

    loc, loc_detail = location_fit(candidate, opening)
    exp = 1.0 if opening.min_years <= 0 else min(1.0, max(0.0, candidate.years_experience) / opening.min_years)
    kind_ok = not candidate.seeks or opening.kind in candidate.seeks
    interest = [
        code
        for code, on in (
            ("starred", opening.employer_id in candidate.starred),
            ("shortlisted", opening.employer_id in candidate.shortlisted_by),
        )
        if on
    ]
    factors = (
        Factor("required_skills", WEIGHTS["required_skills"], _mean(credits), f"{len(matched)}/{len(credits)}"),
        Factor("nice_skills", WEIGHTS["nice_skills"], _mean(nice_credits), f"{len(nice_matched)}/{len(nice_credits)}"),
        Factor("languages", WEIGHTS["languages"], _mean(lang_fits), "below" if langs_below else "ok"),
        Factor("location", WEIGHTS["location"], loc, loc_detail),
        Factor("experience", WEIGHTS["experience"], exp, "meets" if exp >= 1.0 else "short"),
        Factor("kind", WEIGHTS["kind"], 1.0 if kind_ok else 0.0, opening.kind),
        Factor("interest", WEIGHTS["interest"], len(interest) / 2, "+".join(interest)),
    )
    explanation = Explanation(
        matched=tuple(matched),
        below_level=tuple(below),
        partial=tuple(partial),
        missing=tuple(missing),
        nice_matched=tuple(nice_matched),
        languages_below=tuple(langs_below),
        factors=factors,
    )
    return Score(sum(f.points for f in factors), explanation)


def _mean(values: Collection[float]) -> float:
    """Mean fit; an opening that asks for nothing in a factor gives everybody full marks there."""
    return sum(values) / len(values) if values else 1.0
