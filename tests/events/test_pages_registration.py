"""The registration form: what a person sees when they register, or get it wrong."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from events.models import Event, Registration
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory

VALID = {
    "full_name": "Zahra  Al-Tamimi",
    "email": "Zahra@Example.org",
    "role": "candidate",
    "organisation_name": "",
    "language": "ar",
}


@pytest.fixture
def event(db) -> Event:
    return EventFactory(slug="fair", title="Digital Job Fair", capacity=1)


def test_form_starts_with_consents_unticked_and_language_of_the_page(client, event):
    client.post("/i18n/setlang/", {"language": "lt", "next": "/"})

    body = client.get("/events/fair/register/").content.decode()

    for name in ("consent_share_profile", "consent_attendee_list"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
        assert "checked" not in box
    assert re.search(r'<option value="lt" selected>', body)
    assert 'name="csrfmiddlewaretoken"' in body
    # Self-registration offers only candidate and employer.
    assert set(re.findall(r'name="role" value="(\w+)"', body)) == {"candidate", "employer"}


def test_registering_reaches_a_confirmation_and_sends_the_personal_link(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/events/fair/register/", VALID)

    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    # A browser that is not signed in as the person learns only where the email went (issue 11).
    assert "Check your inbox" in body
    assert "zahra@example.org" in body
    assert "You are registered" not in body
    registration = Registration.objects.get(event=event)
    assert registration.user.full_name == "Zahra Al-Tamimi"
    assert registration.language == "ar"
    assert (registration.consent_share_profile, registration.consent_attendee_list) == (False, False)
    # The confirmation carries the personal link (other emails, e.g. calendar invitations, may follow).
    assert {tuple(m.to) for m in mail.outbox} == {("zahra@example.org",)}
    assert any("/me/link/" in m.body for m in mail.outbox)


def test_consents_are_recorded_only_when_ticked(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/fair/register/", {**VALID, "consent_attendee_list": "on"})

    registration = Registration.objects.get(event=event)
    # Without a signed-in session a ticked box waits for the address to be confirmed (issue 11)...
    assert list(registration.pending_consents) == ["attendee_list"]
    assert (registration.consent_attendee_list, registration.consent_share_profile) == (False, False)
    # ...which opening the emailed link does.
    link = re.search(r"http://testserver(/me/link/\S+)", mail.outbox[0].body).group(1)
    Client().get(link)
    registration.refresh_from_db()
    assert registration.consent_attendee_list is True
    assert registration.consent_share_profile is False


def test_registering_when_full_says_waitlisted(client, event):
    RegistrationFactory(event=event)
    # Only the signed-in owner of the address sees the registration's status (issue 11).
    client.force_login(UserFactory(email="zahra@example.org"))

    response = client.post("/events/fair/register/", VALID, follow=True)

    body = response.content.decode()
    assert "You are on the waitlist" in body
    assert Registration.objects.get(user__email="zahra@example.org").status == Registration.Status.WAITLISTED


def test_known_organisation_is_matched_by_name(client, event):
    org = OrganisationFactory(name="Tigris Tech", country="IQ")

    client.post("/events/fair/register/", {**VALID, "role": "employer", "organisation_name": "  tigris   TECH "})

    registration = Registration.objects.get(event=event)
    assert registration.organisation == org
    assert registration.role == Registration.Role.EMPLOYER


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"full_name": "   "}, "full_name"),
        ({"role": "official"}, "role"),
        ({"role": "organiser"}, "role"),
        ({"language": "xx"}, "language"),
        ({"full_name": "x" * 500}, "full_name"),
    ],
)
def test_bad_input_is_shown_as_form_errors(client, event, change, field):
    response = client.post("/events/fair/register/", {**VALID, **change})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Registration.objects.exists()


def test_registering_twice_is_a_form_error_not_a_500(client, event):
    # Said only to the signed-in owner; anyone else gets the same answer as for a new address (issue 11).
    client.force_login(UserFactory(email="zahra@example.org"))
    client.post("/events/fair/register/", VALID)

    response = client.post("/events/fair/register/", {**VALID, "email": "ZAHRA@example.org"})

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_closed_registration_is_a_form_error_not_a_500(client, event):
    page = client.get("/events/fair/register/")
    Event.objects.filter(pk=event.pk).update(registration_open=False)

    response = client.post("/events/fair/register/", VALID)

    assert page.status_code == 200
    assert response.status_code == 200
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_form_errors_are_in_arabic_when_arabic_is_chosen(client, event):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    response = client.post("/events/fair/register/", {**VALID, "email": "nope"})

    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "أدخِل عنوان بريد إلكتروني صحيح" in body  # Django's own Arabic "Enter a valid email address."


def test_registration_without_csrf_token_is_refused(event):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/events/fair/register/", VALID)

    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_confirmation_page_needs_the_registering_browser(client, event):
    client.post("/events/fair/register/", VALID)
    other = Client()

    response = other.get("/events/fair/registered/")

    assert response.status_code == 302
    assert response["Location"] == "/events/fair/"


@pytest.mark.parametrize("body", [{}, {"full_name": ["a", "b"]}, {"email": "a@b.c" * 100}])
def test_odd_bodies_are_form_errors_not_a_500(client, event, body):
    response = client.post("/events/fair/register/", body)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Registration.objects.exists()


def test_a_nul_character_is_refused_without_a_500(client, event):
    # The project's middleware answers a NUL anywhere in a request with its 400 page.
    response = client.post("/events/fair/register/", {**VALID, "full_name": "Zahra\x00"})

    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_signed_in_person_finds_their_name_and_email_filled_in(client, event):
    person = RegistrationFactory().user
    client.force_login(person)

    form = client.get("/events/fair/register/").context["form"]

    assert form["email"].value() == person.email
    assert form["full_name"].value() == person.full_name
