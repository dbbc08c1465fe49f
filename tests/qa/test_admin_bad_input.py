"""Hand-edited admin URLs: an id that is not a number is "not found", never a 500."""

from __future__ import annotations

import os

import pytest

from tests.conftest import requires_postgres
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


# Django's own admin answers 500 to some hand-made requests by staff. Fixing it needs a project-wide
# admin site or middleware (config/), not a change in one ModelAdmin; see the QA report.
DJANGO_ADMIN_XFAIL = pytest.mark.xfail(strict=True, reason="owner: lead (Django admin core; needs config/)")
ON_SQLITE = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's 64-bit integer overflow"
)


@DJANGO_ADMIN_XFAIL
@pytest.mark.parametrize("selected", ["x", "²", "\x00"])
def test_bulk_action_on_a_non_numeric_selection_is_refused(actors, admin_client, selected):
    response = admin_client.post(
        "/admin/events/organisation/", {"action": "delete_selected", "_selected_action": selected, "index": "0"}
    )

    assert response.status_code in (200, 302, 400)


@ON_SQLITE
@DJANGO_ADMIN_XFAIL
def test_list_filtered_by_an_impossible_event_id_is_empty(actors, admin_client):
    response = admin_client.get("/admin/events/calendardelivery/", {"event": "99999999999999999999"})

    assert response.status_code in (200, 302)


@requires_postgres
@DJANGO_ADMIN_XFAIL
@pytest.mark.parametrize("param", ["status__exact", "delegation"])
def test_list_filtered_by_a_nul_is_refused(actors, admin_client, param):
    response = admin_client.get("/admin/events/registration/", {param: "\x00"})

    assert response.status_code in (200, 302, 400)
