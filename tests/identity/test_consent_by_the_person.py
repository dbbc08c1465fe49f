"""Consents are given only by the person, signed in; the emailed link is what confirms a form's choices."""

from __future__ import annotations

from django.test import Client
from django.utils.html import escape

from events.consents import CONSENT_TEXTS, current_version
from events.models import Consent, Registration
from tests.factories import EventFactory
from tests.identity.conftest import link_in, to

FORM = {"full_name": "Nour Newcomer", "role": "candidate", "organisation_name": "", "language": "en"}


def test_a_new_address_consents_only_once_the_emailed_link_is_opened(actors, client, sent):
    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": "nour@example.org", "consent_share_profile": "on", "consent_attendee_list": "on"},
        )
    registration = Registration.objects.get(user__email="nour@example.org")
    assert (registration.consent_share_profile, registration.consent_attendee_list) == (False, False)
    assert registration.pending_consents == {
        "share_profile": current_version("share_profile"),
        "attendee_list": current_version("attendee_list"),
    }
    assert not Consent.objects.filter(user=registration.user).exists()
    assert registration.user.email_confirmed_at is None

    (message,) = to("nour@example.org")
    response = Client().get(link_in(message, "/me/link/"))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.consent_share_profile, registration.consent_attendee_list) == (True, True)
    assert registration.pending_consents == {}
    assert registration.user.email_confirmed_at is not None
    rows = Consent.objects.filter(user=registration.user, withdrawn_at__isnull=True)
    assert {(c.purpose, c.text_version, c.source) for c in rows} == {
        ("share_profile", current_version("share_profile"), "confirmation"),
        ("attendee_list", current_version("attendee_list"), "confirmation"),
    }
    # The consent row names the kind of link, never the link itself (it is a key).
    assert all("/me/link/" in c.client and link_in(message, "/me/link/") not in c.client for c in rows)


def test_the_signed_in_owner_consents_at_once_from_the_page(actors, client, sent):
    event = EventFactory(slug="autumn-fair")
    client.force_login(actors.outsider)

    with sent():
        response = client.post(
            f"/events/{event.slug}/register/",
            {**FORM, "email": actors.outsider.email, "consent_share_profile": "on"},
        )

    registration = Registration.objects.get(event=event, user=actors.outsider)
    assert (registration.consent_share_profile, registration.consent_attendee_list) == (True, False)
    (row,) = Consent.objects.filter(user=actors.outsider, event=event)
    assert (row.purpose, row.source, row.client) == ("share_profile", "page", f"/events/{event.slug}/register/")
    assert row.text_version == current_version("share_profile")
    # The owner sees their registration as before.
    assert "You are registered" in client.get(response["Location"]).content.decode()


def test_the_form_shows_the_exact_consent_texts_that_are_recorded(actors, client):
    body = client.get(f"/events/{actors.event.slug}/register/").content.decode()

    for text in CONSENT_TEXTS.values():
        assert escape(str(text.text)) in body


def test_the_persons_own_token_changes_their_consent_and_names_the_token(actors, api_client, token_for):
    mine = Registration.objects.get(user=actors.employer_b)

    response = api_client(token_for(actors.employer_b, name="phone app")).patch(
        f"/api/v1/registrations/{mine.pk}", {"consent_share_profile": True}
    )

    assert response.status_code == 200, response.content
    assert response.json()["consent_share_profile"] is True
    (row,) = Consent.objects.filter(user=actors.employer_b, purpose="share_profile")
    assert row.source == "api"
    assert "phone app" in row.client


def test_an_organiser_cannot_set_someone_elses_consent(actors, api_client, token_for):
    theirs = Registration.objects.get(user=actors.employer_b)
    client = api_client(token_for(actors.organiser))

    for change in ({"consent_share_profile": True}, {"consent_attendee_list": True, "language": "lt"}):
        response = client.patch(f"/api/v1/registrations/{theirs.pk}", change)
        assert response.status_code == 403, response.content
        assert response.json()["reason"] == "consent_owner_only"

    theirs.refresh_from_db()
    assert (theirs.consent_share_profile, theirs.consent_attendee_list, theirs.language) == (False, False, "en")
    assert not Consent.objects.filter(user=actors.employer_b).exists()


def test_an_organiser_cannot_withdraw_someone_elses_consent_either(actors, api_client, token_for):
    theirs = Registration.objects.get(user=actors.candidate)
    assert theirs.consent_share_profile

    response = api_client(token_for(actors.organiser)).patch(
        f"/api/v1/registrations/{theirs.pk}", {"consent_share_profile": False}
    )

    assert (response.status_code, response.json()["reason"]) == (403, "consent_owner_only")
    theirs.refresh_from_db()
    assert theirs.consent_share_profile


def test_an_organiser_registering_someone_gives_no_consent_for_them(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    url = f"/api/v1/events/{actors.event.slug}/registrations"

    refused = client.post(url, {"name": "Rasa", "email": "rasa@example.org", "consent_share_profile": True})
    plain = client.post(url, {"name": "Rasa", "email": "rasa@example.org"})

    assert (refused.status_code, refused.json()["reason"]) == (403, "consent_owner_only")
    assert plain.status_code == 201
    assert plain.json()["consent_share_profile"] is False
    assert Registration.objects.get(user__email="rasa@example.org").pending_consents == {}


def test_the_persons_own_token_registers_them_with_their_consent(actors, api_client, token_for):
    event = EventFactory(slug="autumn-fair")

    response = api_client(token_for(actors.outsider, name="cli")).post(
        f"/api/v1/events/{event.slug}/registrations",
        {"name": actors.outsider.full_name, "email": actors.outsider.email, "consent_attendee_list": True},
    )

    assert response.status_code == 201, response.content
    assert response.json()["consent_attendee_list"] is True
    assert Consent.objects.get(user=actors.outsider, event=event).source == "api"


def test_the_matching_profile_toggle_records_a_consent_row(actors, api_client, token_for):
    Registration.objects.filter(user=actors.candidate).update(consent_share_profile=False)
    Consent.objects.filter(user=actors.candidate).delete()
    client = api_client(token_for(actors.candidate, name="matching app"))

    on = client.post(f"/api/v1/matching/events/{actors.event.slug}/consent", {"consent": True})
    off = client.post(f"/api/v1/matching/events/{actors.event.slug}/consent", {"consent": False})

    assert (on.json(), off.json()) == ({"consent": True}, {"consent": False})
    (row,) = Consent.objects.filter(user=actors.candidate, purpose="share_profile")
    assert (row.source, row.withdrawn_at is not None) == ("api", True)
    assert "matching app" in row.client


def test_the_admin_shows_consents_but_cannot_change_them(actors, client):
    theirs = Registration.objects.get(user=actors.employer_b)
    client.force_login(actors.organiser)
    actors.organiser.is_superuser = True
    actors.organiser.save()

    response = client.get(f"/admin/events/registration/{theirs.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "field-consent_share_profile" in page  # shown, read-only
    assert 'name="consent_share_profile"' not in page
    assert 'name="consent_attendee_list"' not in page


def test_the_confirmation_says_which_choices_opening_the_link_confirms(actors, client, sent):
    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": "nour@example.org", "consent_share_profile": "on"},
        )
        client.post(f"/events/{actors.event.slug}/register/", {**FORM, "email": "plain@example.org"})

    (chose,) = to("nour@example.org")
    (plain,) = to("plain@example.org")
    share, attendee = CONSENT_TEXTS["share_profile"].text, CONSENT_TEXTS["attendee_list"].text
    assert str(share) in chose.body
    assert escape(str(share)) in chose.alternatives[0][0]
    assert str(attendee) not in chose.body
    assert "take effect when you open the link" in chose.body
    assert "take effect when you open the link" not in plain.body
