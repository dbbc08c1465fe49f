"""'Email me my link' on the sign-in page and an event's page: one answer for every address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from events.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(response) -> str:
    # The page without what the client typed and the per-response tokens.
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return html.replace("unknown@example.org", "X").replace("known@example.org", "X")


@pytest.mark.parametrize("where", ["/me/email-my-link/", "/events/fair/email-my-link/"])
def test_known_and_unknown_addresses_get_the_same_page_and_only_the_known_one_an_email(where):
    event = EventFactory(slug="fair", title="Job Fair")
    registration = RegistrationFactory(event=event, user=UserFactory(email="known@example.org"), language="lt")
    mail.outbox.clear()

    known = Client().post(where, {"email": "known@example.org"})
    unknown = Client().post(where, {"email": "unknown@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert _answer(known) == _answer(unknown)
    assert [m.to for m in mail.outbox] == [["known@example.org"]]
    link = re.search(r"http://testserver(/me/link/\S+)", mail.outbox[0].body).group(1)
    assert Client().get(link)["Location"] == f"/me/registrations/{registration.pk}/"
    assert "Sveiki" in mail.outbox[0].body or "Job Fair" in mail.outbox[0].subject


def test_a_bad_address_is_a_clear_400_and_a_get_is_refused():
    for body in ({"email": "not an address"}, {}, {"email": "x" * 300 + "@example.org"}):
        response = Client().post("/me/email-my-link/", body)
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()
    assert Client().get("/me/email-my-link/").status_code == 405
    assert Client().post("/events/no-such-event/email-my-link/", {"email": "a@example.org"}).status_code == 404


def test_link_requests_are_rate_limited_per_address_like_registering(settings):
    cache.clear()  # the other tests' counts for the same address
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration": {"address": (100, 3600), "account": (2, 3600)}}
    RegistrationFactory(user=UserFactory(email="known@example.org"))
    client = Client()
    statuses = [client.post("/me/email-my-link/", {"email": "Known@Example.org"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_forms_are_on_the_sign_in_page_and_the_event_page_for_visitors():
    EventFactory(slug="fair")
    assert 'action="/me/email-my-link/"' in Client().get("/me/sign-in/").content.decode()
    assert 'action="/events/fair/email-my-link/"' in Client().get("/events/fair/").content.decode()


def test_door_staff_find_the_scanner_on_their_page_and_the_event_page():
    event = EventFactory(slug="fair")
    staff = UserFactory()
    RegistrationFactory(event=event, user=staff, role=Registration.Role.STAFF)
    candidate = UserFactory()
    RegistrationFactory(event=event, user=candidate)
    client = Client()
    client.force_login(staff)
    for page in ("/me/", "/events/fair/"):
        assert 'href="/checkin/fair/scan"' in client.get(page).content.decode()
    client.force_login(candidate)
    for page in ("/me/", "/events/fair/"):
        assert 'href="/checkin/fair/scan"' not in client.get(page).content.decode()
