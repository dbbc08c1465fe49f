"""A small policy dialogue: two delegations, a plenary, published bilateral slots and topics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.test import TestCase
from django.utils import timezone

from events.models import Event, Organisation, Registration, Room, Session, User
from matching.models import DialogueTopic
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, RoomFactory, UserFactory

TOPICS = [
    ("Labour-migration management", "إدارة هجرة العمالة", "Darbo migracijos valdymas", "بەڕێوەبردنی کۆچی کار"),
    ("Recognition of qualifications", "الاعتراف بالمؤهلات", "Kvalifikacijų pripažinimas", "ناسینەوەی بڕوانامەکان"),
    ("Digital-economy cooperation", "التعاون في الاقتصاد الرقمي", "Skaitmeninės ekonomikos bendradarbiavimas", ""),
]


@dataclass
class Dialogue:
    event: Event
    organiser: User
    plenary: Room
    room_a: Room
    room_b: Room
    lt: dict[str, User] = field(default_factory=dict)
    iq: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    slots: list[Session] = field(default_factory=list)
    topics: list[DialogueTopic] = field(default_factory=list)

    def at(self, hours: float) -> datetime:
        return self.event.starts_at + timedelta(hours=hours)


def commits():
    return TestCase.captureOnCommitCallbacks(execute=True)


def official(d: Dialogue, email: str, name: str, org: Organisation, delegation: str, *, listed: bool = True) -> User:
    user = UserFactory(email=email, full_name=name, organisation=org, language="en")
    RegistrationFactory(
        event=d.event,
        user=user,
        role=Registration.Role.OFFICIAL,
        organisation=org,
        delegation=delegation,
        consent_attendee_list=listed,
    )
    return user


def bilateral_slot(d: Dialogue, hours: float, room: Room, minutes: int = 30) -> Session:
    s = Session.objects.create(
        event=d.event,
        title=f"Bilateral slot {len(d.slots) + 1}",
        kind=Session.Kind.BILATERAL,
        starts_at=d.at(hours),
        ends_at=d.at(hours) + timedelta(minutes=minutes),
        room=room,
        audience=Session.Audience.OFFICIALS,
    )
    d.slots.append(s)
    return s


def build_dialogue(*, slug: str = "dialogue", slots: bool = True) -> Dialogue:
    start = (timezone.now() + timedelta(days=10)).replace(hour=7, minute=0, second=0, microsecond=0)
    event = EventFactory(
        slug=slug,
        title="Lithuania–Iraq Policy Dialogue",
        kind=Event.Kind.DIALOGUE,
        starts_at=start,
        ends_at=start + timedelta(hours=10),
    )
    organiser = UserFactory(email="organiser@example.org", full_name="Olga Organiser", is_staff=True)
    d = Dialogue(
        event,
        organiser,
        RoomFactory(event=event, name="Plenary Hall"),
        RoomFactory(event=event, name="Meeting Room A"),
        RoomFactory(event=event, name="Meeting Room B"),
    )
    for key, name, country in (
        ("socmin", "Ministry of Social Security and Labour", "LT"),
        ("migration", "Migration Department", "LT"),
        ("molsa", "Ministry of Labour and Social Affairs", "IQ"),
        ("moc", "Ministry of Communications", "IQ"),
    ):
        d.orgs[key] = OrganisationFactory(name=name, country=country, kind="government")
    d.lt["ruta"] = official(d, "ruta@socmin.example", "Rūta Kazlauskienė", d.orgs["socmin"], "LT")
    d.lt["tomas"] = official(d, "tomas@migracija.example", "Tomas Petrauskas", d.orgs["migration"], "LT", listed=False)
    d.iq["ahmed"] = official(d, "ahmed@molsa.example", "أحمد الربيعي", d.orgs["molsa"], "IQ")
    d.iq["hassan"] = official(d, "hassan@moc.example", "حسن كريم", d.orgs["moc"], "IQ")
    # A plenary in the Plenary Hall: never a place for bilateral meetings.
    Session.objects.create(
        event=event, title="Opening", kind=Session.Kind.TALK, starts_at=d.at(0), ends_at=d.at(1), room=d.plenary
    )
    if slots:
        bilateral_slot(d, 2, d.room_a)
        bilateral_slot(d, 2.5, d.room_b)
        bilateral_slot(d, 3, d.room_a)
    for i, (en, ar, lt, ckb) in enumerate(TOPICS):
        d.topics.append(
            DialogueTopic.objects.create(event=event, name=en, name_ar=ar, name_lt=lt, name_ckb=ckb, position=i)
        )
    return d
