"""Hand-edited admin URLs: an id that is not a number is "not found", never a 500."""

from __future__ import annotations

import pytest

from tests.factories import SessionFactory

# "²" and "¹²" pass str.isdigit() but int() refuses them; the others are plainly not ids.
NOT_IDS = ["²", "¹²", "x", "-1", "99999999999999999999"]


@pytest.mark.parametrize("raw", NOT_IDS)
@pytest.mark.parametrize("model", ["event", "session"])
def test_change_page_of_a_non_numeric_id_redirects_with_a_message(actors, admin_client, model, raw):
    response = admin_client.get(f"/admin/events/{model}/{raw}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("raw", NOT_IDS)
def test_new_session_for_a_non_numeric_event_shows_the_empty_form(actors, admin_client, raw):
    response = admin_client.get("/admin/events/session/add/", {"event": raw})

    assert response.status_code == 200


def test_new_session_for_a_real_event_uses_its_time_zone(actors, admin_client):
    actors.event.timezone = "Asia/Baghdad"
    actors.event.save()
    SessionFactory(event=actors.event)

    response = admin_client.get("/admin/events/session/add/", {"event": actors.event.pk})

    assert response.status_code == 200
    assert response.context["event_zone"] == "Asia/Baghdad"
