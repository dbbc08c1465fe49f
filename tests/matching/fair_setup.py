"""A small job fair on top of the shared actors: slots, booths, two openings, profiles, door state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache

from events.models import Registration, User
from matching import board
from matching.demo_fair import opening_create, profile_set
from matching.models import (
    Booth,
    CandidateProfile,
    FairConfig,
    Opening,
    Skill,
)
from tests.factories import RegistrationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_index():
    # The index is per process: every test starts without one, and with a fresh seq counter.
    board.reset_all()
    cache.clear()
    yield
    board.reset_all()


@dataclass
class Fair:
    actors: object
    config: FairConfig
    opening_a: Opening
    opening_b: Opening

    @property
    def event(self):
        return self.actors.event


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def make_profile(
    user: User, skills: dict[str, int], languages: dict[str, int] | None = None, **fields
) -> CandidateProfile:
    return profile_set(user=user, skills=skills, languages=languages or {"en": 4}, **fields)


def make_opening(
    event, org, title: str, required: dict[str, int], nice: dict[str, int] | None = None, **fields
) -> Opening:
    return opening_create(event=event, organisation=org, title=title, required=required, nice=nice, **fields)


def build_fair(
    actors,
    *,
    starts_at: datetime | None = None,
    slots: int = 12,
    tables_a: int = 1,
    tables_b: int = 2,
    **config_fields,
) -> Fair:
    event = actors.event
    if not Skill.objects.exists():  # a transactional test flushed the migration's taxonomy
        from matching.taxonomy import load_skills

        load_skills(Skill)
    start = starts_at or event.starts_at
    config = FairConfig.objects.create(
        event=event, starts_at=start, ends_at=start + timedelta(minutes=10 * slots), **config_fields
    )
    Booth.objects.create(event=event, organisation=actors.org_a, tables=tables_a)
    Booth.objects.create(event=event, organisation=actors.org_b, tables=tables_b)
    opening_a = opening_create(
        event=event,
        organisation=actors.org_a,
        title="Python backend developer",
        required={"python": 3},
        nice={"django": 2},
        languages={"en": 3},
        country="LT",
        relocation_support=True,
    )
    opening_b = make_opening(
        event, actors.org_b, "Data analyst", {"sql": 3, "data-analysis": 3}, country="IQ", city="baghdad"
    )
    make_profile(actors.candidate, {"python": 4, "django": 3}, {"en": 4, "ar": 5}, relocate_lithuania=True)
    return Fair(actors, config, opening_a, opening_b)


def add_candidate(event, email: str, skills: dict[str, int], *, consent: bool = True, languages=None) -> User:
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    RegistrationFactory(event=event, user=user, role=Registration.Role.CANDIDATE, consent_share_profile=consent)
    make_profile(user, skills, languages)
    return user


def set_inside(event, user: User, inside: bool = True) -> None:
    """Put a person through the door (the check-in app's door state), without the hook."""
    from checkin.models import Ticket
    from checkin.services import ticket_issue

    ticket = ticket_issue(registration=Registration.objects.get(event=event, user=user))
    Ticket.objects.filter(pk=ticket.pk).update(inside=inside)


def checkin_info(event, user: User, *, direction: str = "in", session_id: int | None = None, inside=None):
    """What the check-in hook tells its subscribers about one door scan of this person (`inside`:
    where the door says they are now; None, as from an older sender: the hook reads the door state)."""
    from django.utils import timezone

    from checkin.hooks import CheckinInfo

    reg = Registration.objects.get(event=event, user=user)
    return CheckinInfo(
        event_id=event.pk,
        event_slug=event.slug,
        registration_id=reg.pk,
        user_id=user.pk,
        role=reg.role,
        session_id=session_id,
        gate="main",
        direction=direction,
        at=timezone.now(),
        scan_id=0,
        inside=inside,
    )


def arrive(event, user: User, inside: bool = True) -> None:
    """Through the door, and the check-in hook fires as the check-in app would after its commit."""
    set_inside(event, user, inside)
    board.on_checkin_info(checkin_info(event, user, direction="in" if inside else "out"))
