"""How a membership is granted: an organiser's page and admin, an organisation's admin inviting a
colleague, or a verified email domain; and what the person sees until then."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from events import memberships
from events.models import Membership, Organisation, Registration
from events.tasks import send_membership_decision
from tests.factories import OrganisationFactory, RegistrationFactory, UserFactory


@pytest.fixture
def asker(actors):
    """Somebody who registered for the fair as an employer naming Baltic Code UAB, waiting."""
    user = UserFactory(email="nadia@baltic.example", full_name="Nadia Newcomer", language="lt")
    RegistrationFactory(
        event=actors.event, user=user, role=Registration.Role.EMPLOYER, organisation=actors.org_a, membership="pending"
    )
    return user


def _membership(user, org) -> Membership:
    return Membership.objects.get(user=user, organisation=org)


def test_organiser_page_lists_requests_and_unverified_organisations(actors, asker, client):
    fresh = memberships.organisation_for_request(name="  Zagros   Software ", kind="employer", country="iq")
    assert fresh.status == Organisation.Status.PENDING and fresh.name == "Zagros Software"
    client.force_login(actors.organiser)
    body = client.get("/organisations/requests/").content.decode()
    assert "nadia@baltic.example" in body and "Baltic Code UAB" in body
    assert "Zagros Software" in body
    # Linked from the organiser tools on the event page.
    assert "/organisations/requests/" in client.get("/events/job-fair/").content.decode()


@pytest.mark.parametrize("user", ["employer_a", "candidate", "official", "outsider"])
def test_organiser_page_is_for_organisers_only(actors, asker, client, user):
    client.force_login(getattr(actors, user))
    assert client.get("/organisations/requests/").status_code == 404
    m = _membership(asker, actors.org_a)
    # Employer A is a granted member of org A but no admin of it: no decision either.
    assert client.post(f"/organisations/memberships/{m.pk}/decide/", {"decision": "grant"}).status_code == 404
    assert _membership(asker, actors.org_a).status == "pending"


@pytest.mark.parametrize(
    ("decision", "status", "subject"),
    [
        ("grant", "granted", "Dabar esate Baltic Code UAB narys"),
        ("refuse", "refused", "Jūsų prašymas prisijungti prie Baltic Code UAB atmestas"),
    ],
)
def test_one_click_decision_emails_the_person_in_their_language(
    actors, asker, client, django_capture_on_commit_callbacks, decision, status, subject
):
    client.force_login(actors.organiser)
    m = _membership(asker, actors.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/organisations/memberships/{m.pk}/decide/", {"decision": decision})
    assert r.status_code == 302 and r["Location"] == "/organisations/requests/"
    m.refresh_from_db()
    assert (m.status, m.decided_by) == (status, actors.organiser)
    assert [(e.to, e.subject) for e in mail.outbox] == [(["nadia@baltic.example"], subject)]
    # The task may run twice (a retry, a second worker): the person hears it once.
    assert send_membership_decision(m.pk, status, m.decided_at.isoformat()) is False
    assert len(mail.outbox) == 1


def test_decision_needs_a_csrf_token(actors, asker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.organiser)
    m = _membership(asker, actors.org_a)
    assert client.post(f"/organisations/memberships/{m.pk}/decide/", {"decision": "grant"}).status_code == 403
    assert _membership(asker, actors.org_a).status == "pending"


def test_admin_actions_approve_refuse_and_remove(actors, asker, client, django_capture_on_commit_callbacks):
    other = UserFactory(email="other@baltic.example")
    RegistrationFactory(
        event=actors.event, user=other, role="employer", organisation=actors.org_a, membership="pending"
    )
    actors.organiser.is_superuser = True
    actors.organiser.save()
    client.force_login(actors.organiser)
    url = "/admin/events/membership/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve", "_selected_action": [_membership(asker, actors.org_a).pk]})
        client.post(url, {"action": "refuse", "_selected_action": [_membership(other, actors.org_a).pk]})
        client.post(url, {"action": "remove", "_selected_action": [_membership(actors.employer_b, actors.org_b).pk]})
    assert _membership(asker, actors.org_a).status == "granted"
    assert _membership(other, actors.org_a).status == "refused"
    assert _membership(actors.employer_b, actors.org_b).status == "removed"
    assert sorted(e.to[0] for e in mail.outbox) == ["b@tigris.example", "nadia@baltic.example", "other@baltic.example"]


def test_organiser_verifies_a_new_organisation_from_page_and_admin(actors, client):
    one = memberships.organisation_for_request(name="Zagros Software", country="IQ")
    two = memberships.organisation_for_request(name="Erbil Cloud", country="IQ")
    actors.organiser.is_superuser = True
    actors.organiser.save()
    client.force_login(actors.organiser)
    client.post(f"/organisations/{one.pk}/verify/")
    client.post("/admin/events/organisation/", {"action": "verify", "_selected_action": [two.pk]})
    assert set(Organisation.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)) == {"verified"}
    client.force_login(actors.employer_a)
    assert client.post(f"/organisations/{one.pk}/verify/").status_code == 404


def test_admin_member_invites_a_colleague_who_joins_by_the_link(actors, client, django_capture_on_commit_callbacks):
    Membership.objects.filter(user=actors.employer_a).update(is_admin=True)
    client.force_login(actors.employer_a)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/organisations/{actors.org_a.pk}/members/", {"email": "Jonas@Baltic.example"})
    assert r.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["jonas@baltic.example"] and "Baltic Code UAB" in email.subject
    link = re.search(r"http://testserver(/organisations/invitations/\S+/)", email.body).group(1)

    invitee = Client()
    assert "Join" in invitee.get(link).content.decode()  # a GET (a mail scanner's) changes nothing
    assert not Membership.objects.filter(user__email="jonas@baltic.example").exists()
    r = invitee.post(link)
    assert r.status_code == 302 and r["Location"] == "/me/"
    m = Membership.objects.get(user__email="jonas@baltic.example", organisation=actors.org_a)
    assert (m.status, m.via, m.decided_by) == ("granted", "invitation", actors.employer_a)
    assert invitee.get("/me/").wsgi_request.user.email == "jonas@baltic.example"  # signed in by the link


def test_a_forged_or_stale_invitation_does_nothing(actors, client):
    Membership.objects.filter(user=actors.employer_a).update(is_admin=True)
    url = memberships.invitation_url(
        organisation_id=actors.org_a.pk, email="x@baltic.example", invited_by_id=actors.employer_a.pk
    )
    path = url.removeprefix("http://testserver")
    assert client.post(path[:-3] + "xx/").status_code == 400
    # The inviter lost their admin right since: the old link lets nobody in.
    Membership.objects.filter(user=actors.employer_a).update(is_admin=False)
    assert client.post(path).status_code == 403
    assert not Membership.objects.filter(user__email="x@baltic.example").exists()


def test_an_invited_organiser_is_granted_but_not_signed_in_by_the_link(actors, client):
    url = memberships.invitation_url(
        organisation_id=actors.org_a.pk, email=actors.organiser.email, invited_by_id=actors.organiser.pk
    )
    r = client.post(url.removeprefix("http://testserver"))
    assert r.status_code == 302 and r["Location"] == "/me/sign-in/"
    assert _membership(actors.organiser, actors.org_a).status == "granted"
    assert "_auth_user_id" not in client.session


def test_members_page_is_for_the_organisations_admins_who_decide_requests_there(
    actors, asker, client, django_capture_on_commit_callbacks
):
    page = f"/organisations/{actors.org_a.pk}/members/"
    client.force_login(actors.employer_a)
    assert client.get(page).status_code == 404  # a member, not an admin
    Membership.objects.filter(user=actors.employer_a).update(is_admin=True)
    body = client.get(page).content.decode()
    assert "nadia@baltic.example" in body and "a@baltic.example" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/memberships/{_membership(asker, actors.org_a).pk}/decide/",
            {"decision": "grant", "next": page},
        )
    assert _membership(asker, actors.org_a).status == "granted"
    # An admin of organisation A decides nothing about organisation B, nor about themself.
    assert client.get(f"/organisations/{actors.org_b.pk}/members/").status_code == 404
    m_b = _membership(actors.employer_b, actors.org_b)
    assert client.post(f"/organisations/memberships/{m_b.pk}/decide/", {"decision": "remove"}).status_code == 404
    client.post(
        f"/organisations/memberships/{_membership(actors.employer_a, actors.org_a).pk}/decide/", {"decision": "remove"}
    )
    assert _membership(actors.employer_a, actors.org_a).status == "granted"


@pytest.mark.parametrize(
    ("email", "confirmed", "status"),
    [
        ("lina@baltic.example", True, "granted"),
        ("lina@baltic.example", False, "pending"),  # an address nobody proved is theirs grants nothing
        ("lina@baltic-code.example", True, "pending"),  # a look-alike domain is another domain
    ],
)
def test_a_verified_domain_grants_confirmed_addresses_on_it(actors, email, confirmed, status):
    Organisation.objects.filter(pk=actors.org_a.pk).update(email_domain="baltic.example")
    user = UserFactory(email=email, email_confirmed_at=timezone.now() if confirmed else None)
    m = memberships.membership_request(user=user, organisation=Organisation.objects.get(pk=actors.org_a.pk))
    assert m.status == status
    if status == "granted":
        assert m.via == "domain"


def test_confirming_the_address_later_grants_a_pending_request_on_the_domain(actors):
    memberships.organisation_verify(organisation=actors.org_a, by=actors.organiser, email_domain="@Baltic.example")
    user = UserFactory(email="lina@baltic.example")
    assert memberships.membership_request(user=user, organisation=actors.org_a).status == "pending"
    user.email_confirmed_at = timezone.now()
    user.save()
    assert [m.status for m in memberships.memberships_confirm_domain(user=user)] == ["granted"]


def test_no_domain_grant_for_an_unverified_organisation(actors):
    org = OrganisationFactory(name="Zagros Software", country="IQ", status="pending", email_domain="zagros.example")
    user = UserFactory(email="a@zagros.example", email_confirmed_at=timezone.now())
    assert memberships.membership_request(user=user, organisation=org).status == "pending"


@pytest.mark.parametrize(
    ("state", "shows"),
    [
        ("pending", "Waiting for approval"),
        ("refused", "Request refused"),
        ("removed", "No longer a member"),
        ("granted", "Candidate board"),
    ],
)
def test_my_registration_says_where_the_request_stands_and_what_happens_next(actors, client, state, shows):
    user = UserFactory(email="nadia@baltic.example")
    reg = RegistrationFactory(
        event=actors.event, user=user, role="employer", organisation=actors.org_a, membership=state
    )
    client.force_login(user)
    body = client.get(f"/me/registrations/{reg.pk}/").content.decode()
    assert shows in body
    assert ("/matching/job-fair/board/" in body) == (state == "granted")
    if state == "pending":
        assert "We email you as soon as it is decided" in body


def test_an_organiser_adding_a_membership_in_the_admin_grants_it(actors, client):
    actors.organiser.is_superuser = True
    actors.organiser.save()
    client.force_login(actors.organiser)
    assert client.get("/admin/events/membership/add/").status_code == 200
    r = client.post(
        "/admin/events/membership/add/", {"user": actors.outsider.pk, "organisation": actors.org_a.pk, "is_admin": "on"}
    )
    m = _membership(actors.outsider, actors.org_a)
    assert (r.status_code, r["Location"]) == (302, "/admin/events/membership/")
    assert client.get(f"/admin/events/membership/{m.pk}/change/").status_code == 200
    assert (m.status, m.via, m.is_admin, m.decided_by) == ("granted", "organiser", True, actors.organiser)


def test_an_employer_registered_by_an_organiser_is_confirmed_from_the_requests_page(
    actors, client, django_capture_on_commit_callbacks
):
    # Registered in the admin, by import or invitation: the organisation was never asked for.
    user = UserFactory(email="rasa@baltic.example", full_name="Rasa Imported")
    reg = RegistrationFactory(
        event=actors.event, user=user, role="employer", organisation=actors.org_a, membership="none"
    )
    client.force_login(user)
    waiting = client.get("/matching/job-fair/board/")
    assert waiting.status_code == 403 and "not confirmed yet" in waiting.content.decode()

    client.force_login(actors.organiser)
    assert "rasa@baltic.example" in client.get("/organisations/requests/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organisations/registrations/{reg.pk}/confirm/")
    assert (_membership(user, actors.org_a).status, _membership(user, actors.org_a).via) == ("granted", "organiser")
    assert [e.to for e in mail.outbox] == [["rasa@baltic.example"]]
    assert "rasa@baltic.example" not in client.get("/organisations/requests/").content.decode()
    client.force_login(user)
    assert client.get("/matching/job-fair/board/").status_code == 200
    client.force_login(actors.employer_a)
    assert client.post(f"/organisations/registrations/{reg.pk}/confirm/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ar", "بانتظار الموافقة"), ("lt", "Laukiama patvirtinimo"), ("ckb", "چاوەڕوانی پەسەندکردن")],
)
def test_the_waiting_page_speaks_the_persons_language(actors, asker, client, language, heading):
    client.force_login(asker)
    client.cookies["django_language"] = language
    body = client.get("/matching/job-fair/board/").content.decode()
    assert heading in body and "Baltic Code UAB" in body
