"""The emailed links: a known address's owner finishes what someone typed; staff never sign in by link."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from events.links import magic_token, registration_offer_token
from events.models import Consent, Registration
from tests.factories import RegistrationFactory, UserFactory
from tests.identity.conftest import link_in, to

FORM = {
    "full_name": "Typed By Someone",
    "role": "candidate",
    "organisation_name": "",
    "language": "ar",
    "consent_share_profile": "on",
}


def _offer_link(actors, victim, sent) -> str:
    with sent():
        Client().post(f"/events/{actors.event.slug}/register/", {**FORM, "email": victim.user.email})
    (message,) = to(victim.user.email)
    return link_in(message, "/me/finish/")


def test_the_owner_opens_the_link_signed_in_and_finds_the_form_filled_in(actors, victim, sent):
    link = _offer_link(actors, victim, sent)
    owner = Client()

    response = owner.get(link)

    assert response.status_code == 302
    assert response["Location"] == f"/events/{actors.event.slug}/register/"
    form = owner.get(response["Location"]).context["form"]
    assert form["email"].value() == victim.user.email
    assert form["full_name"].value() == "Typed By Someone"
    assert form["language"].value() == "ar"
    assert form["consent_share_profile"].value() is True
    # Opening the link signed them in and confirmed the address, and still registered nothing.
    assert owner.get("/me/").context["user"] == victim.user
    victim.user.refresh_from_db()
    assert victim.user.email_confirmed_at is not None
    assert not Registration.objects.filter(event=actors.event, user=victim.user).exists()


def test_the_owner_sends_the_form_themselves_and_then_the_consent_is_theirs(actors, victim, sent):
    owner = Client()
    owner.get(_offer_link(actors, victim, sent))
    data = {**FORM, "email": victim.user.email, "full_name": "Vida Victim", "language": "lt"}

    with sent():
        response = owner.post(f"/events/{actors.event.slug}/register/", data)

    assert 'class="confirmation registered"' in owner.get(response["Location"]).content.decode()
    registration = Registration.objects.get(event=actors.event, user=victim.user)
    assert registration.consent_share_profile is True
    assert Consent.objects.get(user=victim.user, event=actors.event).source == "page"


def test_a_forged_or_expired_offer_link_is_refused(actors, victim, client, settings):
    good = registration_offer_token(user=victim.user, event=actors.event, choices={"full_name": "X"})

    assert client.get(f"/me/finish/{good}x/").status_code == 400
    # A magic link's token does not open the offer page (each link has its own salt), nor the reverse.
    registration = Registration.objects.get(user=actors.candidate)
    assert client.get(f"/me/finish/{magic_token(registration)}/").status_code == 400
    assert client.get(f"/me/link/{good}/").status_code == 400
    settings.MAGIC_LINK_MAX_AGE = -1
    assert client.get(f"/me/finish/{good}/").status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_offer_link_stops_working_when_the_address_changes(actors, victim, client):
    token = registration_offer_token(user=victim.user, event=actors.event, choices={})
    victim.user.email = "vida@new.example"
    victim.user.save()

    assert client.get(f"/me/finish/{token}/").status_code == 400


@pytest.mark.parametrize("power", [{"is_staff": True}, {"is_superuser": True}])
def test_staff_and_superusers_never_sign_in_by_magic_link(actors, client, power):
    boss = UserFactory(email="boss@example.org", **power)
    registration = RegistrationFactory(event=actors.event, user=boss)

    response = client.get(f"/me/link/{magic_token(registration)}/", follow=True)

    assert response.redirect_chain[0][0] == f"/me/sign-in/?next=%2Fme%2Fregistrations%2F{registration.pk}%2F"
    assert "sign in with their password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    boss.refresh_from_db()
    assert boss.last_login is None


@pytest.mark.parametrize("power", [{"is_staff": True}, {"is_superuser": True}])
def test_staff_and_superusers_never_sign_in_by_an_offer_link(actors, client, power):
    boss = UserFactory(email="boss@example.org", **power)
    token = registration_offer_token(user=boss, event=actors.event, choices={"full_name": "Boss"})

    response = client.get(f"/me/finish/{token}/")

    assert response.status_code == 302
    assert response["Location"] == f"/me/sign-in/?next=%2Fevents%2F{actors.event.slug}%2Fregister%2F"
    assert "_auth_user_id" not in client.session


def test_a_staff_members_email_still_links_to_pages(actors, sent):
    boss = UserFactory(email="boss@example.org", is_staff=True)

    with sent():
        Client().post(f"/events/{actors.event.slug}/register/", {**FORM, "email": boss.email})

    (message,) = to(boss.email)
    assert "/me/finish/" in message.body


def test_a_superuser_accepting_a_membership_invitation_is_not_signed_in(actors, client):
    from events.memberships import invitation_token

    boss = UserFactory(email="root@baltic.example", is_superuser=True)
    token = invitation_token(organisation_id=actors.org_a.pk, email=boss.email, invited_by_id=actors.organiser.pk)

    response = client.post(reverse("memberships:invitation", args=[token]))

    assert response.status_code == 302
    assert response["Location"] == "/me/sign-in/"
    assert "_auth_user_id" not in client.session
