"""A programme with an organiser, a member of its implementing partner (programme staff), an official of
another partner (not staff), and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from events.models import Membership, Programme, ProgrammePartner, Stakeholder, User
from events.programmes import programme_create
from events.stakeholders import stakeholder_create
from tests.factories import OrganisationFactory, UserFactory


@dataclass
class World:
    programme: Programme
    organiser: User
    staff: User
    official: User
    outsider: User
    uni: Stakeholder
    ministry: Stakeholder


@pytest.fixture
def world(db) -> World:
    implementer = OrganisationFactory(name="Explorers Implementing", country="LT")
    ministry_org = OrganisationFactory(name="Ministry of Labour", country="IQ")
    programme = programme_create(
        slug="lt-iq",
        name="Lithuania–Iraq digital mobility",
        partners=[
            {"organisation": implementer.pk, "country": "LT", "role": ProgrammePartner.Role.IMPLEMENTING},
            {"organisation": ministry_org.pk, "country": "IQ", "role": ProgrammePartner.Role.PARTNER},
        ],
    )
    organiser = UserFactory(email="organiser@example.org", full_name="Olga Organiser", is_staff=True)
    staff = UserFactory(email="staff@explorers.example", full_name="Sara Staff")
    official = UserFactory(email="official@gov.example", full_name="Omar Official")
    outsider = UserFactory(email="outsider@example.org", full_name="Otto Outsider")
    Membership.objects.create(user=staff, organisation=implementer, status=Membership.Status.GRANTED)
    Membership.objects.create(user=official, organisation=ministry_org, status=Membership.Status.GRANTED)
    uni = stakeholder_create(
        programme=programme,
        actor=organiser,
        data={"name": "University of Baghdad", "kind": "university", "country": "IQ", "city": "Baghdad"},
    )
    ministry = stakeholder_create(
        programme=programme,
        actor=organiser,
        data={"name": "Ministry of Communications", "kind": "government", "country": "IQ", "city": "Erbil"},
    )
    return World(programme, organiser, staff, official, outsider, uni, ministry)


TODAY = date(2026, 12, 5)


@pytest.fixture
def as_(api_client, token_for):
    """`as_(user)`: an API client with that person's bearer token (None: no credentials)."""

    def client(user: User | None):
        return api_client(token_for(user) if user is not None else None)

    return client
