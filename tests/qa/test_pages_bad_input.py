"""Requests Django cannot read at all (too large, too many fields) get a clear 400 page, not a bare one."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_an_oversized_form_gets_a_readable_bad_request_page(actors, client, production):
    client.raise_request_exception = False

    response = client.post(f"/events/{actors.event.slug}/register/", {"full_name": "x" * 3_000_000})

    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not read that" in page
    assert "Nothing was saved" in page


def test_a_form_with_thousands_of_fields_gets_the_same_page(actors, client, production):
    client.raise_request_exception = False

    response = client.post(f"/events/{actors.event.slug}/register/", {f"f{i}": "1" for i in range(5000)})

    assert response.status_code == 400
    assert "We could not read that" in response.content.decode()


def test_a_form_with_a_forged_csrf_token_says_it_expired_and_nothing_was_saved(actors, production):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/events/{actors.event.slug}/register/",
        {"csrfmiddlewaretoken": "forged" * 6, "full_name": "Ali", "email": "ali@example.org"},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert "Nothing was saved" in page
    assert not actors.event.registrations.filter(user__email="ali@example.org").exists()


def test_a_page_the_user_may_not_open_explains_itself(actors, client, production):
    client.force_login(actors.candidate)

    response = client.get(f"/events/{actors.event.slug}/control")

    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
