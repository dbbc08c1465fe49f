"""Django models -> the engine's plain data, and the engine's answers -> what pages and pushes show.

Scoring is the engine's (matching/engine/scoring.py, no Django); matching/board/index.py holds the
live index built from this data. Everything Django-specific stays on this side.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from checkin.models import Ticket
from checkin.tickets import parse_payload
from events.models import Event, Registration
from matching.engine import scoring as engine_scoring  # the pure engine's scorer
from matching.models import CandidateLanguage, CandidateProfile, CandidateSkill, Opening, Skill

# A fair keeps thousands of these for the whole day (matching/board/roster.py) and the garbage
# collector walks every container among them on each full collection: slots instead of a __dict__,
# and one shared empty set for the many candidates nobody starred or shortlisted.
NOBODY: frozenset = frozenset()


def frozen(values: Any) -> frozenset:
    return frozenset(values) or NOBODY


@dataclass(slots=True)
class CandidateData:
    id: int
    skills: dict[int, int]  # skill id -> level 1..5
    languages: dict[str, int]
    years: int
    seeking: str
    cities: tuple[str, ...]
    relocate: bool
    remote: bool
    starred: frozenset[int] = NOBODY  # organisation ids
    shortlisted_by: frozenset[int] = NOBODY


@dataclass
class OpeningData:
    id: int
    organisation_id: int
    kind: str
    country: str
    city: str
    remote_policy: str
    relocation: bool
    min_years: int
    required: dict[int, int]  # skill id -> min level
    nice: dict[int, int]
    languages_required: dict[str, int]
    languages_nice: dict[str, int]


@dataclass
class Suggestion:
    candidate_id: int
    opening_id: int
    score: float
    explanation: dict[str, Any]
    # What the board ranks by, when the index ranks with the no-meeting bonus itself (else None).
    rank_score: float | None = None


@dataclass
class SkillBook:
    """The taxonomy as scoring needs it: names to show, slugs for the engine, related skills."""

    names: dict[int, str]
    slugs: dict[int, str]
    related: dict[int, set[int]]
    taxonomy: Any = None  # the engine's Taxonomy, when the engine's scoring is importable

    @functools.cached_property
    def names_by_slug(self) -> dict[str, str]:
        return {slug: self.names[pk] for pk, slug in self.slugs.items()}


def skill_book() -> SkillBook:
    names, slugs = {}, {}
    for pk, slug, name in Skill.objects.values_list("id", "slug", "name"):
        names[pk], slugs[pk] = name, slug
    rel: dict[int, set[int]] = {}
    for a, b in Skill.related.through.objects.values_list("from_skill_id", "to_skill_id"):
        rel.setdefault(a, set()).add(b)
    taxonomy = engine_scoring.Taxonomy({slugs[a]: [slugs[b] for b in bs] for a, bs in rel.items()})
    return SkillBook(names, slugs, rel, taxonomy)


def opening_data(opening: Opening) -> OpeningData:
    needs = list(opening.skill_needs.all())
    langs = list(opening.languages.all())
    return OpeningData(
        id=opening.pk,
        organisation_id=opening.organisation_id,
        kind=opening.kind,
        country=opening.country,
        city=opening.city.strip().lower(),
        remote_policy=opening.remote_policy,
        relocation=opening.relocation_support,
        min_years=opening.min_years_experience,
        required={n.skill_id: n.min_level for n in needs if n.required},
        nice={n.skill_id: n.min_level for n in needs if not n.required},
        languages_required={lg.language: lg.min_level for lg in langs if lg.required},
        languages_nice={lg.language: lg.min_level for lg in langs if not lg.required},
    )


def candidates_data(user_ids: set[int] | list[int]) -> dict[int, CandidateData]:
    """What scoring needs of these people (user id -> data, those with a profile; stars and
    shortlists are the caller's), from plain rows: no model instances, whose prefetch caches form
    reference cycles that only a full garbage collection frees (docs/architecture.md, "The garbage
    collector")."""
    profiles = {
        pk: CandidateData(
            id=user_id,
            skills={},
            languages={},
            years=years,
            seeking=seeking,
            cities=tuple(cities or ()),
            relocate=relocate,
            remote=remote,
        )
        for pk, user_id, years, seeking, cities, relocate, remote in CandidateProfile.objects.filter(
            user_id__in=list(user_ids)
        ).values_list("pk", "user_id", "years_experience", "seeking", "cities", "relocate_lithuania", "remote")
    }
    if profiles:
        skills = CandidateSkill.objects.filter(profile_id__in=list(profiles)).values_list(
            "profile_id", "skill_id", "level"
        )
        for profile_id, skill_id, level in skills:
            profiles[profile_id].skills[skill_id] = level
        languages = CandidateLanguage.objects.filter(profile_id__in=list(profiles)).values_list(
            "profile_id", "language", "level"
        )
        for profile_id, language, level in languages:
            profiles[profile_id].languages[language] = level
    return {data.id: data for data in profiles.values()}


def names_of(user_ids: set[int] | list[int]) -> dict[int, str]:
    """The names of these candidates (user id -> full name)."""
    if not user_ids:
        return {}
    return dict(CandidateProfile.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "user__full_name"))


def _candidate_tickets(event: Event) -> Any:
    """The door state of the event's registered candidates (the check-in app's tickets)."""
    return Ticket.objects.filter(
        event=event,
        registration__role=Registration.Role.CANDIDATE,
        registration__status=Registration.Status.REGISTERED,
    )


def present_user_ids(event: Event) -> set[int]:
    """Candidates inside the venue now."""
    return set(_candidate_tickets(event).filter(inside=True).values_list("registration__user_id", flat=True))


def both_at_fair(*, event: Event, candidate_id: int, organisation_id: int) -> bool:
    """Whether the candidate and someone registered for the organisation (a granted member) are
    both inside the venue now (the check-in app's door state)."""
    from events.memberships import granted_exists

    inside = Ticket.objects.filter(event=event, inside=True, registration__status=Registration.Status.REGISTERED)
    if not inside.filter(registration__user_id=candidate_id).exists():
        return False
    employers = Registration.objects.filter(
        event=event, organisation_id=organisation_id, role=Registration.Role.EMPLOYER
    ).filter(granted_exists())
    return inside.filter(registration__in=employers).exists()


def presence_changed_since(event: Event, since: Any) -> dict[int, bool]:
    """Candidates whose door state changed since `since` (user id -> inside now)."""
    return dict(
        _candidate_tickets(event).filter(last_scan_at__gte=since).values_list("registration__user_id", "inside")
    )


def inside_registration_ids(*, registration_ids: set[int]) -> set[int]:
    """Those of these registrations whose holder is inside the venue now (the check-in app's door state)."""
    return set(
        Ticket.objects.filter(registration_id__in=list(registration_ids), inside=True).values_list(
            "registration_id", flat=True
        )
    )


def user_id_from_badge(payload: object, *, event: Event) -> int | None:
    """The person whose badge QR this is, at this event; None for anything forged or foreign."""
    parts = parse_payload(payload)
    if parts is None or parts.event_id != event.pk:
        return None
    ticket = (
        Ticket.objects.filter(event=event, code=parts.code, version=parts.version)
        .select_related("registration")
        .first()
    )
    return ticket.registration.user_id if ticket is not None else None


# --- Scoring through the engine ----------------------------------------------------------------

# Below this a candidate is no suggestion for an opening: boards stay short and pushes rare.
MIN_BOARD_SCORE = 50.0


def shows_required_skill(cand: CandidateData, op: OpeningData, book: SkillBook) -> bool:
    """Whether the candidate holds at least one required skill, or a related one.

    Location, languages and experience can add up to a passing score on their own; a board of
    people who have none of the skills asked for helps nobody, so they are left off it.
    """
    if not op.required:
        return True
    held = set(cand.skills)
    return any(sid in held or book.related.get(sid, set()) & held for sid in op.required)


def engine_candidate(cand: CandidateData, book: SkillBook) -> Any:
    return engine_scoring.CandidateProfile(
        id=str(cand.id),
        skills={book.slugs[sid]: lvl for sid, lvl in cand.skills.items() if sid in book.slugs},
        languages=dict(cand.languages),
        years_experience=float(cand.years),
        seeks=_SEEKS.get(cand.seeking) or frozenset((cand.seeking,)),
        cities=frozen(cand.cities),
        relocate_to=_TO_LITHUANIA if cand.relocate else NOBODY,
        remote=cand.remote,
        # Only consenting candidates ever reach scoring; the Django side filters before.
        consent=True,
        starred=frozen(str(o) for o in cand.starred),
        shortlisted_by=frozen(str(o) for o in cand.shortlisted_by),
    )


_TO_LITHUANIA = frozenset({"LT"})
_SEEKS = {"both": frozenset(engine_scoring.KINDS), **{kind: frozenset((kind,)) for kind in engine_scoring.KINDS}}


def engine_opening(op: OpeningData, book: SkillBook) -> Any:
    def reqs(needs: dict[int, int]) -> tuple[Any, ...]:
        return tuple(engine_scoring.SkillRequirement(book.slugs[s], lvl) for s, lvl in needs.items() if s in book.slugs)

    return engine_scoring.Opening(
        id=str(op.id),
        employer_id=str(op.organisation_id),
        kind=op.kind,
        required=reqs(op.required),
        nice=reqs(op.nice),
        languages=dict(op.languages_required),
        country=op.country,
        city=op.city,
        remote=op.remote_policy,
        relocation_support=op.relocation,
        min_years=float(op.min_years),
    )


def from_engine(cand: CandidateData, op: OpeningData, result: Any, book: SkillBook) -> Suggestion | None:
    ex = result.explanation
    if ex.excluded is not None:
        return None
    by_slug = book.names_by_slug

    def name(slug: str | None) -> str:
        return by_slug.get(slug or "", slug or "")

    partial = [{"skill": name(m.skill), "how": "lower_level"} for m in ex.below_level]
    partial += [{"skill": name(m.skill), "how": "related", "via": name(m.via)} for m in ex.partial]
    return Suggestion(
        candidate_id=cand.id,
        opening_id=op.id,
        score=round(result.total, 1),
        explanation={
            "matched": [{"skill": name(m.skill), "how": "match"} for m in ex.matched]
            + [
                {"skill": name(m.skill), "how": "match" if m.via is None else "related", "nice": True}
                for m in ex.nice_matched
            ],
            "partial": partial,
            "missing": [{"skill": name(r.skill), "how": "missing"} for r in ex.missing],
            "factors": {f.code: round(f.points, 1) for f in ex.factors},
            "starred": op.organisation_id in cand.starred,
            "shortlisted": op.organisation_id in cand.shortlisted_by,
        },
    )


def score_one(cand: CandidateData, op: OpeningData, *, book: SkillBook) -> Suggestion | None:
    """Score a candidate for an opening with the engine's scorer."""
    result = engine_scoring.score(engine_candidate(cand, book), engine_opening(op, book), book.taxonomy)
    return from_engine(cand, op, result, book)
