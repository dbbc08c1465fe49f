"""Building the matching side of a job fair from plain data: openings with the skills and languages
they ask for, candidate profiles with theirs, and a whole random fair for the benchmarks.

One builder for `manage.py matching_demo` (a curated demo), bench/checkin.py (a random fair of
thousands) and the tests' small fair (tests/matching/fair_setup.py). Skills are named by slug.
"""

from __future__ import annotations

import random
from typing import Any

from events.models import Event, Organisation, User
from matching.models import (
    Booth,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    FairConfig,
    Opening,
    OpeningLanguage,
    OpeningSkill,
    Skill,
)


def _skills(slugs: Any) -> dict[str, Skill]:
    return {s.slug: s for s in Skill.objects.filter(slug__in=list(slugs))}


def opening_create(
    *,
    event: Event,
    organisation: Organisation,
    title: str,
    required: dict[str, int],
    nice: dict[str, int] | None = None,
    languages: dict[str, int] | None = None,
    **fields: Any,
) -> Opening:
    """An opening asking for these skills (slug -> minimum level) and languages (code -> level, required)."""
    nice = nice or {}
    skills = _skills([*required, *nice])
    opening = Opening.objects.create(event=event, organisation=organisation, title=title, **fields)
    # One row at a time, as a person editing the opening would: model signals see each.
    for needs, required_ in ((required, True), (nice, False)):
        for slug, level in needs.items():
            OpeningSkill.objects.create(opening=opening, skill=skills[slug], required=required_, min_level=level)
    for code, level in (languages or {}).items():
        OpeningLanguage.objects.create(opening=opening, language=code, min_level=level)
    return opening


def profile_set(
    *, user: User, skills: dict[str, int], languages: dict[str, int] | None = None, **fields: Any
) -> CandidateProfile:
    """The person's candidate profile with exactly these skills (slug -> level) and these languages."""
    profile, _ = CandidateProfile.objects.update_or_create(user=user, defaults=fields)
    profile.skill_levels.all().delete()
    by_slug = _skills(skills)
    for slug, level in skills.items():
        CandidateSkill.objects.create(profile=profile, skill=by_slug[slug], level=level)
    for code, level in (languages or {}).items():
        CandidateLanguage.objects.update_or_create(profile=profile, language=code, defaults={"level": level})
    return profile


def random_fair(event: Event, candidates: list[User], *, employers: int = 20, seed: int = 7) -> list[Organisation]:
    """A fair whose every arrival costs the matching engine what it would at a real one: `employers`
    with a booth and two openings each, and a profile for each candidate (written in bulk, as there
    are thousands). Deterministic for a given seed. Returns the employers."""
    rng = random.Random(seed)
    slugs = list(Skill.objects.order_by("pk").values_list("slug", flat=True))
    skills = _skills(slugs)
    FairConfig.objects.create(event=event, starts_at=event.starts_at, ends_at=event.ends_at)
    orgs = []
    for e in range(employers):
        org, _ = Organisation.objects.get_or_create(name=f"Bench employer {e}")
        orgs.append(org)
        Booth.objects.create(event=event, organisation=org, tables=2)
        for title in ("Junior developer", "Intern"):
            fields = {
                "kind": "job" if title.startswith("Junior") else "internship",
                "country": rng.choice(["LT", "IQ"]),
                "remote_policy": rng.choice(["onsite", "hybrid", "remote"]),
                "relocation_support": rng.random() < 0.5,
                "seats": 2,
            }
            picked = rng.sample(slugs, 5)
            levels = [rng.randint(1, 3) for _ in picked]
            opening_create(
                event=event,
                organisation=org,
                title=title,
                required=dict(zip(picked[:3], levels[:3], strict=True)),
                nice=dict(zip(picked[3:], levels[3:], strict=True)),
                languages={"en": 3},
                **fields,
            )
    profiles = CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                user=u,
                years_experience=rng.randint(0, 5),
                seeking=rng.choice(["job", "internship", "both"]),
                relocate_lithuania=rng.random() < 0.6,
                remote=rng.random() < 0.7,
                cities=[rng.choice(["Baghdad", "Erbil", "Basra"])],
            )
            for u in candidates
        ]
    )
    CandidateSkill.objects.bulk_create(
        [
            CandidateSkill(profile=p, skill=skills[slug], level=rng.randint(1, 5))
            for p in profiles
            for slug in rng.sample(slugs, rng.randint(3, 8))
        ]
    )
    CandidateLanguage.objects.bulk_create(
        [
            CandidateLanguage(profile=p, language=lang, level=rng.randint(2, 5))
            for p in profiles
            for lang in ("ar", "en")
        ]
    )
    return orgs
