"""Live-operation endpoints with an impossible event slug answer 4xx on every database.

PostgreSQL refuses a NUL in a text parameter outright; a slug that cannot exist must not reach it.
A NUL in the URL is refused at the door (config.middleware); other impossible slugs are "not found",
and the selector itself refuses them for callers that are not HTTP views.
"""

from __future__ import annotations

import pytest

from events.selectors import event_get_visible

BAD_SLUGS = ["x\x00y", "\x00", "é", "a b", "x" * 81]


@pytest.mark.parametrize("endpoint", ["live", "control", "announcements"])
def test_live_endpoints_with_a_nul_in_the_slug_are_refused(actors, api_client, token_for, endpoint):
    client = api_client(token_for(actors.organiser))

    response = client.get(f"/api/v1/events/x%00y/{endpoint}")

    assert response.status_code == 404


@pytest.mark.parametrize("slug", ["%C3%A9", "a%20b", "x" * 81])
def test_announcing_at_an_impossible_event_is_not_found(actors, api_client, token_for, slug):
    client = api_client(token_for(actors.organiser))

    response = client.post(f"/api/v1/events/{slug}/announcements", {"text": "Doors open"})

    assert response.status_code == 404


@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_no_event_has_an_impossible_slug(actors, slug):
    assert event_get_visible(user=actors.organiser, slug=slug) is None


def test_a_real_slug_is_still_found(actors):
    assert event_get_visible(user=actors.organiser, slug=actors.event.slug) == actors.event
