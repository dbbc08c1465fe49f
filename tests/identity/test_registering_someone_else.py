"""Attack 1 of issue 11: typing someone's email on the registration form or API changes nothing of theirs.

Before, an anonymous registration of a known address with "share my profile" ticked wrote that
consent onto its owner, and an employer then read their CV and profile.
"""

from __future__ import annotations

from django.test import Client

from events.models import Consent, Membership, Registration
from tests.factories import RegistrationFactory, UserFactory
from tests.identity.conftest import link_in, page_text, to

FORM = {
    "full_name": "Someone Else",
    "role": "candidate",
    "organisation_name": "Baltic Code UAB",
    "language": "ar",
    "consent_share_profile": "on",
    "consent_attendee_list": "on",
}
API = {
    "name": "Someone Else",
    "role": "candidate",
    "organisation": "Baltic Code UAB",
    "language": "ar",
    "consent_share_profile": True,
    "consent_attendee_list": True,
}


def _snapshot(user) -> dict:
    user.refresh_from_db()
    return {
        "user": (user.full_name, user.language, user.organisation_id, user.is_staff, user.email_confirmed_at),
        "registrations": sorted(
            Registration.objects.filter(user=user).values_list(
                "event_id",
                "role",
                "status",
                "language",
                "organisation_id",
                "consent_share_profile",
                "consent_attendee_list",
                "pending_consents",
            )
        ),
        "consents": Consent.objects.filter(user=user).count(),
        "memberships": Membership.objects.filter(user=user).count(),
    }


def _employer_sees(actors, api_client, token_for, victim) -> tuple[int, int]:
    employer = Client()
    employer.force_login(actors.employer_a)
    cv = employer.get(f"/matching/cv/{victim.user.pk}/").status_code
    profile = (
        api_client(token_for(actors.employer_a))
        .get(f"/api/v1/matching/events/{actors.event.slug}/candidates/{victim.user.pk}")
        .status_code
    )
    return cv, profile


def test_anonymous_form_with_consent_for_a_known_address_changes_nothing_and_emails_its_owner(
    actors, victim, client, sent, api_client, token_for
):
    before = _snapshot(victim.user)

    with sent():
        response = client.post(f"/events/{actors.event.slug}/register/", {**FORM, "email": "Victim@Example.org"})

    assert response.status_code == 302
    assert response["Location"] == f"/events/{actors.event.slug}/registered/"
    assert _snapshot(victim.user) == before
    assert not Registration.objects.filter(event=actors.event, user=victim.user).exists()
    # The owner hears about it, in their own language, with a link to finish it themselves.
    (notice,) = to("victim@example.org")
    assert "/me/finish/" in notice.body
    assert "Vilnius–Baghdad Digital Job Fair" in notice.subject
    # And no employer gained anything: the CV and the profile stay refused.
    cv, profile = _employer_sees(actors, api_client, token_for, victim)
    assert cv == 404
    assert profile in (403, 404)


def test_api_without_credentials_for_a_known_address_changes_nothing(actors, victim, api_client, sent):
    before = _snapshot(victim.user)

    with sent():
        response = api_client().post(
            f"/api/v1/events/{actors.event.slug}/registrations", {**API, "email": victim.user.email}
        )

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "ok"
    assert _snapshot(victim.user) == before
    assert len(to(victim.user.email)) == 1


def test_someone_elses_token_registering_a_known_address_changes_nothing(actors, victim, api_client, token_for, sent):
    before = _snapshot(victim.user)

    with sent():
        response = api_client(token_for(actors.outsider)).post(
            f"/api/v1/events/{actors.event.slug}/registrations", {**API, "email": victim.user.email}
        )

    assert response.status_code == 202, response.content
    assert _snapshot(victim.user) == before
    assert not Registration.objects.filter(event=actors.event, user__in=[victim.user, actors.outsider]).exists()
    assert len(to(victim.user.email)) == 1


def test_signed_in_as_someone_else_the_form_changes_nothing_of_the_address_owner(actors, victim, client, sent):
    before = _snapshot(victim.user)
    client.force_login(actors.outsider)

    with sent():
        response = client.post(f"/events/{actors.event.slug}/register/", {**FORM, "email": victim.user.email})

    assert response.status_code == 302
    assert _snapshot(victim.user) == before
    page = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in page
    assert "You are registered" not in page


def test_already_registered_address_gets_its_own_link_and_nothing_changes(actors, client, sent):
    before = _snapshot(actors.candidate)

    with sent():
        response = client.post(f"/events/{actors.event.slug}/register/", {**FORM, "email": actors.candidate.email})

    assert response.status_code == 302
    assert _snapshot(actors.candidate) == before
    (notice,) = to(actors.candidate.email)
    assert "already registered" in notice.body
    own = Registration.objects.get(event=actors.event, user=actors.candidate)
    assert link_in(notice, "/me/link/")
    assert Client().get(link_in(notice, "/me/link/"))["Location"] == f"/me/registrations/{own.pk}/"


def _three_addresses(actors, victim) -> dict[str, str]:
    # A new address, a known one not registered here, and one registered here already.
    return {"new": "newcomer@example.org", "known": victim.user.email, "registered": actors.candidate.email}


def test_the_page_answers_alike_for_new_known_and_registered_addresses(actors, victim, sent):
    answers = {}
    for kind, email in _three_addresses(actors, victim).items():
        browser = Client()
        with sent():
            response = browser.post(f"/events/{actors.event.slug}/register/", {**FORM, "email": email})
        page = browser.get(response["Location"])
        answers[kind] = (response.status_code, response["Location"], page.status_code, page_text(page.content, email))
        # Each address's owner got exactly one email.
        assert len(to(email)) == 1, kind

    assert answers["new"] == answers["known"] == answers["registered"]
    status, _location, page_status, text = answers["new"]
    assert (status, page_status) == (302, 200)
    assert "Check your inbox at <bdi><email></bdi>" in text
    for detail in ("You are registered", "waitlist", "ticket", "Open my registration"):
        assert detail not in text


def test_the_api_answers_alike_for_new_known_and_registered_addresses(actors, victim, api_client, token_for, sent):
    for token in (None, token_for(actors.outsider)):
        answers = {}
        for kind, email in _three_addresses(actors, victim).items():
            with sent():
                response = api_client(token).post(
                    f"/api/v1/events/{actors.event.slug}/registrations", {**API, "email": email}
                )
            answers[kind] = (response.status_code, response.content.decode().replace(email, "<email>"))
            assert len(to(email)) == 1, kind
            Registration.objects.filter(user__email="newcomer@example.org").delete()
        assert answers["new"] == answers["known"] == answers["registered"], token
        assert answers["new"][0] == 202


def test_a_full_event_says_nothing_of_the_waitlist_to_an_anonymous_browser(actors, client, sent):
    actors.event.capacity = 1
    actors.event.save()
    RegistrationFactory(event=actors.event, user=UserFactory())  # the fair is over capacity already

    with sent():
        response = client.post(
            f"/events/{actors.event.slug}/register/", {**FORM, "email": "late@example.org", "language": "en"}
        )

    page = client.get(response["Location"]).content.decode()
    assert "waitlist" not in page.lower()
    assert Registration.objects.get(user__email="late@example.org").status == Registration.Status.WAITLISTED
    (message,) = to("late@example.org")
    assert "waitlist" in message.body.lower()


def test_both_branches_do_work_of_the_same_order(actors, victim, django_capture_on_commit_callbacks):
    """Not a stopwatch (the machine is shared): the statements the request runs, and that both queue an email."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    work = {}
    for kind, email in {"new": "newcomer@example.org", "known": victim.user.email}.items():
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
            Client().post(f"/events/{actors.event.slug}/register/", {**FORM, "email": email})
        statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
        work[kind] = (len(statements), len(callbacks))
    # What remains is what only a new person needs: the account's insert (after a second look for
    # it, in the same transaction), the membership request's read and insert, the registration's insert.
    assert 0 <= work["new"][0] - work["known"][0] <= 5, work
    assert work["known"][1] >= 1
