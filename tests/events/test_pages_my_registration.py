""" "My registration": reached by the emailed magic link, where a person cancels or answers an invitation."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from events import services
from events.links import magic_token
from events.models import Registration, Session
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory


def _link(registration: Registration) -> str:
    return f"/me/link/{magic_token(registration)}/"


def test_magic_link_logs_the_person_in_and_shows_their_registration(client, db):
    event = EventFactory(title="Erbil Policy Dialogue", venue="Erbil Rotana", timezone="Asia/Baghdad")
    registration = RegistrationFactory(event=event, user=UserFactory(full_name="Karwan Aziz"))
    session = SessionFactory(event=event, title="Skills recognition round table")
    registration.sessions.add(session)

    response = client.get(_link(registration))

    assert response.status_code == 302
    assert response["Location"] == f"/me/registrations/{registration.pk}/"
    body = client.get(response["Location"]).content.decode()
    expected = ["Erbil Policy Dialogue", "Erbil Rotana", "Registered", "Karwan Aziz", "Skills recognition round table"]
    assert [text for text in expected if text not in body] == []
    assert "Cancel my registration" in body
    assert "Your programme in your calendar" in body  # the calendar feed box, for registered people
    # Now signed in, /me/ lists the registration and the menu offers "My day".
    me = client.get("/me/").content.decode()
    assert "Erbil Policy Dialogue" in me
    assert 'href="/me/day"' in me


def test_magic_link_sets_the_persons_language(client, db):
    registration = RegistrationFactory(language="ar")

    response = client.get(_link(registration), follow=True)

    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.parametrize("token", ["garbage", "eyJyIjoxfQ:1abc:forged", "a" * 3000])
def test_bad_or_forged_magic_link_is_a_400_page(client, db, token):
    response = client.get(f"/me/link/{token}/")

    assert response.status_code == 400
    assert "This link is no longer valid." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_magic_link_for_a_deleted_registration_is_a_400_page(client, db):
    registration = RegistrationFactory()
    link = _link(registration)
    registration.delete()

    assert client.get(link).status_code == 400


def test_magic_link_expires(client, db, settings):
    registration = RegistrationFactory()
    settings.MAGIC_LINK_MAX_AGE = -1

    assert client.get(_link(registration)).status_code == 400


def test_someone_elses_registration_is_404(client, db):
    mine = RegistrationFactory()
    theirs = RegistrationFactory()
    client.force_login(mine.user)

    assert client.get(f"/me/registrations/{theirs.pk}/").status_code == 404
    assert client.post(f"/me/registrations/{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"/me/registrations/{theirs.pk}/respond/", {"answer": "decline"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.REGISTERED


def test_registration_pages_are_404_when_signed_out(db):
    registration = RegistrationFactory()
    anonymous = Client()

    assert anonymous.get(f"/me/registrations/{registration.pk}/").status_code == 404
    assert "personal link" in anonymous.get("/me/").content.decode()


def test_cancel_asks_first_then_promotes_the_waitlist(client, db, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1, title="Full fair")
    first = services.registration_create(event=event, email="first@example.org", full_name="First")
    second = services.registration_create(event=event, email="second@example.org", full_name="Second")
    client.get(_link(first))

    confirm = client.get(f"/me/registrations/{first.pk}/cancel/")
    assert "Do you really want to cancel" in confirm.content.decode()
    first.refresh_from_db()
    assert first.status == Registration.Status.REGISTERED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/me/registrations/{first.pk}/cancel/", follow=True)

    body = response.content.decode()
    assert "Your registration is cancelled." in body
    assert "Cancelled" in body
    second.refresh_from_db()
    assert second.status == Registration.Status.REGISTERED
    assert {tuple(m.to) for m in mail.outbox} == {("second@example.org",)}


def test_cancelled_registration_offers_no_cancel_button(client, db):
    registration = RegistrationFactory(status=Registration.Status.CANCELLED)
    client.force_login(registration.user)

    body = client.get(f"/me/registrations/{registration.pk}/").content.decode()

    assert "Cancel my registration" not in body
    assert client.post(f"/me/registrations/{registration.pk}/cancel/").status_code == 302


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ("accept", Registration.Status.REGISTERED, "You accepted the invitation."),
        ("decline", Registration.Status.DECLINED, "You declined the invitation."),
    ],
)
def test_invited_person_accepts_or_declines(client, db, answer, status, message):
    registration = RegistrationFactory(status=Registration.Status.INVITED, role=Registration.Role.OFFICIAL)
    client.get(_link(registration))
    page = client.get(f"/me/registrations/{registration.pk}/").content.decode()
    assert "You are invited" in page

    response = client.post(f"/me/registrations/{registration.pk}/respond/", {"answer": answer}, follow=True)

    registration.refresh_from_db()
    assert registration.status == status
    assert message in response.content.decode()


def test_answering_twice_or_with_nonsense_is_a_message_not_a_500(client, db):
    registration = RegistrationFactory(status=Registration.Status.INVITED)
    client.force_login(registration.user)
    url = f"/me/registrations/{registration.pk}/respond/"

    nonsense = client.post(url, {"answer": "maybe"}, follow=True)
    client.post(url, {"answer": "accept"})
    again = client.post(url, {"answer": "decline"}, follow=True)

    assert "Please choose to accept or decline." in nonsense.content.decode()
    assert "already been answered" in again.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_accepting_official_sees_officials_only_sessions(client, db):
    event = EventFactory()
    SessionFactory(event=event, title="Ministers only", audience=Session.Audience.OFFICIALS)
    registration = RegistrationFactory(event=event, status=Registration.Status.INVITED, role=Registration.Role.OFFICIAL)
    client.force_login(registration.user)
    before = client.get(f"/events/{event.slug}/").content.decode()

    client.post(f"/me/registrations/{registration.pk}/respond/", {"answer": "accept"})

    assert "Ministers only" not in before
    assert "Ministers only" in client.get(f"/events/{event.slug}/").content.decode()


def test_sign_out(client, db):
    registration = RegistrationFactory()
    client.get(_link(registration))

    client.post("/me/sign-out/")

    assert client.get(f"/me/registrations/{registration.pk}/").status_code == 404


def test_job_fair_registration_links_to_matching(client, actors):
    candidate = Registration.objects.get(event=actors.event, user=actors.candidate)
    employer = Registration.objects.get(event=actors.event, user=actors.employer_a)

    client.force_login(actors.candidate)
    candidate_page = client.get(f"/me/registrations/{candidate.pk}/").content.decode()
    client.force_login(actors.employer_a)
    employer_page = client.get(f"/me/registrations/{employer.pk}/").content.decode()

    assert f"/matching/{actors.event.slug}/me/" in candidate_page
    assert f"/matching/{actors.event.slug}/board/" not in candidate_page
    assert f"/matching/{actors.event.slug}/board/" in employer_page


def test_signed_out_attendee_sent_to_a_page_needing_login_gets_the_friendly_sign_in_page(client, actors):
    response = client.get(f"/matching/{actors.event.slug}/me/", follow=True)

    assert response.redirect_chain[0][0].startswith("/me/sign-in/?next=")
    body = response.content.decode()
    assert "No password needed" in body
    assert 'name="password"' in body


def test_staff_sign_in_with_password_returns_to_where_they_were_going(client, actors):
    response = client.post(
        "/me/sign-in/?next=/me/",
        {"username": actors.organiser.email, "password": "pass-word-123", "next": "/me/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get("/me/").context["user"] == actors.organiser


def test_wrong_password_is_a_form_error_in_the_chosen_language(client, actors):
    client.post("/i18n/setlang/", {"language": "lt", "next": "/"})

    response = client.post("/me/sign-in/", {"username": actors.organiser.email, "password": "nope"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Prisijungti" in response.content.decode()  # "Sign in"
