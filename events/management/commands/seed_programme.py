"""`manage.py seed_programme`: the demo's programme, on top of `seed_demo` (and `dialogue_demo`).

*Digital Explorers – Iraq Edition* groups the demo's training, job fairs and dialogue, with its
partner institutions by country, published minutes of two dialogue sessions (with rapporteurs) and
a dozen action items in several states, each moved there through events.actions so its history
reads as it would have happened. Idempotent: everything is found by its natural key (slug, name,
session, title) and only created or moved when missing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from events import actions, minutes
from events.models import ActionItem, Event, Minutes, Organisation, Programme, ProgrammePartner, Session, User
from events.programme_selectors import meeting_model

SLUG = "digital-explorers-iraq"
NAME = "Digital Explorers – Iraq Edition"
DESCRIPTION = (
    "An EU-funded labour-mobility partnership between Lithuania and Iraq: an ICT training programme for young "
    "Iraqi professionals, job fairs with Lithuanian and Iraqi employers, a labour-market needs assessment and "
    "policy dialogues between officials of both countries, leading to a roadmap for sustainable bilateral "
    "cooperation."
)
EVENTS = (
    "digital-explorers-ict-training",
    "digital-explorers-job-fair-baghdad",
    "demo-fair-today",
    "lt-iq-policy-dialogue-vilnius",
)
DIALOGUE = "lt-iq-policy-dialogue-vilnius"
ORGANISER = "organiser@explorers.example"

# (organisation, country, role)
PARTNERS = [
    ("OSMOS Global Partnerships", "LT", "implementing"),
    ("ICMPD – Migration Partnership Facility", "AT", "associate"),
    ("Ministry of Social Security and Labour", "LT", "lead"),
    ("Migration Department under the Ministry of the Interior", "LT", "partner"),
    ("Ministry of Economy and Innovation", "LT", "partner"),
    ("Employment Service of Lithuania", "LT", "partner"),
    ("Ministry of Labour and Social Affairs", "IQ", "lead"),
    ("Ministry of Communications", "IQ", "partner"),
    ("Ministry of Higher Education and Scientific Research", "IQ", "partner"),
]

# (session title, rapporteur's email, language, notes, decisions, translations)
MINUTES = [
    (
        "Labour market needs of Iraq's digital economy",
        "mindaugas.jankauskas@uzt.example",
        "en",
        "The Iraqi delegation presented the needs assessment: demand for cloud, data and cybersecurity skills "
        "outruns what universities supply. Lithuanian employers described remote internships as the first step.",
        "1. Share the needs assessment with both employment services.\n"
        "2. Pilot remote internships with five Lithuanian companies.",
        {
            "ar": {
                "notes": "قدّم الوفد العراقي تقييم الاحتياجات: الطلب على مهارات الحوسبة السحابية والبيانات والأمن "
                "السيبراني يفوق ما تخرّجه الجامعات.",
                "decisions": "١. مشاركة تقييم الاحتياجات مع دائرتي التشغيل.\n"
                "٢. تجربة التدريب عن بُعد مع خمس شركات ليتوانية.",
            },
            "lt": {
                "notes": "Irako delegacija pristatė poreikių vertinimą: debesijos, duomenų ir kibernetinio saugumo "
                "įgūdžių paklausa viršija universitetų pasiūlą.",
                "decisions": "1. Pasidalyti poreikių vertinimu su abiem užimtumo tarnybomis.\n"
                "2. Išbandyti nuotolines praktikas su penkiomis Lietuvos įmonėmis.",
            },
        },
    ),
    (
        "Migration management: technical exchange",
        "noor.aljaburi@molsa.example",
        "ar",
        "تبادل الوفدان الخبرات في إدارة هجرة العمالة وإجراءات تأشيرات العمل للمتخصصين في تكنولوجيا المعلومات.",
        "الاتفاق على مذكرة تفاهم لتبادل البيانات حول تصاريح العمل.",
        {
            "en": {
                "notes": "The delegations exchanged experience of labour-migration management and of work-visa "
                "procedures for ICT specialists.",
                "decisions": "Agree a memorandum of understanding on exchanging work-permit data.",
            },
            "lt": {
                "notes": "Delegacijos pasidalijo darbo migracijos valdymo ir darbo vizų IRT specialistams patirtimi.",
                "decisions": "Susitarti dėl susitarimo memorandumo dėl keitimosi darbo leidimų duomenimis.",
            },
        },
    ),
]

# (title, theme, lead organisation, partners, due in days from today, final status, visibility, source session)
ACTIONS = [
    (
        "Share the labour-market needs assessment with both employment services",
        "Labour-migration management",
        "Employment Service of Lithuania",
        ["Ministry of Labour and Social Affairs"],
        -20,
        "done",
        "public",
        "Labour market needs of Iraq's digital economy",
    ),
    (
        "Memorandum of understanding on exchanging work-permit data",
        "Data exchange",
        "Ministry of Labour and Social Affairs",
        ["Migration Department under the Ministry of the Interior"],
        -5,
        "agreed",
        "officials",
        "Migration management: technical exchange",
    ),
    (
        "Pilot remote internships with five Lithuanian ICT companies",
        "Digital-economy cooperation",
        "Ministry of Economy and Innovation",
        ["Ministry of Communications"],
        45,
        "in_progress",
        "public",
        "Labour market needs of Iraq's digital economy",
    ),
    (
        "Fast-track work-visa procedure for ICT specialists",
        "Labour-migration management",
        "Migration Department under the Ministry of the Interior",
        ["Ministry of Labour and Social Affairs"],
        90,
        "proposed",
        "officials",
        "Migration management: technical exchange",
    ),
    (
        "Joint recognition of Iraqi ICT degrees",
        "Recognition of qualifications",
        "Ministry of Higher Education and Scientific Research",
        ["Ministry of Social Security and Labour"],
        120,
        "agreed",
        "public",
        "Reviewing ICT curricula with universities",
    ),
    (
        "Pre-departure orientation for ICT trainees",
        "Labour-migration management",
        "Ministry of Social Security and Labour",
        ["Ministry of Labour and Social Affairs"],
        30,
        "in_progress",
        "public",
        "",
    ),
    (
        "Shared register of certified ICT training providers",
        "Recognition of qualifications",
        "Ministry of Social Security and Labour",
        ["Ministry of Higher Education and Scientific Research"],
        -10,
        "in_progress",
        "officials",
        "",
    ),
    (
        "Digital-economy working group meets every quarter",
        "Digital-economy cooperation",
        "Ministry of Communications",
        ["Ministry of Economy and Innovation"],
        60,
        "agreed",
        "public",
        "",
    ),
    (
        "Anonymised statistics on labour migration exchanged twice a year",
        "Data exchange",
        "Migration Department under the Ministry of the Interior",
        ["Ministry of Labour and Social Affairs"],
        150,
        "proposed",
        "officials",
        "Migration management: technical exchange",
    ),
    (
        "Second job fair in Erbil",
        "Digital-economy cooperation",
        "Ministry of Labour and Social Affairs",
        ["Employment Service of Lithuania"],
        200,
        "proposed",
        "public",
        "",
    ),
    (
        "Bilateral labour agreement negotiated in one round",
        "Labour-migration management",
        "Ministry of Social Security and Labour",
        ["Ministry of Labour and Social Affairs"],
        15,
        "dropped",
        "officials",
        "Roadmap for bilateral cooperation (drafting)",
    ),
    (
        "Curriculum review with the University of Technology",
        "Recognition of qualifications",
        "Ministry of Higher Education and Scientific Research",
        [],
        75,
        "in_progress",
        "public",
        "Reviewing ICT curricula with universities",
    ),
]

PATH = ["proposed", "agreed", "in_progress", "done"]


class Command(BaseCommand):
    help = "Add the demo programme, its partners, minutes and action items (idempotent; sends no email)."

    def handle(self, *args: Any, **options: Any) -> None:
        organiser = User.objects.filter(email=ORGANISER).first()
        if organiser is None or not Event.objects.filter(slug=DIALOGUE).exists():
            raise CommandError("Run `manage.py seed_demo` first.")
        self.created = 0
        with transaction.atomic():
            programme = self.programme()
            self.minutes(programme, organiser)
            self.actions(programme, organiser)
        if self.created:
            self.stdout.write(self.style.SUCCESS(f"Programme {NAME}: {self.created} objects created or moved."))
        else:
            self.stdout.write(f"Programme {NAME} already present; nothing changed.")
        self.stdout.write(f"Roadmap: /programmes/{SLUG}/roadmap")

    def org(self, name: str) -> Organisation:
        org = Organisation.objects.filter(name=name).order_by("id").first()
        if org is None:
            raise CommandError(f"Organisation {name!r} is missing: run `manage.py seed_demo` first.")
        return org

    def programme(self) -> Programme:
        today = timezone.localdate()
        programme, created = Programme.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": NAME,
                "description": DESCRIPTION,
                "starts_on": today - timedelta(days=60),
                "ends_on": today + timedelta(days=365),
                "languages": ["en", "ar", "lt", "ckb"],
            },
        )
        self.created += created
        for name, country, role in PARTNERS:
            _partner, made = ProgrammePartner.objects.get_or_create(
                programme=programme, organisation=self.org(name), defaults={"country": country, "role": role}
            )
            self.created += made
        self.created += Event.objects.filter(slug__in=EVENTS, programme__isnull=True).update(programme=programme)
        return programme

    def session(self, title: str) -> Session | None:
        return Session.objects.filter(event__slug=DIALOGUE, title=title).first() if title else None

    def minutes(self, programme: Programme, organiser: User) -> None:
        for title, email, language, notes, decisions, translations in MINUTES:
            session = self.session(title)
            rapporteur = User.objects.filter(email=email).first()
            if session is None or rapporteur is None or Minutes.objects.filter(session=session).exists():
                continue
            minutes.minutes_save(actor=organiser, session=session, fields={"rapporteur": rapporteur})
            minutes.minutes_save(
                actor=rapporteur,
                session=session,
                fields={
                    "language": language,
                    "notes": notes,
                    "decisions": decisions,
                    "translations": translations,
                    "status": Minutes.Status.PUBLISHED,
                },
            )
            self.created += 1

    def actions(self, programme: Programme, organiser: User) -> None:
        today = timezone.localdate()
        meeting = meeting_model().objects.filter(event__slug=DIALOGUE, source="bilateral").order_by("id").first()
        for n, (title, theme, lead, partners, due, status, visibility, source) in enumerate(ACTIONS):
            if ActionItem.objects.filter(programme=programme, title=title).exists():
                continue
            fields: dict[str, Any] = {
                "title": title,
                "theme": theme,
                "lead_organisation": self.org(lead),
                "lead_country": self.org(lead).country,
                "partners": [self.org(p) for p in partners],
                "due_date": today + timedelta(days=due),
                "visibility": visibility,
                "source_session": self.session(source),
            }
            if n == 1 and meeting is not None:  # the data memorandum was also taken up at a bilateral meeting
                fields["source_meeting"] = meeting
            item = actions.action_create(programme=programme, actor=organiser, fields=fields)
            if status == "dropped":
                actions.action_update(
                    item_id=item.pk,
                    actor=organiser,
                    fields={"status": "dropped", "dropped_reason": "Replaced by a step-by-step agreement."},
                    comment="Both ministries prefer to negotiate sector by sector.",
                )
            else:
                for step in PATH[1 : PATH.index(status) + 1]:
                    actions.action_update(
                        item_id=item.pk, actor=organiser, fields={"status": step}, comment=f"Moved to {step}."
                    )
            self.created += 1
