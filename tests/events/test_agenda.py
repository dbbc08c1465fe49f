"""A personal agenda: people choose sessions on the event page, on "my day" and through the API.

Chosen sessions go to the person's calendar (an invitation, then a CANCEL when removed) and their
personal feed; "my registration" and "my day" show the same programme.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.feeds import feed_token_for
from events.models import Registration, Session
from tests.calendar.mailbox import calendar_mails
from tests.conftest import make_token
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    start = timezone.now() + timedelta(days=7)
    return EventFactory(slug="agenda-fair", title="Agenda Fair", starts_at=start, ends_at=start + timedelta(hours=9))


def _session(event, title, hours=1, **kw):
    start = event.starts_at + timedelta(hours=hours)
    return SessionFactory(event=event, title=title, starts_at=start, ends_at=start + timedelta(hours=1), **kw)


@pytest.fixture
def zainab(fair):
    user = UserFactory(email="zainab@example.org", full_name="Zainab Candidate")
    return RegistrationFactory(event=fair, user=user, role=Registration.Role.CANDIDATE)


def _url(registration, session):
    return f"/api/v1/registrations/{registration.pk}/sessions/{session.pk}"


@pytest.fixture
def as_person(api_client, zainab):
    return api_client(make_token(zainab.user))


def _feed_uids(user) -> str:
    response = Client().get(reverse("calendar:personal", args=[feed_token_for(user).key]))
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


def test_adding_a_session_lists_it_sends_an_invitation_and_puts_it_in_the_feed(
    as_person, zainab, fair, django_capture_on_commit_callbacks
):
    talk = _session(fair, "Cloud careers")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_person.post(_url(zainab, talk))
    assert response.status_code == 200, response.content
    assert response.json()["sessions"] == [talk.pk]
    (invite,) = [m for m in calendar_mails() if "Cloud careers" in m.subject]
    assert invite.method == "REQUEST" and invite.to == ["zainab@example.org"]
    assert "Cloud careers" in _feed_uids(zainab.user)
    # The registration itself lists it too.
    assert as_person.get(f"/api/v1/registrations/{zainab.pk}").json()["sessions"] == [talk.pk]


def test_removing_a_session_sends_a_cancel_and_lists_it_no_more(
    as_person, zainab, fair, django_capture_on_commit_callbacks
):
    talk = _session(fair, "Cloud careers")
    with django_capture_on_commit_callbacks(execute=True):
        as_person.post(_url(zainab, talk))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_person.delete(_url(zainab, talk))
    assert response.status_code == 200
    assert response.json()["sessions"] == []
    (cancel,) = [m for m in calendar_mails() if "Cloud careers" in m.subject]
    assert cancel.method == "CANCEL"
    # Removing again is no change and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert as_person.delete(_url(zainab, talk)).status_code == 200
    assert [m for m in calendar_mails() if "Cloud careers" in m.subject] == []


def test_adding_twice_sends_one_invitation(as_person, zainab, fair, django_capture_on_commit_callbacks):
    talk = _session(fair, "Cloud careers")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        as_person.post(_url(zainab, talk))
        response = as_person.post(_url(zainab, talk))
    assert response.status_code == 200 and response.json()["sessions"] == [talk.pk]
    assert len([m for m in calendar_mails() if "Cloud careers" in m.subject]) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Session.Status.CANCELLED}, "session_cancelled"),
        ({"status": Session.Status.ENDED}, "session_ended"),
        ({"audience": Session.Audience.OFFICIALS}, "officials_only"),
        ({"capacity": 0}, "session_full"),
    ],
)
def test_refusals_are_409_with_a_stable_reason(as_person, zainab, fair, change, reason):
    talk = _session(fair, "Refused", **change)
    response = as_person.post(_url(zainab, talk))
    assert response.status_code == 409
    assert response.json()["reason"] == reason
    assert response.json()["message"]
    assert not zainab.sessions.exists()


def test_the_last_place_goes_to_the_first_who_takes_it(api_client, as_person, zainab, fair):
    talk = _session(fair, "Small workshop", capacity=1)
    assert as_person.post(_url(zainab, talk)).status_code == 200
    other = RegistrationFactory(event=fair, user=UserFactory(email="omar@example.org"))
    response = api_client(make_token(other.user)).post(_url(other, talk))
    assert response.status_code == 409 and response.json()["reason"] == "session_full"
    # Cancelled registrations free their place.
    zainab.status = Registration.Status.CANCELLED
    zainab.save()
    assert api_client(make_token(other.user)).post(_url(other, talk)).status_code == 200


def test_an_official_may_take_an_officials_only_session(api_client, fair):
    official = RegistrationFactory(event=fair, role=Registration.Role.OFFICIAL)
    round_table = _session(fair, "Round table", audience=Session.Audience.OFFICIALS)
    response = api_client(make_token(official.user)).post(_url(official, round_table))
    assert response.status_code == 200


def test_a_waitlisted_person_chooses_nothing_yet(api_client, fair):
    waiting = RegistrationFactory(event=fair, status=Registration.Status.WAITLISTED)
    talk = _session(fair, "Cloud careers")
    response = api_client(make_token(waiting.user)).post(_url(waiting, talk))
    assert response.status_code == 409 and response.json()["reason"] == "not_registered"


def test_only_the_person_or_an_organiser_changes_a_programme(api_client, zainab, fair):
    talk = _session(fair, "Cloud careers")
    stranger = RegistrationFactory(event=fair, user=UserFactory(email="otto@example.org"))
    for method in ("post", "delete"):
        response = getattr(api_client(make_token(stranger.user)), method)(_url(zainab, talk))
        assert response.status_code == 404
    assert api_client().post(_url(zainab, talk)).status_code == 401
    organiser = UserFactory(email="olga@example.org", is_staff=True)
    response = api_client(make_token(organiser)).post(_url(zainab, talk))
    assert response.status_code == 200 and response.json()["sessions"] == [talk.pk]


def test_a_session_of_another_event_or_a_bad_id_is_404_or_422(as_person, zainab, fair):
    elsewhere = _session(EventFactory(slug="elsewhere"), "Elsewhere")
    assert as_person.post(_url(zainab, elsewhere)).status_code == 404
    assert as_person.post(f"/api/v1/registrations/{zainab.pk}/sessions/0").status_code == 422
    assert as_person.post(f"/api/v1/registrations/{zainab.pk}/sessions/abc").status_code == 422


# Pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def browser(zainab):
    client = Client()
    client.force_login(zainab.user)
    return client


def test_the_event_page_adds_with_a_plain_form_and_my_pages_agree(browser, zainab, fair):
    talk = _session(fair, "Cloud careers")
    other = _session(fair, "Not chosen", hours=3)
    page = browser.get(reverse("events:detail", args=[fair.slug])).content.decode()
    action = reverse("events:programme", args=[zainab.pk, talk.pk])
    assert f'action="{action}"' in page and "Add to my programme" in page
    # Before: "my registration" says nothing is chosen.
    mine = browser.get(reverse("events:my_registration", args=[zainab.pk])).content.decode()
    assert "You have not chosen any sessions yet" in mine

    back = reverse("events:detail", args=[fair.slug])
    response = browser.post(action, {"action": "add", "next": f"{back}#session-{talk.pk}"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{back}#session-{talk.pk}"
    assert "Added to your programme: Cloud careers" in response.content.decode()
    assert "Remove from my programme" in response.content.decode()

    mine = browser.get(reverse("events:my_registration", args=[zainab.pk])).content.decode()
    assert "Cloud careers" in mine and "Not chosen" not in mine
    day = browser.get("/api/v1/me/day").json()
    (event,) = day["events"]
    assert event["chosen_sessions"] == [talk.pk] and event["my_sessions"] == [talk.pk]
    assert {s["id"] for s in event["sessions"]} >= {talk.pk, other.pk}


def test_the_page_form_answers_json_to_the_script_and_says_why_when_full(browser, zainab, fair):
    full = _session(fair, "Full house", capacity=0)
    response = browser.post(
        reverse("events:programme", args=[zainab.pk, full.pk]), {"action": "add"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert response.json()["reason"] == "session_full" and response.json()["in_programme"] is False
    talk = _session(fair, "Cloud careers")
    response = browser.post(
        reverse("events:programme", args=[zainab.pk, talk.pk]), {"action": "add"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["in_programme"] is True


def test_the_page_form_never_redirects_away_and_needs_csrf(zainab, fair):
    talk = _session(fair, "Cloud careers")
    action = reverse("events:programme", args=[zainab.pk, talk.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(zainab.user)
    assert strict.post(action, {"action": "add"}).status_code == 403
    client = Client()
    client.force_login(zainab.user)
    response = client.post(action, {"action": "add", "next": "https://evil.example/"})
    assert response["Location"] == reverse("events:my_registration", args=[zainab.pk])
    assert client.post(action, {"action": "explode"}).status_code == 404


def test_someone_elses_registration_is_404_on_the_page(fair, zainab):
    talk = _session(fair, "Cloud careers")
    other = Client()
    other.force_login(UserFactory(email="otto@example.org"))
    response = other.post(reverse("events:programme", args=[zainab.pk, talk.pk]), {"action": "add"})
    assert response.status_code == 404
    assert not zainab.sessions.exists()


def test_an_official_sees_the_officials_sessions_in_the_programme_without_a_remove(api_client, fair):
    official = RegistrationFactory(event=fair, role=Registration.Role.OFFICIAL)
    round_table = _session(fair, "Ministers' round table", audience=Session.Audience.OFFICIALS)
    client = Client()
    client.force_login(official.user)
    page = client.get(reverse("events:my_registration", args=[official.pk])).content.decode()
    assert "round table" in page and "for officials" in page
    assert reverse("events:programme", args=[official.pk, round_table.pk]) not in page


@pytest.mark.parametrize(("language", "add"), [("ar", "أضف إلى برنامجي"), ("ckb", "زیادکردن بۆ بەرنامەکەم")])
def test_the_buttons_speak_the_readers_language(browser, zainab, fair, language, add):
    _session(fair, "Cloud careers", capacity=5)
    browser.cookies["django_language"] = language
    page = browser.get(reverse("events:detail", args=[fair.slug])).content.decode()
    assert add in page and 'dir="rtl"' in page
