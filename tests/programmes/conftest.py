"""A programme with two partner ministries, a dialogue with a rapporteur, and the usual actors.

Who is who (events/programme_selectors.py):
- `lead_lt`: a granted member of the Lithuanian ministry (a partner, and the lead of some items);
- `delegate_iq`: an official registered at the programme's dialogue, with no partner membership;
- `rapporteur`: assigned by the organiser to write the minutes of the dialogue's first session;
- the conftest's `official` is an official of the job fair (not a dialogue): not a programme official;
- `outsider`, `candidate`: the public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import (
    ActionItem,
    Event,
    Membership,
    Minutes,
    Organisation,
    Programme,
    ProgrammePartner,
    Registration,
    Session,
    User,
)
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, SessionFactory, UserFactory


@dataclass
class Prog:
    programme: Programme
    dialogue: Event
    session: Session
    other_session: Session
    ministry_lt: Organisation
    ministry_iq: Organisation
    lead_lt: User
    delegate_iq: User
    rapporteur: User
    public_item: ActionItem
    officials_item: ActionItem


@pytest.fixture
def prog(actors) -> Prog:
    programme = Programme.objects.create(
        slug="dex-iraq", name="Digital Explorers – Iraq Edition", starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31)
    )
    ministry_lt = OrganisationFactory(name="Ministry of Social Security and Labour", country="LT", kind="government")
    ministry_iq = OrganisationFactory(name="Ministry of Labour and Social Affairs", country="IQ", kind="government")
    ProgrammePartner.objects.create(programme=programme, organisation=ministry_lt, country="LT", role="lead")
    ProgrammePartner.objects.create(programme=programme, organisation=ministry_iq, country="IQ", role="partner")
    actors.event.programme = programme
    actors.event.save()
    dialogue = EventFactory(slug="dialogue", title="Policy dialogue", kind=Event.Kind.DIALOGUE, programme=programme)
    session = SessionFactory(event=dialogue, title="Labour migration management", kind=Session.Kind.PANEL)
    other_session = SessionFactory(event=dialogue, title="Digital economy", kind=Session.Kind.PANEL)
    lead_lt = UserFactory(email="ruta@socmin.example", full_name="Rūta Kazlauskienė")
    Membership.objects.create(user=lead_lt, organisation=ministry_lt, status=Membership.Status.GRANTED)
    delegate_iq = UserFactory(email="ali@molsa.example", full_name="Ali Hassan")
    RegistrationFactory(event=dialogue, user=delegate_iq, role=Registration.Role.OFFICIAL, delegation="IQ")
    rapporteur = UserFactory(email="rapporteur@example.org", full_name="Rita Rapporteur")
    RegistrationFactory(event=dialogue, user=rapporteur, role=Registration.Role.SPEAKER)
    Minutes.objects.create(session=session, rapporteur=rapporteur)
    today = timezone.localdate()
    public_item = ActionItem.objects.create(
        programme=programme,
        title="Joint recognition of ICT qualifications",
        theme="Recognition of qualifications",
        lead_country="LT",
        lead_organisation=ministry_lt,
        due_date=today + timedelta(days=30),
        visibility=ActionItem.Visibility.PUBLIC,
    )
    officials_item = ActionItem.objects.create(
        programme=programme,
        title="Data exchange memorandum",
        theme="Data exchange",
        lead_country="IQ",
        lead_organisation=ministry_iq,
        due_date=today - timedelta(days=3),
        status=ActionItem.Status.AGREED,
        visibility=ActionItem.Visibility.OFFICIALS,
    )
    return Prog(
        programme,
        dialogue,
        session,
        other_session,
        ministry_lt,
        ministry_iq,
        lead_lt,
        delegate_iq,
        rapporteur,
        public_item,
        officials_item,
    )


@pytest.fixture
def as_(api_client, token_for, actors, prog):
    """`as_("lead_lt")`: an API client for one actor by name (None: nobody)."""

    def client(who: str | None):
        if who is None:
            return api_client()
        user = getattr(prog, who, None) or getattr(actors, who)
        return api_client(token_for(user))

    return client
