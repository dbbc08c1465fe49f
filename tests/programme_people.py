"""A programme and the people around it, as the needs-assessment tests need them: an organiser, a member of
its implementing partner (programme staff), an official of another partner (not staff) and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

from events.models import Membership, Programme, ProgrammePartner, User
from events.programmes import programme_create
from tests.factories import OrganisationFactory, UserFactory


@dataclass
class ProgrammePeople:
    programme: Programme
    organiser: User
    staff: User
    official: User
    outsider: User


def programme_with_people(*, name: str = "Lithuania–Iraq digital talent") -> ProgrammePeople:
    implementer = OrganisationFactory(name="Explorers Implementing", country="LT")
    ministry_org = OrganisationFactory(name="Ministry of Labour", country="IQ")
    programme = programme_create(
        slug="lt-iq",
        name=name,
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
    return ProgrammePeople(programme, organiser, staff, official, outsider)
