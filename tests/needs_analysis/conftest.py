"""A programme with a curriculum review answered by two universities and a tech hub (one draft), an
event of the programme with openings and candidates, and the people who may or may not read it:
an organiser, programme staff (a granted member of the implementing partner), an official of
another partner, and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import (
    Programme,
    Question,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    QuestionnaireSection,
    Registration,
    Stakeholder,
    User,
)
from matching.demo_fair import opening_create, profile_set
from matching.models import Skill
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory
from tests.programme_people import programme_with_people

TITLE = {"en": "ICT curriculum review", "ar": "مراجعة مناهج تكنولوجيا المعلومات", "lt": "IRT programų apžvalga"}


@dataclass
class World:
    programme: Programme
    questionnaire: Questionnaire
    organiser: User
    staff: User
    official: User
    outsider: User
    baghdad: Stakeholder
    erbil: Stakeholder
    hub: Stakeholder


def question(questionnaire, section, position, key, kind, text, **fields) -> Question:
    return Question.objects.create(
        questionnaire=questionnaire, section=section, position=position, key=key, kind=kind, text=text, **fields
    )


def answer(questionnaire, stakeholder, answers, *, submitted=True, minutes_ago=10) -> QuestionnaireResponse:
    now = timezone.now()
    invitation = QuestionnaireInvitation.objects.create(
        questionnaire=questionnaire,
        stakeholder=stakeholder,
        token_hash=f"{questionnaire.pk:08d}{stakeholder.pk:08d}".ljust(64, "0"),
        expires_at=now + timedelta(days=30),
    )
    return QuestionnaireResponse.objects.create(
        questionnaire=questionnaire,
        invitation=invitation,
        stakeholder=stakeholder,
        answers=answers,
        submitted_at=now - timedelta(minutes=minutes_ago) if submitted else None,
    )


def curriculum(programme: Programme) -> Questionnaire:
    q = Questionnaire.objects.create(programme=programme, title=TITLE, status=Questionnaire.Status.OPEN)
    about = QuestionnaireSection.objects.create(
        questionnaire=q, position=0, title={"en": "Programmes", "ar": "البرامج"}
    )
    skills = QuestionnaireSection.objects.create(questionnaire=q, position=1, title={"en": "Skills"})
    question(
        q, about, 0, "delivery", "single", {"en": "How is it taught?", "ar": "كيف يتم التدريس؟"},
        options=[
            {"value": "onsite", "label": {"en": "On site", "ar": "حضوري"}},
            {"value": "online", "label": {"en": "Online", "ar": "عبر الإنترنت"}},
        ],
    )  # fmt: skip
    question(
        q, about, 1, "languages", "multiple", {"en": "Teaching languages"},
        options=[{"value": "ar", "label": {"en": "Arabic"}}, {"value": "en", "label": {"en": "English"}}],
    )  # fmt: skip
    question(q, about, 2, "industry", "scale", {"en": "Industry involvement"}, settings={"low": {"en": "None"}})
    question(q, about, 3, "graduates", "number", {"en": "Graduates per year"}, settings={"min": 0})
    question(q, about, 4, "gaps", "long_text", {"en": "What is missing?"})
    question(q, skills, 0, "taught", "skills", {"en": "Skills taught"}, skill_purpose="taught")
    question(q, skills, 1, "needed", "skills", {"en": "Skills your staff need"}, skill_purpose="needed")
    return q


@pytest.fixture
def world(db) -> World:
    if not Skill.objects.exists():  # a transactional test flushed the migration's taxonomy
        from matching.taxonomy import load_skills

        load_skills(Skill)
    people = programme_with_people(name="Lithuania–Iraq digital mobility")
    programme, organiser, staff = people.programme, people.organiser, people.staff
    official, outsider = people.official, people.outsider
    kinds = Stakeholder.Kind
    baghdad = Stakeholder.objects.create(
        programme=programme, name="University of Baghdad", kind=kinds.UNIVERSITY, country="IQ", city="Baghdad"
    )
    erbil = Stakeholder.objects.create(
        programme=programme, name="Erbil Polytechnic", kind=kinds.UNIVERSITY, country="IQ", city="Erbil"
    )
    hub = Stakeholder.objects.create(
        programme=programme, name="Vilnius Tech Hub", kind=kinds.TECH_HUB, country="LT", city="Vilnius"
    )
    drafter = Stakeholder.objects.create(
        programme=programme, name="Basra Institute", kind=kinds.TRAINING_PROVIDER, country="IQ", city="Basra"
    )
    q = curriculum(programme)
    answer(q, baghdad, {
        "delivery": "onsite", "languages": ["ar", "en"], "industry": 2, "graduates": 120,
        "gaps": "=HYPERLINK(\"x\") no cloud labs",
        "taught": [
            {"skill": "python", "level": 3}, {"skill": "cobol-legacy", "level": 2}, {"skill": "java", "level": 4}
        ],
        "needed": [{"skill": "docker", "level": 3}],
    })  # fmt: skip
    answer(q, erbil, {
        "delivery": "onsite", "languages": ["ar"], "industry": 4, "graduates": 40,
        "gaps": "Not enough practice", "taught": [{"skill": "python", "level": 4}],
    })  # fmt: skip
    answer(q, hub, {"delivery": "online", "languages": ["en"], "industry": 5, "graduates": 15, "taught": []})
    # A draft never counts.
    answer(
        q,
        drafter,
        {"delivery": "online", "graduates": 9999, "taught": [{"skill": "rust", "level": 5}]},
        submitted=False,
    )

    # Employers ask for python (2 seats) and docker (1 seat, required) at the programme's event.
    event = EventFactory(slug="fair-2026", title="Digital job fair", programme=programme)
    employer = OrganisationFactory(name="Baltic Code UAB", country="LT")
    opening_create(event=event, organisation=employer, title="Backend", required={"python": 3}, nice=None, seats=2)
    opening_create(event=event, organisation=employer, title="DevOps", required={"docker": 3}, nice=None)
    candidate = UserFactory(email="zainab@example.org", full_name="Zainab Candidate")
    RegistrationFactory(event=event, user=candidate, role=Registration.Role.CANDIDATE)
    profile_set(user=candidate, skills={"python": 4, "docker": 2}, languages={"en": 4})
    return World(programme, q, organiser, staff, official, outsider, baghdad, erbil, hub)
