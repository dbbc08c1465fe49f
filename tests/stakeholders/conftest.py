"""A programme with an organiser, a member of its implementing partner (programme staff), an official of
another partner (not staff), and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from events.models import Programme, Stakeholder, User
from events.stakeholders import stakeholder_create
from tests.programme_people import programme_with_people


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
    people = programme_with_people(name="Lithuania–Iraq digital mobility")
    programme, organiser, staff = people.programme, people.organiser, people.staff
    official, outsider = people.official, people.outsider
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
