"""A programme with an organiser, programme staff, an official of another partner and an outsider, two
stakeholders, and helpers to build questionnaires and to record a response (as a respondent would)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import (
    Programme,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    Stakeholder,
    User,
)
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
    people = programme_with_people()
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
