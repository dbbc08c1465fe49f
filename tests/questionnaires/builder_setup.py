"""A programme with an organiser, programme staff, an official of another partner and an outsider, two
stakeholders, and helpers to build questionnaires and to record a response (as a respondent would)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import (
    Membership,
    Programme,
    ProgrammePartner,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    Stakeholder,
    User,
)
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
        name="Lithuania–Iraq digital talent",
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


def en(text: str) -> dict[str, str]:
    return {"en": text}


def choice(key: str, *values: str, kind: str = "single", **fields) -> dict:
    options = [{"value": v, "label": en(v.title())} for v in values]
    return {"key": key, "kind": kind, "text": en(key), "options": options, **fields}


def respond(questionnaire: Questionnaire, stakeholder: Stakeholder, answers: dict, *, submitted: bool = True):
    """A response as the answering page leaves it (written directly: the answering service is not ours)."""
    now = timezone.now()
    invitation = QuestionnaireInvitation.objects.create(
        questionnaire=questionnaire,
        stakeholder=stakeholder,
        token_hash=hashlib.sha256(f"{questionnaire.pk}-{stakeholder.pk}-{now}".encode()).hexdigest(),
        sent_at=now,
        expires_at=now + timedelta(days=30),
    )
    return QuestionnaireResponse.objects.create(
        questionnaire=questionnaire,
        invitation=invitation,
        stakeholder=stakeholder,
        answers=answers,
        revision=1,
        submitted_at=now if submitted else None,
    )
