"""Requests Django cannot read at all (too large, too many fields) get a clear 400 page, not a bare one."""

from __future__ import annotations

import pytest


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
