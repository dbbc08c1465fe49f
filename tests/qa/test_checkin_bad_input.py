"""Bad input at the check-in pages: a clear 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import SessionFactory


@pytest.mark.xfail(strict=True, reason="owner: checkin (poster: '²'.isdigit() but int('²') fails)")
@pytest.mark.parametrize("raw", ["²", "¹²"])
def test_poster_with_a_non_ascii_digit_session_is_not_found(actors, client, raw):
    # "²".isdigit() is True, but int("²") raises ValueError: a 500 today. (Arabic-Indic digits do convert.)
    SessionFactory(event=actors.event)
    client.force_login(actors.organiser)

    response = client.get(f"/checkin/{actors.event.slug}/poster/", {"session": raw})

    assert response.status_code == 404


@pytest.mark.parametrize("raw", ["-1", "x", "99999999999999999999999", "\x00"])
def test_poster_with_a_nonsense_session_is_not_found(actors, client, raw):
    client.force_login(actors.organiser)

    response = client.get(f"/checkin/{actors.event.slug}/poster/", {"session": raw})

    assert response.status_code == 404
