"""Naming an organisation at registration only asks to join it (attack 2's way in through the form)."""

from __future__ import annotations

from django.test import Client

from events.memberships import membership_granted
from events.models import Membership, Organisation, Registration
from tests.factories import EventFactory
from tests.identity.conftest import link_in, to

FORM = {"full_name": "Ilma Impostor", "role": "employer", "language": "en"}


def test_naming_a_known_organisation_asks_to_join_it_and_grants_nothing(actors, client, sent):
    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": "impostor@example.org", "organisation_name": "  baltic CODE uab "},
        )

    registration = Registration.objects.get(user__email="impostor@example.org")
    assert registration.organisation == actors.org_a
    membership = Membership.objects.get(user=registration.user)
    assert (membership.organisation, membership.status) == (actors.org_a, Membership.Status.PENDING)
    assert not membership_granted(user=registration.user, organisation=actors.org_a)
    # Opening the emailed link confirms the address, which is not on any verified domain of theirs.
    Client().get(link_in(to("impostor@example.org")[0], "/me/link/"))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_an_unknown_organisation_is_created_pending(actors, client, sent):
    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": "founder@example.org", "organisation_name": "Brand New Labs"},
        )

    organisation = Organisation.objects.get(name="Brand New Labs")
    assert (organisation.status, organisation.kind) == (Organisation.Status.PENDING, Organisation.Kind.EMPLOYER)
    assert Membership.objects.get(organisation=organisation).status == Membership.Status.PENDING


def test_a_confirmed_address_on_the_verified_domain_joins_once_the_link_is_opened(actors, client, sent):
    Organisation.objects.filter(pk=actors.org_a.pk).update(email_domain="baltic.example", status="verified")

    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": "colleague@baltic.example", "organisation_name": "Baltic Code UAB"},
        )
    membership = Membership.objects.get(user__email="colleague@baltic.example")
    assert membership.status == Membership.Status.PENDING  # the address is not confirmed yet

    Client().get(link_in(to("colleague@baltic.example")[0], "/me/link/"))

    membership.refresh_from_db()
    assert (membership.status, membership.via) == (Membership.Status.GRANTED, Membership.Via.DOMAIN)


def test_naming_an_organisation_for_someone_elses_account_creates_no_membership(actors, victim, client, sent):
    with sent():
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": victim.user.email, "organisation_name": "Tigris Tech"},
        )
        client.post(
            f"/events/{actors.event.slug}/register/",
            {**FORM, "email": victim.user.email, "organisation_name": "Nobody Named This Yet"},
        )

    assert not Membership.objects.filter(user=victim.user).exists()
    assert not Organisation.objects.filter(name="Nobody Named This Yet").exists()


def test_the_signed_in_owner_naming_an_organisation_asks_to_join(actors, client, sent):
    event = EventFactory(slug="autumn-fair")
    client.force_login(actors.outsider)

    with sent():
        client.post(
            f"/events/{event.slug}/register/",
            {**FORM, "email": actors.outsider.email, "organisation_name": "Tigris Tech"},
        )

    membership = Membership.objects.get(user=actors.outsider)
    assert (membership.organisation, membership.status) == (actors.org_b, Membership.Status.PENDING)
    assert Registration.objects.get(event=event, user=actors.outsider).organisation == actors.org_b
    actors.outsider.refresh_from_db()
    assert actors.outsider.organisation_id is None  # a claim, not a fact about the person


def test_the_api_for_a_person_asks_to_join_too(actors, api_client, token_for):
    event = EventFactory(slug="autumn-fair")

    response = api_client(token_for(actors.outsider)).post(
        f"/api/v1/events/{event.slug}/registrations",
        {"name": "Otto", "email": actors.outsider.email, "role": "employer", "organisation": "Unheard Of Ltd"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == "Unheard Of Ltd"
    assert Membership.objects.get(user=actors.outsider).status == Membership.Status.PENDING
    assert Organisation.objects.get(name="Unheard Of Ltd").status == Organisation.Status.PENDING
