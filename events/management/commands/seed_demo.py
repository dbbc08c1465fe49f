"""python manage.py seed_demo: the Digital Explorers – Iraq Edition programme as demo data.

Idempotent: everything is found by its natural key (slug, email, name) and only created when
missing, so a second run changes nothing and an organiser's edits to the demo survive `make run`.
Registrations are written directly, not through the registration service, so seeding sends no email;
the seats taken are announced like the service's (events.hooks), so every seated person has a ticket.
"""

from __future__ import annotations

# ruff: noqa: E501  (the programme below reads best as one row per session)
import time
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from events import hooks, memberships
from events.models import Event, Membership, Organisation, Registration, Room, Session, User

PASSWORD = "explorers-demo"
ORGANISER_EMAIL = "organiser@explorers.example"
STAFF_EMAIL = "staff@explorers.example"
# One person of every other role gets the demo password too (none of them is staff), so a newcomer can
# sign in at /me/sign-in/ as each role without an email. Real attendees use their emailed link.
EMPLOYER_EMAIL = "aiste@nemunas-software.example"
CANDIDATE_EMAIL = "zainab.hussein@mail.example"
OFFICIAL_EMAIL = "ruta.kazlauskiene@socmin.example"
DEMO_LOGINS = (EMPLOYER_EMAIL, CANDIDATE_EMAIL, OFFICIAL_EMAIL)

ABOUT = (
    "Digital Explorers – Iraq Edition builds a digital talent and mobility partnership between Lithuania and "
    "Iraq: advanced digital skills training for young Iraqi ICT professionals, a job fair opening internships "
    "and jobs, and a policy dialogue between Lithuanian and Iraqi officials on labour migration and the "
    "digital economy. Implemented by VšĮ OSMOS Global Partnerships within the Migration Partnership Facility "
    "(MPF), funded by the European Union and contracted by ICMPD."
)

# (name, kind, country, city, website)
ORGANISATIONS = [
    ("OSMOS Global Partnerships", "ngo", "LT", "Vilnius", "https://osmos.example"),
    ("ICMPD – Migration Partnership Facility", "ngo", "AT", "Vienna", ""),
    ("Ministry of Social Security and Labour", "government", "LT", "Vilnius", ""),
    ("Migration Department under the Ministry of the Interior", "government", "LT", "Vilnius", ""),
    ("Ministry of Economy and Innovation", "government", "LT", "Vilnius", ""),
    ("Employment Service of Lithuania", "government", "LT", "Vilnius", ""),
    ("Ministry of Labour and Social Affairs", "government", "IQ", "Baghdad", ""),
    ("Ministry of Communications", "government", "IQ", "Baghdad", ""),
    ("Ministry of Higher Education and Scientific Research", "government", "IQ", "Baghdad", ""),
    ("Nemunas Software UAB", "employer", "LT", "Kaunas", "https://nemunas-software.example"),
    ("Vilnius Cloud Labs UAB", "employer", "LT", "Vilnius", "https://cloudlabs.example"),
    ("Amber Data UAB", "employer", "LT", "Klaipėda", "https://amberdata.example"),
    ("Gedimino Fintech UAB", "employer", "LT", "Vilnius", "https://gfintech.example"),
    ("Tigris Tech", "employer", "IQ", "Baghdad", "https://tigris-tech.example"),
    ("Erbil Digital Solutions", "employer", "IQ", "Erbil", "https://erbil-digital.example"),
    ("Basra Net Services", "employer", "IQ", "Basra", "https://basranet.example"),
    ("Mesopotamia Cloud", "employer", "IQ", "Baghdad", "https://mesopotamia-cloud.example"),
    ("University of Baghdad", "university", "IQ", "Baghdad", ""),
    ("University of Technology – Iraq", "university", "IQ", "Baghdad", ""),
    ("Vilnius Tech Park", "tech_hub", "LT", "Vilnius", ""),
    ("Baghdad Innovation Hub", "tech_hub", "IQ", "Baghdad", ""),
    ("Kaunas Coding Academy", "training_provider", "LT", "Kaunas", ""),
]

# (full name, email, organisation, language, delegation)
OFFICIALS = [
    ("Rūta Kazlauskienė", "ruta.kazlauskiene@socmin.example", "Ministry of Social Security and Labour", "lt", "LT"),
    (
        "Tomas Petrauskas",
        "tomas.petrauskas@migracija.example",
        "Migration Department under the Ministry of the Interior",
        "lt",
        "LT",
    ),
    ("Eglė Stankevičiūtė", "egle.stankeviciute@eimin.example", "Ministry of Economy and Innovation", "lt", "LT"),
    ("Mindaugas Jankauskas", "mindaugas.jankauskas@uzt.example", "Employment Service of Lithuania", "en", "LT"),
    ("د. أحمد الربيعي", "ahmed.alrubaie@molsa.example", "Ministry of Labour and Social Affairs", "ar", "IQ"),
    ("نور الجبوري", "noor.aljaburi@molsa.example", "Ministry of Labour and Social Affairs", "ar", "IQ"),
    ("حسن كريم", "hassan.kareem@moc.example", "Ministry of Communications", "ar", "IQ"),
    (
        "ليلى العبيدي",
        "layla.alobaidi@mohesr.example",
        "Ministry of Higher Education and Scientific Research",
        "en",
        "IQ",
    ),
]

# (full name, email, organisation)
EMPLOYERS = [
    ("Aistė Vaitkutė", "aiste@nemunas-software.example", "Nemunas Software UAB"),
    ("Justas Mockus", "justas@cloudlabs.example", "Vilnius Cloud Labs UAB"),
    ("Ieva Paulauskaitė", "ieva@amberdata.example", "Amber Data UAB"),
    ("Darius Urbonas", "darius@gfintech.example", "Gedimino Fintech UAB"),
    ("بشير الساعدي", "bashir@tigris-tech.example", "Tigris Tech"),
    ("Shilan Karim", "shilan@erbil-digital.example", "Erbil Digital Solutions"),
    ("مصطفى العيداني", "mustafa@basranet.example", "Basra Net Services"),
    ("رنا التميمي", "rana@mesopotamia-cloud.example", "Mesopotamia Cloud"),
]

# (full name in Arabic, email, language, university or "")
CANDIDATES = [
    ("زينب علي حسين", "zainab.hussein@mail.example", "ar", "University of Baghdad"),
    ("علي حسن جاسم", "ali.jassim@mail.example", "ar", "University of Technology – Iraq"),
    ("مريم عبد الله الكبيسي", "maryam.alkubaisi@mail.example", "ar", "University of Baghdad"),
    ("محمد قاسم العزاوي", "mohammed.alazzawi@mail.example", "en", "University of Technology – Iraq"),
    ("فاطمة كاظم الموسوي", "fatima.almousawi@mail.example", "ar", ""),
    ("حيدر عباس الشمري", "haider.alshammari@mail.example", "ar", "University of Baghdad"),
    ("سارة يوسف النعيمي", "sara.alnuaimi@mail.example", "en", ""),
    ("عمر خالد الدليمي", "omar.aldulaimi@mail.example", "ar", "University of Technology – Iraq"),
    ("نبأ رعد الحسيني", "nabaa.alhusseini@mail.example", "ar", ""),
    ("يوسف مهدي الخفاجي", "yousif.alkhafaji@mail.example", "en", "University of Baghdad"),
    ("رقية سعد البياتي", "ruqaya.albayati@mail.example", "ar", ""),
    ("مصطفى جبار الساعدي", "mustafa.alsaadi@mail.example", "ar", "University of Technology – Iraq"),
    ("آية نزار الجنابي", "aya.aljanabi@mail.example", "ar", "University of Baghdad"),
    ("كرار حميد العبودي", "karrar.alabboudi@mail.example", "en", ""),
    ("هبة سلام الربيعي", "hiba.alrubaie@mail.example", "ar", "University of Baghdad"),
    ("أحمد فلاح الزبيدي", "ahmed.alzubaidi@mail.example", "ar", ""),
    ("دعاء ماجد التكريتي", "duaa.altikriti@mail.example", "ar", "University of Technology – Iraq"),
    ("حسين علاء الكعبي", "hussein.alkaabi@mail.example", "en", ""),
    ("شهد باسم العاني", "shahad.alani@mail.example", "ar", "University of Baghdad"),
    ("ئارام جمال", "aram.jamal@mail.example", "ckb", ""),
    ("Lana Rebwar", "lana.rebwar@mail.example", "en", ""),
]

TRAINING_MODULES = [
    "Python fundamentals",
    "Web development with Django",
    "Databases and SQL",
    "Cloud fundamentals",
    "Cybersecurity essentials",
    "Data analysis with pandas",
    "DevOps and CI/CD",
    "Soft skills for international teams",
]

PUBLIC, REGISTERED, OFFICIALS_ONLY = Session.Audience.PUBLIC, Session.Audience.REGISTERED, Session.Audience.OFFICIALS

# (title, kind, day offset, "HH:MM" local, minutes, room, audience, speakers, track)
# fmt: off
JOB_FAIR_SESSIONS = [
    ("Opening: digital talent between Lithuania and Iraq", "talk", 0, "09:00", 30, "Main Hall", PUBLIC, "Gintarė Organiser, Rūta Kazlauskienė", "Main stage"),
    ("Employer booths – morning block", "booth", 0, "09:30", 150, "Booth Area", REGISTERED, "", "Booths"),
    ("Working in Lithuania's ICT sector", "panel", 0, "10:00", 60, "Main Hall", PUBLIC, "Aistė Vaitkutė, Justas Mockus, Darius Urbonas", "Main stage"),
    ("Writing a CV for European employers", "workshop", 0, "11:00", 60, "Workshop Room", REGISTERED, "Kaunas Coding Academy", "Workshops"),
    ("Lunch break", "break", 0, "12:00", 60, "", PUBLIC, "", ""),
    ("Employer booths – afternoon block", "booth", 0, "13:00", 150, "Booth Area", REGISTERED, "", "Booths"),
    ("Work permits and visas: pathways to Lithuania", "talk", 0, "13:00", 45, "Main Hall", PUBLIC, "Tomas Petrauskas", "Main stage"),
    ("Remote internships with Lithuanian companies", "talk", 0, "14:00", 45, "Main Hall", PUBLIC, "Ieva Paulauskaitė", "Main stage"),
    ("Iraq's growing tech sector: hiring at home", "panel", 0, "15:00", 60, "Main Hall", PUBLIC, "بشير الساعدي, Shilan Karim, رنا التميمي", "Main stage"),
    ("Closing and next steps", "talk", 0, "16:30", 30, "Main Hall", PUBLIC, "Gintarė Organiser", "Main stage"),
]

# The demo's job fair happening today (in Baghdad's day), so the door scanner accepts the demo tickets
# and the boards have people to show. Its day follows the calendar: each run moves it to today.
TODAY_SLUG = "demo-fair-today"
TODAY_SESSIONS = [
    ("Employer booths – open all day", "booth", 0, "00:00", 23 * 60 + 59, "Booth Area", REGISTERED, "", "Booths"),
    ("Opening: digital talent between Lithuania and Iraq", "talk", 0, "09:00", 30, "Main Hall", PUBLIC, "Gintarė Organiser, Rūta Kazlauskienė", "Main stage"),
    ("Working in Lithuania's ICT sector", "panel", 0, "10:00", 60, "Main Hall", PUBLIC, "Aistė Vaitkutė, Justas Mockus", "Main stage"),
    ("Writing a CV for European employers", "workshop", 0, "11:00", 60, "Workshop Room", REGISTERED, "Kaunas Coding Academy", "Workshops"),
    ("Work permits and visas: pathways to Lithuania", "talk", 0, "13:00", 45, "Main Hall", PUBLIC, "Tomas Petrauskas", "Main stage"),
    ("Iraq's growing tech sector: hiring at home", "panel", 0, "15:00", 60, "Main Hall", PUBLIC, "بشير الساعدي, رنا التميمي", "Main stage"),
    ("Closing and next steps", "talk", 0, "17:00", 30, "Main Hall", PUBLIC, "Gintarė Organiser", "Main stage"),
]

DIALOGUE_SESSIONS = [
    ("Opening of the dialogue", "talk", 0, "09:00", 45, "Plenary Hall", PUBLIC, "Rūta Kazlauskienė, د. أحمد الربيعي", "Plenary"),
    ("Labour market needs of Iraq's digital economy", "panel", 0, "10:00", 90, "Plenary Hall", REGISTERED, "نور الجبوري, Mindaugas Jankauskas, بشير الساعدي", "Plenary"),
    ("Reviewing ICT curricula with universities", "workshop", 0, "13:00", 90, "Meeting Room A", REGISTERED, "ليلى العبيدي, Kaunas Coding Academy", "Skills"),
    ("Migration management: technical exchange", "panel", 0, "13:00", 90, "Meeting Room B", OFFICIALS_ONLY, "Tomas Petrauskas, حسن كريم", "Officials"),
    ("Legal pathways for ICT specialists", "talk", 0, "15:00", 60, "Plenary Hall", REGISTERED, "Tomas Petrauskas", "Plenary"),
    ("Roadmap for bilateral cooperation (drafting)", "workshop", 1, "09:00", 120, "Meeting Room B", OFFICIALS_ONLY, "", "Officials"),
    ("Closing and press statement", "talk", 1, "16:00", 45, "Plenary Hall", PUBLIC, "Rūta Kazlauskienė, د. أحمد الربيعي", "Plenary"),
]
# fmt: on


class Command(BaseCommand):
    help = "Load the Digital Explorers – Iraq Edition demo (idempotent; sends no email)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self.created = 0
        self.seated: list[int] = []
        with transaction.atomic():
            self.seed()
            hooks.registrations_seated(registration_ids=self.seated)
        elapsed = time.monotonic() - started
        if self.created:
            self.stdout.write(self.style.SUCCESS(f"Demo data: {self.created} objects created in {elapsed:.1f} s."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write(f"Organiser: {ORGANISER_EMAIL} / {PASSWORD}    Door staff: {STAFF_EMAIL} / {PASSWORD}")
        self.stdout.write(
            f"Employer: {EMPLOYER_EMAIL} / {PASSWORD}    Candidate: {CANDIDATE_EMAIL} / {PASSWORD}    "
            f"Official: {OFFICIAL_EMAIL} / {PASSWORD}"
        )

    def get_or_create(self, model: Any, defaults: dict[str, Any] | None = None, **lookup: Any) -> Any:
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj

    def person(self, email: str, full_name: str, *, org: Organisation | None = None, language: str = "en") -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name, organisation=org, language=language)
            self.created += 1
        if email in DEMO_LOGINS and not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def member(self, user: User, organisation: Organisation, *, by: User) -> None:
        """A granted membership, as after an organiser's approval; the first member of each organisation is its admin."""
        if Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.GRANTED).exists():
            return
        first = not Membership.objects.filter(organisation=organisation, is_admin=True).exists()
        memberships.membership_grant(user=user, organisation=organisation, by=by, is_admin=first)
        self.created += 1

    def account(self, email: str, full_name: str, *, superuser: bool) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            make = User.objects.create_superuser if superuser else User.objects.create_user
            user = make(email=email, password=PASSWORD, full_name=full_name)
            self.created += 1
        return user

    def register(self, event: Event, user: User, role: str, **fields: Any) -> Registration:
        fields.setdefault("organisation", user.organisation)
        fields.setdefault("language", user.language)
        registration = self.get_or_create(Registration, event=event, user=user, defaults={"role": role, **fields})
        if registration.status in Registration.SEATED:
            self.seated.append(registration.pk)
        return registration

    def organisers_group(self) -> None:
        """A group with every permission of the platform's apps: staff + this group = an organiser in the admin."""
        group, created = Group.objects.get_or_create(name="Organisers")
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label__in=("events", "checkin", "matching"))
            )
            self.created += 1

    def seed(self) -> None:
        self.organisers_group()
        orgs = {
            name: self.get_or_create(
                Organisation, name=name, country=country, defaults={"kind": kind, "city": city, "website": web}
            )
            for name, kind, country, city, web in ORGANISATIONS
        }
        organiser = self.account(ORGANISER_EMAIL, "Gintarė Organiser (OSMOS)", superuser=True)
        staff = self.account(STAFF_EMAIL, "Door Staff", superuser=False)
        officials = [
            (self.person(email, name, org=orgs[org], language=lang), delegation)
            for name, email, org, lang, delegation in OFFICIALS
        ]
        employers = [self.person(email, name, org=orgs[org]) for name, email, org in EMPLOYERS]
        # Employers and officials speak for their organisations only as granted members.
        for user in employers + [user for user, _delegation in officials]:
            self.member(user, user.organisation, by=organiser)
        candidates = [
            self.person(email, name, org=orgs.get(uni), language=lang) for name, email, lang, uni in CANDIDATES
        ]
        self.job_fair(organiser, staff, officials, employers, candidates)
        self.fair_today(organiser, staff, officials, employers, candidates)
        self.dialogue(organiser, staff, officials, employers)
        self.training(organiser, candidates)

    def event(self, slug: str, tz: str, day: date, hour: int, duration: timedelta, **fields: Any) -> Event:
        starts = datetime(day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo(tz))
        defaults = {"timezone": tz, "starts_at": starts, "ends_at": starts + duration, **fields}
        return self.get_or_create(Event, slug=slug, defaults=defaults)

    def sessions(self, event: Event, rows: list[tuple[Any, ...]]) -> None:
        """rows: (title, kind, day offset, "HH:MM", minutes, room, audience, speakers, track)."""
        tz = event.tzinfo
        first = event.starts_at.astimezone(tz).date()
        for title, kind, offset, hhmm, minutes, room_name, audience, speakers, track in rows:
            day = first + timedelta(days=offset)
            hour, minute = map(int, hhmm.split(":"))
            starts = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
            room = self.get_or_create(Room, event=event, name=room_name) if room_name else None
            self.get_or_create(
                Session,
                event=event,
                title=title,
                defaults={
                    "kind": kind,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(minutes=minutes),
                    "room": room,
                    "audience": audience,
                    "speakers": speakers,
                    "track": track,
                },
            )

    def job_fair(self, organiser: User, staff: User, officials: list, employers: list, candidates: list) -> None:
        today = timezone.localdate()
        fair = self.event(
            "digital-explorers-job-fair-baghdad",
            "Asia/Baghdad",
            today + timedelta(days=21),
            9,
            timedelta(hours=8),
            title="Digital Explorers Job Fair – Baghdad",
            kind=Event.Kind.JOB_FAIR,
            venue="Baghdad Business Center, Babylon Hall",
            address="14th Ramadan Street, Al-Mansour, Baghdad",
            status=Event.Status.PUBLISHED,
            capacity=250,
            description="Meet Lithuanian and Iraqi ICT employers offering internships, remote roles and jobs. " + ABOUT,
        )
        for name, capacity in (("Main Hall", 250), ("Booth Area", 200), ("Workshop Room", 40)):
            self.get_or_create(Room, event=fair, name=name, defaults={"capacity": capacity})
        self.sessions(fair, JOB_FAIR_SESSIONS)
        self.register(fair, organiser, Registration.Role.ORGANISER)
        self.register(fair, staff, Registration.Role.STAFF)
        for user in employers:
            self.register(fair, user, Registration.Role.EMPLOYER, consent_attendee_list=True)
        for user, delegation in officials[:2] + officials[4:6]:
            self.register(fair, user, Registration.Role.OFFICIAL, delegation=delegation)
        for i, user in enumerate(candidates):
            # Most agree to share their profile with employers; some prefer not to be listed.
            self.register(
                fair,
                user,
                Registration.Role.CANDIDATE,
                consent_share_profile=i % 5 != 4,
                consent_attendee_list=i % 3 != 2,
            )

    def fair_today(self, organiser: User, staff: User, officials: list, employers: list, candidates: list) -> None:
        """A job fair all of today in Baghdad: check-in open now, the booth block running, tickets issued."""
        tz = zoneinfo.ZoneInfo("Asia/Baghdad")
        today = timezone.localdate(timezone=tz)
        starts = datetime(today.year, today.month, today.day, tzinfo=tz)
        fair = self.get_or_create(
            Event,
            slug=TODAY_SLUG,
            defaults={
                "timezone": "Asia/Baghdad",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=23, minutes=59),
                "title": "Digital Explorers Job Fair – today (demo)",
                "kind": Event.Kind.JOB_FAIR,
                "venue": "Baghdad Business Center, Babylon Hall",
                "address": "14th Ramadan Street, Al-Mansour, Baghdad",
                "status": Event.Status.LIVE,
                "capacity": 250,
                "description": "The demo's fair happening today: scan the demo tickets at the door, watch the "
                "employers' boards and the control room. " + ABOUT,
            },
        )
        self.move_to_today(fair, starts)
        for name, capacity in (("Main Hall", 250), ("Booth Area", 200), ("Workshop Room", 40)):
            self.get_or_create(Room, event=fair, name=name, defaults={"capacity": capacity})
        self.sessions(fair, TODAY_SESSIONS)
        # The booth block is under way (the control room shows it live).
        Session.objects.filter(event=fair, kind=Session.Kind.BOOTH, status=Session.Status.SCHEDULED).update(
            status=Session.Status.LIVE
        )
        self.register(fair, organiser, Registration.Role.ORGANISER)
        self.register(fair, staff, Registration.Role.STAFF)
        for user in employers:
            self.register(fair, user, Registration.Role.EMPLOYER, consent_attendee_list=True)
        for user, delegation in officials[:2]:
            self.register(fair, user, Registration.Role.OFFICIAL, delegation=delegation)
        for i, user in enumerate(candidates):
            self.register(
                fair, user, Registration.Role.CANDIDATE, consent_share_profile=i % 5 != 4, consent_attendee_list=True
            )

    def move_to_today(self, fair: Event, starts: datetime) -> None:
        """A database seeded on an earlier day: the fair and its sessions move to today, times of day kept."""
        shift = starts - fair.starts_at
        if not shift:
            return
        Event.objects.filter(pk=fair.pk).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
        # A new day's programme: what was started or ended on the earlier day is scheduled again.
        Session.objects.filter(event=fair).update(
            starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift, status=Session.Status.SCHEDULED
        )
        fair.refresh_from_db()
        self.created += 1

    def dialogue(self, organiser: User, staff: User, officials: list, employers: list) -> None:
        today = timezone.localdate()
        dialogue = self.event(
            "lt-iq-policy-dialogue-vilnius",
            "Europe/Vilnius",
            today + timedelta(days=35),
            9,
            timedelta(days=1, hours=8),
            title="Lithuania–Iraq Policy Dialogue on Labour Mobility and the Digital Economy",
            kind=Event.Kind.DIALOGUE,
            venue="Vilnius Tech Park, Conference Centre",
            address="Antakalnio g. 17, Vilnius",
            status=Event.Status.PUBLISHED,
            capacity=60,
            description="Two days of exchange between Lithuanian and Iraqi officials, employers and training "
            "providers on labour market needs, migration management and cooperation in the digital economy, "
            "ending with a roadmap for bilateral cooperation. " + ABOUT,
        )
        for name in ("Plenary Hall", "Meeting Room A", "Meeting Room B"):
            self.get_or_create(Room, event=dialogue, name=name)
        rows = list(DIALOGUE_SESSIONS)
        # Bilateral meeting slots between the delegations, officials only.
        for i, hhmm in enumerate(("11:30", "12:00", "13:30", "14:00", "14:30", "15:00")):
            room = "Meeting Room A" if i % 2 == 0 else "Meeting Room B"
            rows.append(
                (f"Bilateral meeting slot {i + 1}", "bilateral", 1, hhmm, 30, room, OFFICIALS_ONLY, "", "Bilaterals")
            )
        self.sessions(dialogue, rows)
        self.register(dialogue, organiser, Registration.Role.ORGANISER)
        self.register(dialogue, staff, Registration.Role.STAFF)
        for user, delegation in officials:
            self.register(dialogue, user, Registration.Role.OFFICIAL, delegation=delegation, consent_attendee_list=True)
        for user in employers[::2]:
            self.register(dialogue, user, Registration.Role.SPEAKER, consent_attendee_list=True)

    def training(self, organiser: User, candidates: list) -> None:
        today = timezone.localdate()
        # Classes on Sundays and Tuesdays (the Iraqi working week), 16:00–19:00 Baghdad time, for 22 weeks.
        first_sunday = today + timedelta(days=14 + (6 - today.weekday()) % 7)
        programme = self.event(
            "digital-explorers-ict-training",
            "Asia/Baghdad",
            first_sunday,
            16,
            timedelta(weeks=21, days=2, hours=3),
            title="Digital Explorers ICT Training Programme",
            kind=Event.Kind.TRAINING,
            venue="Baghdad Innovation Hub",
            address="Karrada Dakhil, Baghdad",
            status=Event.Status.PUBLISHED,
            capacity=20,
            description="A five-month training programme in advanced digital skills for 15–25 aspiring Iraqi ICT "
            "professionals, taught in English with Arabic support, blended with mentoring by Lithuanian "
            "companies. It also maps the skills gaps of young Iraqis building ICT careers. " + ABOUT,
        )
        rows: list[tuple[Any, ...]] = [
            (
                "Kick-off and skills assessment",
                "talk",
                0,
                "16:00",
                180,
                "Lab 1",
                Session.Audience.REGISTERED,
                "OSMOS Global Partnerships",
                "Programme",
            )
        ]
        for week in range(1, 21):
            module = TRAINING_MODULES[(week - 1) * len(TRAINING_MODULES) // 20]
            for day_offset, part in ((0, "lecture"), (2, "lab")):
                rows.append(
                    (f"{module} – week {week} {part}", "training", week * 7 + day_offset, "16:00", 180, "Lab 1",
                     Session.Audience.REGISTERED, "Kaunas Coding Academy", module)
                )  # fmt: skip
        rows.append(
            ("Demo day: final projects", "talk", 21 * 7 + 2, "16:00", 180, "Lab 1", Session.Audience.PUBLIC,
             "Nemunas Software UAB, Tigris Tech", "Programme")
        )  # fmt: skip
        self.sessions(programme, rows)
        # 20 seats for 21 applicants: the last one waits for a place.
        for i, user in enumerate(candidates):
            if i < 20:
                self.register(programme, user, Registration.Role.CANDIDATE, consent_share_profile=True)
            else:
                self.register(
                    programme,
                    user,
                    Registration.Role.CANDIDATE,
                    status=Registration.Status.WAITLISTED,
                    waitlisted_at=timezone.now(),
                )
