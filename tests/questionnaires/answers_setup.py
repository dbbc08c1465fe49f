"""An open questionnaire of every question kind (one shown only on an answer), sent to stakeholder
contacts; helpers that read the personal link out of the email, as the person would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

from events.models import (
    Programme,
    Question,
    Questionnaire,
    QuestionnaireSection,
    Stakeholder,
    StakeholderContact,
    User,
)
from events.stakeholders import contact_add, stakeholder_create
from matching.models import Skill
from tests.programme_people import programme_with_people

LINK = re.compile(r"https?://[^\s\"<>]+/q/([A-Za-z0-9_\-]+)/")


@dataclass
class Setup:
    programme: Programme
    organiser: User
    staff: User
    official: User
    outsider: User
    uni: Stakeholder
    ministry: Stakeholder
    questionnaire: Questionnaire
    contacts: dict[str, StakeholderContact] = field(default_factory=dict)


def build_questionnaire(programme: Programme, *, title: str = "ICT curriculum review", **extra) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        programme=programme,
        title={
            "en": title,
            "ar": "مراجعة مناهج تكنولوجيا المعلومات",
            "lt": "IRT programų apžvalga",
            "ckb": "پێداچوونەوە",
        },
        status=Questionnaire.Status.OPEN,
        link_days=30,
        **extra,
    )
    section = QuestionnaireSection.objects.create(
        questionnaire=questionnaire, position=1, title={"en": "Programmes", "ar": "البرامج"}
    )

    def ask(key, kind, text_ar, *, position, **kwargs):
        return Question.objects.create(
            questionnaire=questionnaire,
            section=section,
            position=position,
            key=key,
            kind=kind,
            text={"en": key.replace("_", " ").capitalize(), "ar": text_ar},
            **kwargs,
        )

    yes_no = [{"value": "yes", "label": {"en": "Yes", "ar": "نعم"}}, {"value": "no", "label": {"en": "No", "ar": "لا"}}]
    has_internship = ask("has_internship", "single", "هل يوجد تدريب عملي؟", position=1, options=yes_no, required=True)
    ask(
        "internship_weeks",
        "number",
        "كم أسبوعاً؟",
        position=2,
        settings={"min": 1, "max": 52},
        show_if=has_internship,
        show_if_values=["yes"],
        required=True,
    )
    ask(
        "languages",
        "multiple",
        "لغات التدريس",
        position=3,
        options=[
            {"value": "ar", "label": {"en": "Arabic", "ar": "العربية"}},
            {"value": "en", "label": {"en": "English", "ar": "الإنجليزية"}},
            {"value": "ckb", "label": {"en": "Kurdish", "ar": "الكردية"}},
        ],
    )
    ask("practical", "scale", "الجانب العملي", position=4)
    ask("graduates", "number", "عدد الخريجين سنوياً", position=5, settings={"min": 0, "max": 100000})
    ask("programme_name", "short_text", "اسم البرنامج", position=6)
    ask("notes", "long_text", "ملاحظات", position=7)
    ask("last_review", "date", "تاريخ آخر مراجعة", position=8)
    ask("skills_taught", "skills", "المهارات التي تدرّس", position=9, skill_purpose="taught")
    return questionnaire


def skills() -> None:
    for slug, name in (("python", "Python"), ("sql", "SQL"), ("react", "React")):
        Skill.objects.update_or_create(slug=slug, defaults={"name": name, "names": {"ar": name + " (ar)"}})


def token_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def tokens_by_address() -> dict[str, str]:
    """The newest link each address was emailed."""
    return {message.to[0]: token_in(message) for message in mail.outbox}


def make_setup() -> Setup:
    skills()
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
    consent = {"consent_basis": "in_writing", "consent_given_on": date(2026, 11, 1)}
    contacts = {
        "dean": contact_add(stakeholder=uni, actor=organiser, name="Dr Huda", email="huda@uob.example", **consent),
        "registrar": contact_add(stakeholder=uni, actor=organiser, name="Ali Registrar", **consent),  # no email
        "director": contact_add(
            stakeholder=ministry, actor=organiser, name="Karwan Director", email="karwan@moc.example", **consent
        ),
    }
    questionnaire = build_questionnaire(programme)
    return Setup(programme, organiser, staff, official, outsider, uni, ministry, questionnaire, contacts)


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)
