"""`manage.py seed_needs_assessment`: the demo programme's stakeholder directory (issue 13), on top of
`seed_demo` and `seed_programme`.

About thirty organisations of every type in Baghdad, Erbil, Basra and Vilnius, each with a contact
person whose consent is recorded, a relationship log (meetings, calls, visits, emails) and
follow-ups: some overdue, several owned by the demo organiser so they show on his "my day". The
companies, ministries and universities bear the names the demo's registrations use, so the events
their people registered for appear on their timelines by themselves. Then both questionnaire
templates are opened and sent to the stakeholders they are written for, and about twenty of them
answer (universities: the skills they teach; ministries: the skills their staff need).

Everything goes through the services (events/stakeholders.py, events/questionnaires.py,
events/questionnaire_links.py, events/questionnaire_answers.py). Idempotent: organisations are found
by name and country, contacts by address; a stakeholder that has a log already gets none added; a
questionnaire is made once per template; a stakeholder with a response is not answered again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events import hooks, questionnaires
from events import questionnaire_answers as answers
from events import questionnaire_links as links
from events import stakeholders as services
from events.models import (
    Programme,
    Question,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    Stakeholder,
    StakeholderContact,
    User,
)
from events.stakeholder_selectors import programme_people

SLUG = "digital-explorers-iraq"
ORGANISER = "organiser@explorers.example"

# (name, type, country, city, website, tags)
STAKEHOLDERS = [
    ("University of Baghdad", "university", "IQ", "Baghdad", "https://uobaghdad.example", "ict, curriculum"),
    ("University of Technology – Iraq", "university", "IQ", "Baghdad", "https://uotechnology.example", "ict"),
    ("Salahaddin University – Erbil", "university", "IQ", "Erbil", "https://su.example", "ict, curriculum"),
    ("University of Basrah", "university", "IQ", "Basra", "https://uobasrah.example", "curriculum"),
    ("Vilnius University", "university", "LT", "Vilnius", "https://vu.example", "exchange"),
    (
        "Vilnius Gediminas Technical University",
        "university",
        "LT",
        "Vilnius",
        "https://vilniustech.example",
        "exchange",
    ),
    ("Baghdad ICT Academy", "training_provider", "IQ", "Baghdad", "", "bootcamp"),
    ("Kurdistan Coding Academy", "training_provider", "IQ", "Erbil", "", "bootcamp, women"),
    ("Basra Vocational Training Centre", "training_provider", "IQ", "Basra", "", "vocational"),
    ("Vilnius Coding School", "training_provider", "LT", "Vilnius", "https://vcs.example", "bootcamp"),
    ("Baghdad Innovation Hub", "tech_hub", "IQ", "Baghdad", "", "startups"),
    ("Erbil Startup Hub", "tech_hub", "IQ", "Erbil", "", "startups"),
    ("Basra Innovation Space", "tech_hub", "IQ", "Basra", "", "startups"),
    ("Vilnius Tech Park", "tech_hub", "LT", "Vilnius", "https://techpark.example", "startups, internships"),
    ("Tigris Tech", "company", "IQ", "Baghdad", "https://tigris-tech.example", "employer"),
    ("Mesopotamia Cloud", "company", "IQ", "Baghdad", "https://mesopotamia-cloud.example", "employer, cloud"),
    ("Erbil Digital Solutions", "company", "IQ", "Erbil", "https://erbil-digital.example", "employer"),
    ("Basra Net Services", "company", "IQ", "Basra", "https://basranet.example", "employer"),
    ("Vilnius Cloud Labs UAB", "company", "LT", "Vilnius", "https://cloudlabs.example", "employer, internships"),
    ("Gedimino Fintech UAB", "company", "LT", "Vilnius", "https://gfintech.example", "employer"),
    ("Ministry of Labour and Social Affairs", "government", "IQ", "Baghdad", "", "labour policy"),
    ("Ministry of Communications", "government", "IQ", "Baghdad", "", "digital government"),
    ("Ministry of Higher Education and Scientific Research", "government", "IQ", "Baghdad", "", "curriculum"),
    ("Kurdistan Region Ministry of Labour and Social Affairs", "government", "IQ", "Erbil", "", "labour policy"),
    ("Basra Employment Office", "government", "IQ", "Basra", "", "employment services"),
    ("Employment Service of Lithuania", "government", "LT", "Vilnius", "", "employment services"),
    ("Iraqi Youth Digital Network", "ngo", "IQ", "Baghdad", "", "youth"),
    ("Women in Tech Erbil", "ngo", "IQ", "Erbil", "", "women"),
    ("ILO Iraq Office", "international", "IQ", "Baghdad", "", "labour policy"),
    ("IOM Iraq", "international", "IQ", "Erbil", "", "migration"),
    ("UNDP Accelerator Lab Iraq", "international", "IQ", "Baghdad", "", "innovation"),
]

# A contact person per organisation: (name, role). Addresses are made from the organisation's name.
CONTACTS = {
    "university": [("Dr Layla Hassan", "Dean of Computer Science"), ("Dr Ahmed Salih", "Head of curriculum")],
    "training_provider": [("Sara Ali", "Programme director"), ("Omar Rashid", "Training manager")],
    "tech_hub": [("Yousif Kamal", "Community lead"), ("Greta Petrauskaitė", "Partnerships")],
    "company": [("Huda Karim", "HR manager"), ("Tomas Žukauskas", "CTO")],
    "government": [("Dr Maha Jabbar", "Director-general"), ("Karwan Aziz", "Head of IT")],
    "ngo": [("Zainab Mahdi", "Coordinator")],
    "international": [("Peter Novak", "Programme officer")],
}
# Accounts of the demo that are these organisations' people (their consent given in their account).
ACCOUNT_CONTACTS = {
    "Ministry of Communications": "hassan.kareem@moc.example",
    "Ministry of Labour and Social Affairs": "noor.aljaburi@molsa.example",
    "Employment Service of Lithuania": "mindaugas.jankauskas@uzt.example",
    "Vilnius Cloud Labs UAB": "justas@cloudlabs.example",
}
NOTES = {
    "meeting": "Introduced the needs assessment; they agreed to share their programme data.",
    "call": "Walked through the questionnaire and who should answer it.",
    "visit": "Visited the labs and met the teaching staff; equipment is a constraint.",
    "email": "Sent the summary of the dialogue and the next steps.",
    "event": "Took part in the programme's event.",
}
# Per organisation, by its position in STAKEHOLDERS: nothing (never contacted) every seventh, else
# one or two interactions some days ago and a follow-up; every third follow-up is overdue.
FOLLOW_UPS = [
    "Send the questionnaire link",
    "Share the curriculum review template",
    "Arrange a visit with the programme team",
    "Invite to the next policy dialogue",
    "Follow up on internship places",
]
ANSWERS_WANTED = 20
TAUGHT_WORDS = ("python", "java", "web", "database", "sql", "network", "programming", "software", "linux")
NEEDED_WORDS = ("data", "security", "cyber", "cloud", "project", "analysis", "digital")


def _email(name: str, stakeholder: Stakeholder) -> str:
    def plain(text: str) -> str:
        return "".join(c for c in text.lower() if c.isascii() and c.isalnum())

    return f"{plain(name.split()[-1]) or 'contact'}@{plain(stakeholder.name)[:24]}.example"


class Command(BaseCommand):
    help = "Add the demo programme's stakeholders, their log, and questionnaire answers (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=SLUG).first()
        organiser = User.objects.filter(email=ORGANISER).first()
        if programme is None or organiser is None:
            raise CommandError("Run seed_demo and seed_programme first.")
        self.today = timezone.localdate()
        people = [p for p in programme_people(programme=programme) if p.pk != organiser.pk][:2]
        created = 0
        for n, row in enumerate(STAKEHOLDERS):
            stakeholder, new = self.stakeholder(programme, organiser, row)
            created += new
            self.contacts(stakeholder, organiser, n)
            self.log(stakeholder, organiser, people, n)
        answered = self.questionnaires(programme, organiser)
        self.stdout.write(
            f"Needs assessment: {programme.stakeholders.count()} stakeholders ({created} new), "
            f"{answered} questionnaire responses submitted now."
        )

    def stakeholder(self, programme: Programme, organiser: User, row: tuple) -> tuple[Stakeholder, bool]:
        name, kind, country, city, website, tags = row
        found = programme.stakeholders.filter(name__iexact=name, country=country).first()
        if found is not None:
            return found, False
        data = {"name": name, "kind": kind, "country": country, "city": city, "website": website, "tags": tags}
        return services.stakeholder_create(programme=programme, actor=organiser, data=data), True

    def contacts(self, stakeholder: Stakeholder, organiser: User, n: int) -> None:
        options = CONTACTS[stakeholder.kind]
        # Universities and ministries have two people (a dean and a curriculum head, a director and IT).
        both = stakeholder.kind in ("university", "government")
        for name, role in options if both else [options[n % len(options)]]:
            email = _email(name, stakeholder)
            if stakeholder.contacts.filter(email__iexact=email).exists():
                continue
            services.contact_add(
                stakeholder=stakeholder,
                actor=organiser,
                name=name,
                role=role,
                email=email,
                consent_basis=StakeholderContact.ConsentBasis.IN_WRITING if n % 2 else "in_person",
                consent_given_on=self.today - timedelta(days=40 + n),
            )
        account = User.objects.filter(email=ACCOUNT_CONTACTS.get(stakeholder.name, "")).first()
        if account is not None and not stakeholder.contacts.filter(user=account).exists():
            services.contact_add(
                stakeholder=stakeholder,
                actor=organiser,
                name=account.get_full_name() or account.email,
                role="",
                email=account.email,
                user=account,
                consent_basis=StakeholderContact.ConsentBasis.OWN_ACCOUNT,
                consent_given_on=self.today - timedelta(days=30),
            )

    def log(self, stakeholder: Stakeholder, organiser: User, people: list[User], n: int) -> None:
        if n % 7 == 6 or stakeholder.interactions.exists() or stakeholder.follow_ups.exists():
            return  # never contacted yet, or its log is there already
        contacts = list(stakeholder.contacts.all()[:1])
        staff = [organiser, *people[n % 2 : n % 2 + 1]] if people else [organiser]
        kinds = ["meeting", "call", "visit", "email"]
        for i in range(1 + n % 2):
            kind = kinds[(n + i) % len(kinds)]
            interaction = services.interaction_record(
                stakeholder=stakeholder,
                actor=organiser,
                kind=kind,
                happened_on=self.today - timedelta(days=5 + 11 * i + (n * 3) % 60),
                notes=NOTES[kind],
                staff=staff,
                contacts=contacts,
            )
        owner = organiser if n % 2 == 0 or not people else people[0]
        overdue = n % 3 == 0
        services.follow_up_add(
            stakeholder=stakeholder,
            actor=organiser,
            title=FOLLOW_UPS[n % len(FOLLOW_UPS)],
            owner=owner,
            due_on=self.today + (timedelta(days=-(2 + n % 5)) if overdue else timedelta(days=3 + n % 10)),
            interaction=interaction,
        )

    # Questionnaires ---------------------------------------------------------------------------------

    def questionnaires(self, programme: Programme, organiser: User) -> int:
        made = []
        for template in ("ict_curriculum_review", "institutional_capacity"):
            questionnaire = programme.questionnaires.filter(template=template).first()
            if questionnaire is None:
                questionnaire = questionnaires.questionnaire_create_from_template(
                    programme=programme, actor=organiser, template=template
                )
            if questionnaire.status == Questionnaire.Status.DRAFT:
                questionnaire = questionnaires.questionnaire_open(questionnaire=questionnaire, actor=organiser)
            if not questionnaire.accepts_answers():
                continue  # closed by someone trying the demo: left as they left it
            # Sent to the contacts of the stakeholders it is written for; those holding a link are skipped.
            links.invitations_send(questionnaire=questionnaire, actor=organiser, kinds=list(questionnaire.audience))
            made.append(questionnaire)
        submitted_before = QuestionnaireResponse.objects.filter(
            questionnaire__in=made, submitted_at__isnull=False
        ).count()
        taxonomy = hooks.figure("skill_taxonomy")
        skills = [row["slug"] for row in taxonomy(language="en")] if taxonomy else []
        # Both questionnaires in turn, so that universities and ministries both answer.
        queues = [
            list(
                q.invitations.filter(revoked_at__isnull=True, response__isnull=True)
                .exclude(contact__user__isnull=False)  # the demo's own accounts answer for themselves
                .order_by("stakeholder__name", "id")
            )
            for q in made
        ]
        answered = 0
        while submitted_before + answered < ANSWERS_WANTED and any(queues):
            for queue in queues:
                if queue and submitted_before + answered < ANSWERS_WANTED:
                    self.respond(queue.pop(0), submitted_before + answered, skills)
                    answered += 1
        return answered

    def respond(self, invitation: QuestionnaireInvitation, n: int, skills: list[str]) -> None:
        if invitation.sent_at is None:
            # What the queued email task does (once per invitation: the email ledger keys it); done
            # here so that the demo's answers need no running cluster.
            links.send_questionnaire_link(invitation.pk, links.Kind.FIRST)
            invitation.refresh_from_db()
        questions = answers.questions_of(invitation.questionnaire)
        reply = {q.key: self.answer(q, n, skills) for q in questions}
        reply = {k: v for k, v in reply.items() if v is not None}
        shown = answers.visible_keys(questions, reply)
        answers.response_save(
            invitation=invitation,
            changes={k: v for k, v in reply.items() if k in shown},
            language=invitation.language,
            submit=True,
        )

    def answer(self, question: Question, n: int, skills: list[str]) -> Any:
        """A plausible answer, varied by the respondent's number n."""
        options = [o["value"] for o in question.options or []]
        kind = question.kind
        if kind == Question.Kind.SINGLE:
            return options[n % len(options)] if options else None
        if kind == Question.Kind.MULTIPLE:
            picked = [options[(n + i) % len(options)] for i in range(1 + n % 3)] if options else []
            return [o for o in options if o in picked and o != "none"] or options[:1]
        if kind == Question.Kind.SCALE:
            return 2 + (n + question.position) % 4
        if kind == Question.Kind.NUMBER:
            low = (question.settings or {}).get("min", 0)
            high = (question.settings or {}).get("max", 1000)
            guess = {"internship_weeks": 8 + n % 8, "programme_count": 3 + n % 12, "staff_count": 40 + 15 * n}
            return max(low, min(high, guess.get(question.key, 50 + 37 * n)))
        if kind == Question.Kind.DATE:
            return (self.today - timedelta(days=200 + 45 * n)).isoformat()
        if kind == Question.Kind.SKILLS:
            words = TAUGHT_WORDS if question.skill_purpose == Question.SkillPurpose.TAUGHT else NEEDED_WORDS
            fitting = [s for s in skills if any(w in s for w in words)] or skills
            chosen = [fitting[(n + i * 3) % len(fitting)] for i in range(4)] if fitting else []
            return [{"skill": s, "level": 2 + (n + i) % 4} for i, s in enumerate(dict.fromkeys(chosen))] or None
        if kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            return TEXTS.get(question.key, "See our annual report; we would welcome a follow-up meeting.")
        return None


TEXTS = {
    "main_programmes": "BSc Computer Science, BSc Software Engineering, MSc Information Systems.",
    "framework_name": "ACM/IEEE Computing Curricula",
    "hardest_to_teach": "Cloud and DevOps practice: our labs have no access to cloud accounts.",
    "comments": "Industry projects in the final year would help our graduates most.",
    "online_needs": "A case-management system shared by all employment offices, and an online job portal.",
    "constraints": "Old computers, slow connections outside Baghdad, and few staff trained in data analysis.",
    "support_wanted": "Training for our IT staff in data analysis and cybersecurity; help with an LMIS.",
}
