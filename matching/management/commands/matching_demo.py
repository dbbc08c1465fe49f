"""`manage.py matching_demo`: booths, openings, profiles and bilateral wishes on top of `seed_demo`.

Idempotent: rows are found by natural keys and only created when missing; profiles are written
once. Run `seed_demo` first. Deterministic (a fixed random seed), so a demo looks the same each time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.models import Event, Organisation, Registration, User
from matching.demo_fair import opening_create, profile_set
from matching.models import (
    BilateralWish,
    Booth,
    CandidateProfile,
    FairConfig,
    Opening,
    Skill,
)
from matching.selectors import official_at

FAIR = "digital-explorers-job-fair-baghdad"
TODAY = "demo-fair-today"  # seed_demo's fair happening today
DOOR_STAFF = "staff@explorers.example"
DEMO_CANDIDATE = "zainab.hussein@mail.example"
DIALOGUE = "lt-iq-policy-dialogue-vilnius"

# employer -> (tables, [(title, kind, country, city, remote, relocation, seats, required, nice, languages)])
OPENINGS: dict[str, tuple[int, list[tuple[Any, ...]]]] = {
    "Nemunas Software UAB": (
        2,
        [
            (
                "Junior Python developer",
                "job",
                "LT",
                "Kaunas",
                "hybrid",
                True,
                3,
                {"python": 3, "django": 2},
                {"postgresql": 2, "git": 2},
                {"en": 3},
            ),
            (
                "QA automation intern",
                "internship",
                "LT",
                "Kaunas",
                "remote",
                False,
                2,
                {"test-automation": 2},
                {"python": 2},
                {"en": 3},
            ),
        ],
    ),
    "Vilnius Cloud Labs UAB": (
        2,
        [
            (
                "Cloud engineer",
                "job",
                "LT",
                "Vilnius",
                "onsite",
                True,
                2,
                {"aws": 3, "linux": 3},
                {"terraform": 2, "docker": 2},
                {"en": 3},
            ),
            (
                "DevOps intern",
                "internship",
                "LT",
                "Vilnius",
                "hybrid",
                True,
                2,
                {"docker": 2, "linux": 2},
                {"ci-cd": 2},
                {"en": 2},
            ),
        ],
    ),
    "Amber Data UAB": (
        1,
        [
            (
                "Data analyst",
                "job",
                "LT",
                "Klaipėda",
                "remote",
                False,
                2,
                {"sql": 3, "data-analysis": 3},
                {"data-visualisation": 2, "python": 2},
                {"en": 3},
            ),
        ],
    ),
    "Gedimino Fintech UAB": (
        1,
        [
            (
                "Security analyst",
                "job",
                "LT",
                "Vilnius",
                "onsite",
                True,
                1,
                {"cybersecurity": 3, "networking": 2},
                {"soc": 2},
                {"en": 3},
            ),
            (
                "Frontend developer",
                "job",
                "LT",
                "Vilnius",
                "hybrid",
                True,
                2,
                {"javascript": 3, "react": 3},
                {"typescript": 2},
                {"en": 3},
            ),
        ],
    ),
    "Tigris Tech": (
        2,
        [
            (
                "Backend developer",
                "job",
                "IQ",
                "Baghdad",
                "onsite",
                False,
                3,
                {"php": 3, "mysql": 2},
                {"laravel": 2},
                {"ar": 4},
            ),
            ("Mobile developer", "job", "IQ", "Baghdad", "onsite", False, 2, {"flutter": 3}, {"android": 2}, {"ar": 3}),
        ],
    ),
    "Erbil Digital Solutions": (
        1,
        [
            (
                "UI/UX designer",
                "job",
                "IQ",
                "Erbil",
                "hybrid",
                False,
                1,
                {"ux-design": 3, "figma": 3},
                {"ui-design": 2},
                {"en": 2},
            ),
        ],
    ),
    "Basra Net Services": (
        1,
        [
            (
                "Network engineer",
                "job",
                "IQ",
                "Basra",
                "onsite",
                False,
                2,
                {"networking": 3, "cisco": 2},
                {"linux": 2},
                {"ar": 3},
            ),
        ],
    ),
    "Mesopotamia Cloud": (
        2,
        [
            (
                "Data engineering intern",
                "internship",
                "IQ",
                "Baghdad",
                "hybrid",
                False,
                3,
                {"python": 2, "sql": 2},
                {"data-engineering": 1},
                {},
            ),
            (
                "Project coordinator",
                "job",
                "IQ",
                "Baghdad",
                "onsite",
                False,
                1,
                {"project-management": 3},
                {"agile": 2, "jira": 2},
                {"en": 3, "ar": 4},
            ),
        ],
    ),
}

# Candidate skill profiles to draw from: (skills with levels, Iraqi city).
PROFILES = [
    ({"python": 4, "django": 3, "sql": 3, "git": 3}, "baghdad"),
    ({"javascript": 4, "react": 3, "html-css": 4, "typescript": 2}, "baghdad"),
    ({"sql": 4, "data-analysis": 4, "excel": 4, "data-visualisation": 3}, "erbil"),
    ({"linux": 4, "docker": 3, "aws": 2, "bash": 3}, "basra"),
    ({"networking": 4, "cisco": 3, "network-security": 2}, "basra"),
    ({"php": 4, "laravel": 3, "mysql": 3}, "baghdad"),
    ({"flutter": 3, "dart": 3, "android": 2}, "erbil"),
    ({"ux-design": 3, "figma": 4, "ui-design": 3, "graphic-design": 3}, "sulaymaniyah"),
    ({"cybersecurity": 3, "penetration-testing": 2, "linux": 3, "networking": 3}, "baghdad"),
    ({"python": 3, "machine-learning": 3, "statistics": 3, "sql": 2}, "najaf"),
    ({"project-management": 3, "agile": 3, "scrum": 3, "jira": 3}, "baghdad"),
    ({"software-testing": 3, "test-automation": 2, "python": 2}, "karbala"),
]


class Command(BaseCommand):
    help = "Add booths, openings, candidate profiles and bilateral wishes to the seed_demo events (idempotent)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        fair = Event.objects.filter(slug=FAIR).first()
        if fair is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        if not Skill.objects.exists():
            raise CommandError("No skills: run `manage.py migrate` (or `load_skills`).")
        rng = random.Random(2026)
        self.fair(fair)
        self.profiles(fair, rng)
        today = Event.objects.filter(slug=TODAY).first()
        if today is not None:
            self.fair(today)
            self.arrivals(today)
        dialogue = Event.objects.filter(slug=DIALOGUE).first()
        if dialogue is not None:
            self.dialogue(dialogue)
        self.stdout.write("matching demo ready")

    def fair(self, fair: Event) -> None:
        tz = fair.tzinfo
        day = fair.starts_at.astimezone(tz).date()
        start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=tz)
        config, _created = FairConfig.objects.get_or_create(
            event=fair, defaults={"starts_at": start, "ends_at": start + timedelta(hours=6)}
        )
        if config.starts_at.astimezone(tz).date() != day:
            # The fair moved to another day (seed_demo moves today's fair to today): its meetings follow.
            shift = start - config.starts_at
            FairConfig.objects.filter(pk=config.pk).update(starts_at=start, ends_at=config.ends_at + shift)
        for org_name, (tables, openings) in OPENINGS.items():
            org = Organisation.objects.filter(name=org_name).first()
            if org is None:
                continue
            Booth.objects.get_or_create(event=fair, organisation=org, defaults={"tables": tables})
            for title, kind, country, city, remote, reloc, seats, required, nice, langs in openings:
                if Opening.objects.filter(event=fair, organisation=org, title=title).exists():
                    continue
                opening_create(
                    event=fair,
                    organisation=org,
                    title=title,
                    required=required,
                    nice=nice,
                    languages=langs,
                    kind=kind,
                    country=country,
                    city=city,
                    remote_policy=remote,
                    relocation_support=reloc,
                    visa_support=reloc,
                    seats=seats,
                )

    def arrivals(self, fair: Event) -> None:
        """Today's fair: the employers at their booths and every other candidate through the door.

        Scanned by the demo's door staff like any arrival, so the boards, the control room and the
        lobby screen have people present; the other candidates' tickets are left for you to scan.
        """
        from checkin.door import checkin_scan
        from checkin.models import Ticket
        from checkin.selectors import ticket_payload

        # Arrivals of an earlier day (the fair moved to today) are forgotten at the door.
        Ticket.objects.filter(event=fair, first_in_at__lt=fair.starts_at).update(
            inside=False, first_in_at=None, first_in_gate="", last_scan_at=None
        )
        staff = User.objects.filter(email=DOOR_STAFF).first()
        seated = (
            Registration.objects.filter(event=fair, status=Registration.Status.REGISTERED, ticket__isnull=False)
            .select_related("ticket", "user")
            .order_by("user__email")
        )
        employers = [r for r in seated if r.role == Registration.Role.EMPLOYER]
        # The demo's candidate (make run prints her login) stays outside: her ticket is yours to scan.
        candidates = [r for r in seated if r.role == Registration.Role.CANDIDATE and r.user.email != DEMO_CANDIDATE]
        for registration in employers + candidates[1::2]:
            ticket = registration.ticket
            if ticket.first_in_at is not None and ticket.first_in_at >= fair.starts_at:
                continue  # already arrived today
            checkin_scan(event=fair, payload=ticket_payload(ticket), gate="Main entrance", user=staff)

    def profiles(self, fair: Event, rng: random.Random) -> None:
        regs = Registration.objects.filter(event=fair, role=Registration.Role.CANDIDATE).select_related("user")
        for i, reg in enumerate(regs.order_by("user__email")):
            if CandidateProfile.objects.filter(user=reg.user).exists():
                continue  # written once: a demo's profiles may have been edited since
            fields = {
                "years_experience": rng.randint(0, 5),
                "seeking": rng.choice(["job", "internship", "both"]),
                "relocate_lithuania": rng.random() < 0.6,
                "remote": rng.random() < 0.7,
                "education": rng.choice(["student", "bachelor", "master"]),
            }
            base, city = PROFILES[i % len(PROFILES)]
            skills = {slug: max(1, min(5, level + rng.choice([-1, 0, 0, 1]))) for slug, level in base.items()}
            profile_set(
                user=reg.user, skills=skills, languages={"ar": 5, "en": rng.randint(2, 5)}, cities=[city], **fields
            )

    def dialogue(self, dialogue: Event) -> None:
        tz = dialogue.tzinfo
        day = dialogue.starts_at.astimezone(tz).date() + timedelta(days=1)
        start = datetime(day.year, day.month, day.day, 11, 30, tzinfo=tz)
        FairConfig.objects.get_or_create(
            event=dialogue, defaults={"starts_at": start, "ends_at": start + timedelta(hours=4), "slot_minutes": 30}
        )
        officials = Registration.objects.filter(event=dialogue, role=Registration.Role.OFFICIAL).select_related(
            "user", "organisation", "user__organisation"
        )
        for reg in officials:
            own = reg.organisation or reg.user.organisation
            # Only officials who may act for their institution (seed_demo grants them) state wishes.
            if own is None or not official_at(user=reg.user, event=dialogue):
                continue
            # Each official wants to meet the other delegation's institutions, the labour ministries most.
            for other in Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT).exclude(country=own.country):
                weight = 5 if "Labour" in other.name else 3
                BilateralWish.objects.get_or_create(
                    event=dialogue, official=reg.user, counterpart=other, defaults={"weight": weight}
                )
