"""Registrations through the API: registering, capacity and waitlist, privacy, and who may change what."""

from __future__ import annotations

import pytest
from django.core import mail

from events.models import Registration
from tests.calendar.mailbox import calendar_alone
from tests.factories import EventFactory, RegistrationFactory, UserFactory

REGISTRATION_FIELDS = {"id", "name", "email", "role", "organisation", "language", "status", "person_url"}


def notices() -> list:
    """Recipients of the registration emails; calendar invitations (a text/calendar part) are another feature's."""
    return [m.to for m in mail.outbox if not calendar_alone(m)]


def _me(actor) -> dict:
    return {"name": actor.full_name, "email": actor.email, "role": "candidate"}


def test_a_person_registers_themselves_and_gets_their_page_url(actors, api_client, token_for):
    event = EventFactory(slug="training-2027", kind="training")
    response = api_client(token_for(actors.outsider)).post(
        f"/api/v1/events/{event.slug}/registrations",
        {**_me(actors.outsider), "language": "ar", "consent_attendee_list": True},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= REGISTRATION_FIELDS
    assert (body["status"], body["language"], body["event"]) == ("registered", "ar", "training-2027")
    assert body["person_url"] == f"http://testserver/me/registrations/{body['id']}/"
    assert body["consent_attendee_list"] is True
    assert body["consent_share_profile"] is False


def test_registering_sends_the_confirmation_after_commit(
    actors, api_client, token_for, django_capture_on_commit_callbacks
):
    event = EventFactory(slug="fair-2")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(token_for(actors.outsider)).post(
            "/api/v1/events/fair-2/registrations", _me(actors.outsider)
        )
    assert response.status_code == 201
    assert notices() == [[actors.outsider.email]]
    assert event.registrations.get().user == actors.outsider


def test_a_person_may_not_register_someone_else(actors, api_client, token_for):
    # Someone else's known address: nothing changes, and the answer is the one a new address gets
    # (202, its owner is emailed), so it tells nobody who has an account (issue 11).
    EventFactory(slug="fair-2")
    response = api_client(token_for(actors.outsider)).post(
        "/api/v1/events/fair-2/registrations", {"name": "Someone", "email": actors.candidate.email}
    )
    assert response.status_code == 202
    assert response.json()["status"] == "ok"
    assert not Registration.objects.filter(event__slug="fair-2").exists()


@pytest.mark.parametrize("role", ["official", "speaker", "organiser", "staff"])
def test_a_person_may_not_give_themselves_a_privileged_role(actors, api_client, token_for, role):
    # Registering as an official would open officials-only sessions.
    EventFactory(slug="fair-2")
    response = api_client(token_for(actors.outsider)).post(
        "/api/v1/events/fair-2/registrations", {**_me(actors.outsider), "role": role}
    )
    assert response.status_code == 403
    assert not Registration.objects.filter(event__slug="fair-2").exists()


def test_anonymous_registration_through_the_api_is_answered_like_the_form(actors, api_client):
    # Like the public form: anyone may ask, and the address's owner confirms by email (issue 11).
    response = api_client().post("/api/v1/events/job-fair/registrations", {"name": "Anon", "email": "anon@x.org"})
    assert response.status_code == 202
    assert response.json()["status"] == "ok"
    # A token that matches nothing is still a 401, not the anonymous answer.
    bad = api_client("not-a-token").post(
        "/api/v1/events/job-fair/registrations", {"name": "Anon", "email": "anon@x.org"}
    )
    assert bad.status_code == 401


def test_organiser_registers_and_invites_anyone_with_organisation_by_name_or_id(
    actors, api_client, token_for, django_capture_on_commit_callbacks
):
    client = api_client(token_for(actors.organiser))
    url = "/api/v1/events/job-fair/registrations"
    by_name = client.post(
        url, {"name": "Rasa", "email": "rasa@baltic.example", "role": "employer", "organisation": "baltic code uab"}
    )
    assert by_name.status_code == 201, by_name.content
    assert (by_name.json()["organisation"], by_name.json()["organisation_id"]) == ("Baltic Code UAB", actors.org_a.pk)
    by_id = client.post(url, {"name": "Ali", "email": "ali@tigris.example", "organisation_id": actors.org_b.pk})
    assert by_id.json()["organisation"] == "Tigris Tech"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            url, {"name": "Deputy Minister", "email": "dm@gov.example", "role": "official", "invite": True}
        )
    assert (invited.json()["status"], invited.json()["role"]) == ("invited", "official")
    assert notices() == [["dm@gov.example"]]


def test_unknown_organisation_is_a_422_on_that_field(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    url = "/api/v1/events/job-fair/registrations"
    response = client.post(url, {"name": "X", "email": "x@example.org", "organisation": "Nowhere Ltd"})
    assert response.status_code == 422
    assert "organisation" in response.json()["errors"]
    response = client.post(url, {"name": "X", "email": "x@example.org", "organisation_id": 987654})
    assert "organisation_id" in response.json()["errors"]
    assert not Registration.objects.filter(user__email="x@example.org").exists()


def test_registering_twice_is_a_409_with_a_reason(actors, api_client, token_for):
    response = api_client(token_for(actors.candidate)).post(
        "/api/v1/events/job-fair/registrations", _me(actors.candidate)
    )
    assert response.status_code == 409
    assert response.json()["reason"] == "already_registered"


def test_closed_registration_is_refused_to_people_but_not_organisers(actors, api_client, token_for):
    EventFactory(slug="closed-fair", registration_open=False)
    url = "/api/v1/events/closed-fair/registrations"
    response = api_client(token_for(actors.outsider)).post(url, _me(actors.outsider))
    assert (response.status_code, response.json()["reason"]) == (409, "registration_closed")
    organiser = api_client(token_for(actors.organiser)).post(url, {"name": "VIP", "email": "vip@example.org"})
    assert organiser.status_code == 201


def test_draft_events_take_no_registrations_from_people(actors, api_client, token_for):
    EventFactory(slug="draft", status="draft")
    response = api_client(token_for(actors.outsider)).post("/api/v1/events/draft/registrations", _me(actors.outsider))
    assert response.status_code == 404


def test_full_event_waitlists_and_a_cancellation_through_the_api_promotes_the_next(
    actors, api_client, token_for, django_capture_on_commit_callbacks
):
    EventFactory(slug="small-workshop", capacity=1)
    url = "/api/v1/events/small-workshop/registrations"
    first = api_client(token_for(actors.candidate)).post(url, _me(actors.candidate)).json()
    second = api_client(token_for(actors.outsider)).post(url, _me(actors.outsider)).json()
    assert (first["status"], second["status"]) == ("registered", "waitlisted")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = api_client(token_for(actors.candidate)).patch(
            f"/api/v1/registrations/{first['id']}", {"status": "cancelled"}
        )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    promoted = api_client(token_for(actors.outsider)).get(f"/api/v1/registrations/{second['id']}").json()
    assert promoted["status"] == "registered"
    assert notices() == [[actors.outsider.email]]


def test_only_organisers_list_registrations_and_they_see_everyone(actors, api_client, token_for):
    for who in ("employer_a", "employer_b", "candidate", "official", "outsider"):
        response = api_client(token_for(getattr(actors, who))).get("/api/v1/events/job-fair/registrations")
        assert response.status_code == 403, who
        assert "email" not in response.content.decode()
    everyone = api_client(token_for(actors.organiser)).get("/api/v1/events/job-fair/registrations").json()["items"]
    assert {r["email"] for r in everyone} == {
        actors.employer_a.email,
        actors.employer_b.email,
        actors.candidate.email,
        actors.official.email,
    }
    officials = api_client(token_for(actors.organiser)).get("/api/v1/events/job-fair/registrations?role=official")
    assert [r["email"] for r in officials.json()["items"]] == [actors.official.email]
    assert (
        api_client(token_for(actors.organiser)).get("/api/v1/events/job-fair/registrations?role=king").status_code
        == 422
    )


def test_non_consenting_people_never_show_to_other_people(actors, api_client, token_for):
    # employer_b did not consent to attendee lists; nobody but the organiser and they themselves may see them.
    hidden = Registration.objects.get(user=actors.employer_b)
    assert not hidden.consent_attendee_list
    for who in ("employer_a", "candidate", "official", "outsider"):
        client = api_client(token_for(getattr(actors, who)))
        response = client.get(f"/api/v1/registrations/{hidden.pk}")
        assert response.status_code == 404, who
        assert actors.employer_b.email not in response.content.decode()
        assert actors.employer_b.email not in client.get("/api/v1/events/job-fair/registrations").content.decode()
    assert api_client(token_for(actors.employer_b)).get(f"/api/v1/registrations/{hidden.pk}").status_code == 200
    assert api_client(token_for(actors.organiser)).get(f"/api/v1/registrations/{hidden.pk}").status_code == 200


def test_a_person_changes_their_consent_and_language(actors, api_client, token_for):
    mine = Registration.objects.get(user=actors.employer_b)
    response = api_client(token_for(actors.employer_b)).patch(
        f"/api/v1/registrations/{mine.pk}", {"consent_attendee_list": True, "language": "lt"}
    )
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert (mine.consent_attendee_list, mine.language, mine.status) == (True, "lt", "registered")


@pytest.mark.parametrize(
    "change",
    [{"role": "official"}, {"delegation": "LT"}, {"organisation_id": 1}, {"status": "waitlisted"}],
)
def test_a_person_may_not_change_what_only_organisers_decide(actors, api_client, token_for, change):
    mine = Registration.objects.get(user=actors.candidate)
    response = api_client(token_for(actors.candidate)).patch(f"/api/v1/registrations/{mine.pk}", change)
    assert response.status_code in (403, 409), response.content
    mine.refresh_from_db()
    assert (mine.role, mine.delegation, mine.organisation_id, mine.status) == ("candidate", "", None, "registered")


def test_a_cancelled_person_cannot_reseat_themselves_by_patch(actors, api_client, token_for):
    mine = Registration.objects.get(user=actors.candidate)
    client = api_client(token_for(actors.candidate))
    assert client.patch(f"/api/v1/registrations/{mine.pk}", {"status": "cancelled"}).status_code == 200
    response = client.patch(f"/api/v1/registrations/{mine.pk}", {"status": "registered"})
    assert (response.status_code, response.json()["reason"]) == (409, "invalid_transition")


def test_an_invited_official_accepts_through_the_api(actors, api_client, token_for):
    guest = UserFactory(email="guest@gov.example")
    invitation = RegistrationFactory(event=actors.event, user=guest, role="official", status="invited")
    response = api_client(token_for(guest)).patch(f"/api/v1/registrations/{invitation.pk}", {"status": "registered"})
    assert response.json()["status"] == "registered"


def test_organiser_changes_role_organisation_and_delegation(actors, api_client, token_for):
    reg = Registration.objects.get(user=actors.candidate)
    response = api_client(token_for(actors.organiser)).patch(
        f"/api/v1/registrations/{reg.pk}", {"role": "speaker", "organisation": "Tigris Tech", "delegation": "iq"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["organisation"], response.json()["delegation"]) == (
        "speaker",
        "Tigris Tech",
        "IQ",
    )
    cleared = api_client(token_for(actors.organiser)).patch(f"/api/v1/registrations/{reg.pk}", {"organisation": None})
    assert cleared.json()["organisation"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": ["x@example.org"]}, "email"),
        ({"name": ""}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"role": "king"}, "role"),
        ({"language": "klingon"}, "language"),
        ({"consent_share_profile": "true"}, "consent_share_profile"),
        ({"consent_attendee_list": None}, "consent_attendee_list"),
        ({"delegation": "Lithuania"}, "delegation"),
        ({"organisation_id": "1"}, "organisation_id"),
    ],
)
def test_bad_registration_fields_get_a_422_naming_the_field(actors, api_client, token_for, change, field):
    response = api_client(token_for(actors.organiser)).post(
        "/api/v1/events/job-fair/registrations", {"name": "New", "email": "new@example.org", **change}
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_bad_status_patch_is_422(actors, api_client, token_for):
    reg = Registration.objects.get(user=actors.candidate)
    response = api_client(token_for(actors.candidate)).patch(f"/api/v1/registrations/{reg.pk}", {"status": "gone"})
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_organiser_cannot_seat_a_waitlisted_person_over_capacity(actors, api_client, token_for):
    event = EventFactory(slug="tiny", capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")
    response = api_client(token_for(actors.organiser)).patch(
        f"/api/v1/registrations/{waiting.pk}", {"status": "registered"}
    )
    assert (response.status_code, response.json()["reason"]) == (409, "invalid_transition")


def test_a_cancelled_person_registers_again_with_a_new_post(actors, api_client, token_for):
    client = api_client(token_for(actors.candidate))
    mine = Registration.objects.get(user=actors.candidate)
    client.patch(f"/api/v1/registrations/{mine.pk}", {"status": "cancelled"})
    again = client.post("/api/v1/events/job-fair/registrations", _me(actors.candidate))
    assert again.status_code == 201, again.content
    assert (again.json()["id"], again.json()["status"]) == (mine.pk, "registered")


def test_listing_costs_the_same_queries_for_three_people_or_forty(actors, api_client, token_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client(token_for(actors.organiser))
    url = "/api/v1/events/job-fair/registrations"
    client.get(url)  # token's last_used_at is written once; measure after

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for i in range(40):
        RegistrationFactory(event=actors.event, organisation=actors.org_a if i % 2 else None)
    # Tickets and feed tokens are issued on first read; the steady state is what must not grow.
    client.get(url)
    assert queries() == few
