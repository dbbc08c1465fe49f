"""After signing in without ?next, each role lands on the page it works on (events/landing.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.landing import landing_url
from events.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    now = timezone.now()
    return EventFactory(slug="fair-today", starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=6))


@pytest.fixture
def later():
    return EventFactory(slug="fair-later", starts_at=timezone.now() + timedelta(days=20))


def test_organiser_lands_on_the_control_room_of_the_event_happening_now(today, later):
    organiser = UserFactory(is_staff=True)
    assert landing_url(organiser) == "/events/fair-today/control"


def test_organiser_with_nothing_happening_lands_on_the_admins_events(later):
    assert landing_url(UserFactory(is_staff=True)) == "/admin/events/event/"


def test_door_staff_land_on_the_scanner_of_their_event_now_before_a_later_one(today, later):
    staff = UserFactory()
    RegistrationFactory(user=staff, event=later, role=Registration.Role.STAFF)
    RegistrationFactory(user=staff, event=today, role=Registration.Role.STAFF)
    assert landing_url(staff) == "/checkin/fair-today/scan"


def test_door_staff_of_an_ended_or_cancelled_event_land_on_the_next(later):
    staff = UserFactory()
    past = EventFactory(starts_at=timezone.now() - timedelta(days=3))
    RegistrationFactory(user=staff, event=past, role=Registration.Role.STAFF)
    RegistrationFactory(user=staff, event=later, role=Registration.Role.STAFF)
    cancelled = EventFactory(starts_at=timezone.now() + timedelta(days=1))
    RegistrationFactory(user=staff, event=cancelled, role=Registration.Role.STAFF, status=Registration.Status.CANCELLED)
    assert landing_url(staff) == "/checkin/fair-later/scan"


def test_employer_lands_on_their_board(later):
    employer = UserFactory()
    RegistrationFactory(user=employer, event=later, role=Registration.Role.EMPLOYER)
    assert landing_url(employer) == "/matching/fair-later/board/"


@pytest.mark.parametrize("role", [Registration.Role.CANDIDATE, Registration.Role.OFFICIAL])
def test_candidates_and_officials_land_on_their_page(today, role):
    person = UserFactory()
    RegistrationFactory(user=person, event=today, role=role)
    assert landing_url(person) == "/me/"


def test_nobody_lands_on_a_draft_event():
    staff = UserFactory()
    draft = EventFactory(status=Event.Status.DRAFT)
    RegistrationFactory(user=staff, event=draft, role=Registration.Role.STAFF)
    assert landing_url(staff) == "/me/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Registration.Role.STAFF, "/checkin/fair-today/scan"),
        (Registration.Role.EMPLOYER, "/matching/fair-today/board/"),
        (Registration.Role.CANDIDATE, "/me/"),
    ],
)
def test_signing_in_without_next_lands_there_never_on_accounts_profile(today, role, expected):
    person = UserFactory(email="person@example.org")
    RegistrationFactory(user=person, event=today, role=role)
    client = Client()
    response = client.post("/me/sign-in/", {"username": "person@example.org", "password": "pass-word-123"})
    assert response.status_code == 302
    assert response["Location"] == expected
    # Signed in already, the sign-in page sends them there too.
    assert client.get("/me/sign-in/")["Location"] == expected


def test_next_still_wins(today):
    UserFactory(email="person@example.org")
    response = Client().post(
        "/me/sign-in/", {"username": "person@example.org", "password": "pass-word-123", "next": "/me/day"}
    )
    assert response["Location"] == "/me/day"
