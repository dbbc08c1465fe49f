"""A programme with a two-month training, a fair, a dialogue, stakeholders and action items, and the people
who ask for its indicators: an organiser, a member of its implementing partner (programme staff), an
official of another partner (not staff) and an outsider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from checkin.models import SessionAttendance
from events.models import ActionItem, Event, Interaction, Membership, Programme, ProgrammePartner, Registration, User
from events.programmes import programme_create
from events.stakeholders import stakeholder_create
from matching.models import Meeting
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, SessionFactory, UserFactory


@dataclass
class World:
    programme: Programme
    organiser: User
    staff: User
    official: User
    outsider: User
    training: Event
    fair: Event
    trainees: list[Registration] = field(default_factory=list)
    sessions: list = field(default_factory=list)


def meet(fair: Event, candidate: User, organisation, *, slot: int, status: str, ends_at) -> Meeting:
    return Meeting.objects.create(
        event=fair,
        organisation=organisation,
        candidate=candidate,
        slot=slot,
        starts_at=ends_at - timedelta(minutes=15),
        ends_at=ends_at,
        status=status,
    )


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    implementer = OrganisationFactory(name="Explorers Implementing", country="LT")
    ministry = OrganisationFactory(name="Ministry of Labour", country="IQ")
    employer = OrganisationFactory(name="Nemunas Software", country="LT")
    programme = programme_create(
        slug="lt-iq",
        name="Lithuania–Iraq digital mobility",
        partners=[
            {"organisation": implementer.pk, "country": "LT", "role": ProgrammePartner.Role.IMPLEMENTING},
            {"organisation": ministry.pk, "country": "IQ", "role": ProgrammePartner.Role.PARTNER},
        ],
    )
    organiser = UserFactory(email="organiser@example.org", full_name="Olga Organiser", is_staff=True)
    staff = UserFactory(email="staff@explorers.example", full_name="Sara Staff")
    official = UserFactory(email="official@gov.example", full_name="Omar Official")
    outsider = UserFactory(email="outsider@example.org", full_name="Otto Outsider")
    Membership.objects.create(user=staff, organisation=implementer, status=Membership.Status.GRANTED)
    Membership.objects.create(user=official, organisation=ministry, status=Membership.Status.GRANTED)

    training = EventFactory(
        slug="ict-training",
        kind=Event.Kind.TRAINING,
        timezone="Asia/Baghdad",
        status=Event.Status.LIVE,
        starts_at=now - timedelta(days=70),
        ends_at=now + timedelta(days=60),
        programme=programme,
    )
    # Four sessions held (about 60 and 20 days ago, two each) and one to come.
    sessions = [
        SessionFactory(event=training, title=f"S{i}", starts_at=now - timedelta(days=days))
        for i, days in enumerate((61, 60, 21, 20))
    ]
    SessionFactory(event=training, title="Later", starts_at=now + timedelta(days=10))
    trainees = [RegistrationFactory(event=training, user=UserFactory(full_name=f"Trainee {i}")) for i in range(3)]
    # Trainee 0 attended all four (completes the 80 % rule: 4 of 5 sessions), trainee 1 the first two,
    # trainee 2 none.
    for session in sessions:
        SessionAttendance.objects.create(ticket=trainees[0].ticket, session=session, first_in_at=session.starts_at)
    for session in sessions[:2]:
        SessionAttendance.objects.create(ticket=trainees[1].ticket, session=session, first_in_at=session.starts_at)

    fair_day = now - timedelta(days=5)
    fair = EventFactory(
        slug="fair",
        kind=Event.Kind.JOB_FAIR,
        programme=programme,
        starts_at=fair_day,
        ends_at=fair_day + timedelta(hours=8),
    )
    met = [UserFactory(full_name="Met One"), UserFactory(full_name="Met Two"), UserFactory(full_name="Not Met")]
    for user in met:
        RegistrationFactory(event=fair, user=user, consent_share_profile=True)
    meet(fair, met[0], employer, slot=1, status=Meeting.Status.CONFIRMED, ends_at=now - timedelta(days=5))
    meet(fair, met[1], employer, slot=2, status=Meeting.Status.BOOKED, ends_at=now - timedelta(days=5))
    meet(fair, met[2], employer, slot=3, status=Meeting.Status.CANCELLED, ends_at=now - timedelta(days=5))

    dialogue = EventFactory(slug="dialogue", kind=Event.Kind.DIALOGUE, programme=programme)
    RegistrationFactory(event=dialogue, user=official, role=Registration.Role.OFFICIAL, delegation="IQ")
    RegistrationFactory(
        event=dialogue, user=UserFactory(), role=Registration.Role.OFFICIAL, status=Registration.Status.DECLINED
    )
    # An event outside the programme counts for nothing.
    other = EventFactory(slug="elsewhere", kind=Event.Kind.TRAINING)
    RegistrationFactory(event=other, user=UserFactory())

    uni = stakeholder_create(
        programme=programme,
        actor=organiser,
        data={"name": "University of Baghdad", "kind": "university", "country": "IQ", "city": "Baghdad"},
    )
    stakeholder_create(
        programme=programme,
        actor=organiser,
        data={"name": "Ministry of Communications", "kind": "government", "country": "IQ", "city": "Erbil"},
    )
    Interaction.objects.create(stakeholder=uni, kind="meeting", happened_on=timezone.localdate())
    for title, status in (("A", "done"), ("B", "done"), ("C", "agreed")):
        ActionItem.objects.create(programme=programme, title=title, status=status)
    return World(programme, organiser, staff, official, outsider, training, fair, trainees, sessions)
