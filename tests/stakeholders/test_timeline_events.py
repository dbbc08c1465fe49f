"""Events the stakeholder's people attended appear on its timeline by themselves: from registrations
(accounts of its contacts, or the organisation they registered for) and check-ins, computed on reading."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checkin.models import Ticket
from events.models import Registration, StakeholderContact
from events.stakeholder_selectors import attended_events, timeline
from events.stakeholders import contact_add
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory


def _setup(world):
    start = timezone.now() - timedelta(days=20)
    fair = EventFactory(
        slug="fair", title="Job Fair Baghdad", programme=world.programme, starts_at=start, timezone="Asia/Baghdad"
    )
    elsewhere = EventFactory(slug="other", title="Another programme's fair", starts_at=start)
    dean = UserFactory(email="dean@uob.example", full_name="Layla Hassan")
    contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Layla Hassan",
        user=dean,
        consent_basis=StakeholderContact.ConsentBasis.OWN_ACCOUNT,
        consent_given_on=date(2026, 11, 1),
    )
    uob = OrganisationFactory(name="university of baghdad", country="IQ")
    came = RegistrationFactory(event=fair, user=dean)
    # Seating issued the tickets (checkin's hook); the dean's was scanned in at the door.
    Ticket.objects.filter(registration=came).update(inside=True, first_in_at=start + timedelta(hours=1))
    RegistrationFactory(event=fair, organisation=uob)  # registered for the organisation, did not come
    RegistrationFactory(event=fair, organisation_name="University of Baghdad")  # typed, no organisation chosen
    RegistrationFactory(event=fair, organisation_name="University of Basra")  # someone else
    RegistrationFactory(event=fair, organisation_name="University of Baghdad", status=Registration.Status.CANCELLED)
    RegistrationFactory(event=elsewhere, user=dean)  # not one of this programme's events
    return fair


def test_registrations_and_check_ins_of_the_stakeholders_people_make_one_entry_per_event(world):
    fair = _setup(world)
    [attended] = attended_events(stakeholder=world.uni)
    assert (attended.event, attended.registered, attended.checked_in, attended.people) == (
        fair,
        3,
        1,
        ["Layla Hassan"],
    )
    assert attended_events(stakeholder=world.ministry) == []
    entries = [e for e in timeline(stakeholder=world.uni) if e.kind == "event"]
    assert [e.day for e in entries] == [fair.starts_at.astimezone(fair.tzinfo).date()]


def test_the_timeline_page_shows_the_event_and_reading_it_writes_nothing(world):
    _setup(world)
    client = Client()
    client.force_login(world.staff)
    url = reverse("stakeholders:detail", args=[world.programme.slug, world.uni.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Event attended" in html and "Job Fair Baghdad" in html
    assert "3 registered" in html and "1 checked in" in html
    assert "Another programme" not in html
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert [w for w in writes if "django_session" not in w] == []
