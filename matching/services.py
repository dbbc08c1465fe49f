"""Writes for profiles, consent, interest marks, openings and booth leads.

Meeting requests and meetings live in matching/meetings.py, the pre-fair timetable in
matching/timetable.py. Every write that can change a board re-scores the candidate in the live
index after commit, and only employers whose top lists moved get a push.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from events import consents
from events.models import Consent, Event, Organisation, Registration, User
from matching import exceptions as exc
from matching import selectors
from matching.models import (
    IRAQI_CITIES,
    LANGUAGES,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    CvView,
    EmployerMark,
    Lead,
    Opening,
    Skill,
    Star,
)

_CITY_CODES = {code for code, _label in IRAQI_CITIES}
_LANGUAGE_CODES = {code for code, _label in LANGUAGES}
MAX_SKILLS = 40


def _after_commit_rescore(event: Event, user_id: int) -> None:
    from matching import board

    transaction.on_commit(lambda: board.candidate_changed(event=event, user_id=user_id), robust=True)


def _events_of_candidate(user: User) -> list[Event]:
    return [
        r.event
        for r in Registration.objects.filter(
            user=user, role=Registration.Role.CANDIDATE, status=Registration.Status.REGISTERED
        ).select_related("event")
    ]


def _levels(pairs: list[tuple[Any, Any]], *, valid: set[Any], what: str) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for key, level in pairs:
        try:
            lvl = int(level)
        except (TypeError, ValueError):
            raise exc.InvalidInput(_("Levels are whole numbers from 1 to 5.")) from None
        if not 1 <= lvl <= 5:
            raise exc.InvalidInput(_("Levels are whole numbers from 1 to 5."))
        if key not in valid:
            raise exc.InvalidInput(_("Unknown %(what)s: %(key)s") % {"what": what, "key": key})
        out[key] = lvl
    return out


@transaction.atomic
def profile_update(
    *,
    user: User,
    headline: str = "",
    education: str = "",
    field_of_study: str = "",
    years_experience: int = 0,
    seeking: str = CandidateProfile.Seeking.BOTH,
    cities: list[str] | None = None,
    relocate_lithuania: bool = False,
    remote: bool = False,
    available_from: date | None = None,
    skills: list[tuple[int, int]] | None = None,
    languages: list[tuple[str, int]] | None = None,
    cv: UploadedFile | None = None,
    remove_cv: bool = False,
) -> CandidateProfile:
    """Create or replace the candidate's profile. Skills and languages given replace the old ones."""
    if education and education not in CandidateProfile.Education.values:
        raise exc.InvalidInput(_("Unknown education level."))
    if seeking not in CandidateProfile.Seeking.values:
        raise exc.InvalidInput(_("Choose internship, job or both."))
    if not isinstance(years_experience, int) or not 0 <= years_experience <= 60:
        raise exc.InvalidInput(_("Years of experience must be between 0 and 60."))
    cities = list(dict.fromkeys(cities or []))
    if any(c not in _CITY_CODES for c in cities):
        raise exc.InvalidInput(_("Unknown city."))
    profile, _created = CandidateProfile.objects.select_for_update().get_or_create(user=user)
    profile.headline = (headline or "")[:140]
    profile.education = education
    profile.field_of_study = (field_of_study or "")[:120]
    profile.years_experience = years_experience
    profile.seeking = seeking
    profile.cities = cities
    profile.relocate_lithuania = bool(relocate_lithuania)
    profile.remote = bool(remote)
    profile.available_from = available_from
    if remove_cv and profile.cv:
        profile.cv.delete(save=False)
    if cv is not None:
        profile.cv = cv
        try:
            profile.full_clean(exclude=["user"])
        except ValidationError as e:
            raise exc.InvalidInput(" ".join(m for msgs in e.message_dict.values() for m in msgs)) from None
        old = CandidateProfile.objects.filter(pk=profile.pk).values_list("cv", flat=True).first()
        if old:
            profile.cv.storage.delete(old)
    profile.save()
    if skills is not None:
        if len(skills) > MAX_SKILLS:
            raise exc.InvalidInput(_("At most %(n)s skills.") % {"n": MAX_SKILLS})
        valid = set(Skill.objects.filter(pk__in=[s for s, _l in skills]).values_list("pk", flat=True))
        levels = _levels(skills, valid=valid, what=_("skill"))
        profile.skill_levels.all().delete()
        CandidateSkill.objects.bulk_create(
            [CandidateSkill(profile=profile, skill_id=sid, level=lvl) for sid, lvl in levels.items()]
        )
    if languages is not None:
        levels = _levels(languages, valid=_LANGUAGE_CODES, what=_("language"))
        profile.languages.all().delete()
        CandidateLanguage.objects.bulk_create(
            [CandidateLanguage(profile=profile, language=code, level=lvl) for code, lvl in levels.items()]
        )
    for event in _events_of_candidate(user):
        _after_commit_rescore(event, user.pk)
    return profile


@transaction.atomic
def consent_set(*, user: User, actor: Any, event: Event, consent: bool, source: str, client: str = "") -> Registration:
    """The candidate's own switch: be shown to employers at this event, or never (through events.consents)."""
    reg = Registration.objects.select_for_update().filter(event=event, user=user).first()
    if reg is None:
        raise exc.NotFound(_("You are not registered for this event."))
    changed = consents.consent_set(
        user=user,
        actor=actor,
        event=event,
        purpose=Consent.Purpose.SHARE_PROFILE,
        given=consent,
        source=source,
        client=client,
    )
    if changed:
        reg.refresh_from_db(fields=["consent_share_profile"])
        _after_commit_rescore(event, user.pk)
    return reg


def _employer_org(user: User, event: Event) -> Organisation:
    # Marks, leads and badge scans are the organisation's: only a granted member writes them.
    return selectors.employer_organisation_required(user=user, event=event)


@transaction.atomic
def star_set(*, event: Event, candidate: User, organisation_id: int, on: bool) -> bool:
    """A candidate stars (or un-stars) an employer at the fair."""
    if not selectors.is_candidate_at(user=candidate, event=event):
        raise exc.NotAllowed(_("Only candidates at this event can star employers."))
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise exc.NotFound(_("No such employer."))
    if on:
        Star.objects.get_or_create(event=event, candidate=candidate, organisation=org)
    else:
        Star.objects.filter(event=event, candidate=candidate, organisation=org).delete()
    _after_commit_rescore(event, candidate.pk)
    return on


@transaction.atomic
def mark_set(*, event: Event, user: User, candidate_id: int, kind: str | None) -> str | None:
    """An employer shortlists a candidate, puts them on "not now", or clears the mark (kind None)."""
    org = _employer_org(user, event)
    if kind is not None and kind not in EmployerMark.Kind.values:
        raise exc.InvalidInput(_("Unknown mark."))
    if not selectors.candidate_visible_to_employers(event=event, user_id=candidate_id):
        raise exc.NoConsent(_("No such candidate."))
    if kind is None:
        EmployerMark.objects.filter(event=event, organisation=org, candidate_id=candidate_id).delete()
    else:
        EmployerMark.objects.update_or_create(
            event=event, organisation=org, candidate_id=candidate_id, defaults={"kind": kind, "created_by": user}
        )
    _after_commit_rescore(event, candidate_id)
    return kind


@transaction.atomic
def lead_capture(
    *, event: Event, user: User, candidate_id: int, rating: int | None = None, note: str | None = None
) -> Lead:
    """Record (or update) a lead: the employer met this candidate. Only consenting candidates."""
    org = _employer_org(user, event)
    if not selectors.candidate_visible_to_employers(event=event, user_id=candidate_id):
        raise exc.NoConsent(_("No such candidate."))
    if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise exc.InvalidInput(_("Rating is a whole number from 1 to 5."))
    if note is not None and len(note) > 2000:
        raise exc.InvalidInput(_("The note is too long (2000 characters at most)."))
    lead, _created = Lead.objects.select_for_update().get_or_create(
        event=event, organisation=org, candidate_id=candidate_id, defaults={"captured_by": user}
    )
    if rating is not None:
        lead.rating = rating
    if note is not None:
        lead.note = note
    lead.save()
    return lead


def lead_from_badge(*, event: Event, user: User, payload: object) -> Lead:
    """A badge scan at the booth: decode the QR, then record the lead (the profile opens next)."""
    from matching.adapters import user_id_from_badge

    _employer_org(user, event)
    candidate_id = user_id_from_badge(payload, event=event)
    if candidate_id is None:
        raise exc.BadBadge(_("This badge is not valid for this event."))
    return lead_capture(event=event, user=user, candidate_id=candidate_id)


def opening_saved(*, opening: Opening) -> None:
    """Openings changed (admin or API): every process rebuilds this event's board index."""
    from matching import board

    transaction.on_commit(lambda: board.invalidate(event_id=opening.event_id), robust=True)


def cv_view_record(*, candidate_id: int, viewer: User) -> CvView | None:
    """Log that someone other than the candidate opened their CV; the candidate sees it on their privacy page.

    Written from the CV download (a GET): an access log is the one write a read may make, since the
    log is the point of the read. Nothing else changes, so a single insert needs no transaction.
    """
    if viewer.pk == candidate_id:
        return None
    # Organisers act for the platform, not for an organisation.
    organisation_id = None if viewer.is_staff else viewer.organisation_id
    return CvView.objects.create(candidate_id=candidate_id, viewer=viewer, organisation_id=organisation_id)
