"""One table of what may follow what for a session, and every caller answering by it.

The sessions API (PATCH `status`, DELETE), the control room's actions (POST start, end, cancel) and
the admin (its page, the event's agenda, the cancel action) all go through events.sessions.
"""

from __future__ import annotations

import itertools
import json

import pytest
from channels.db import database_sync_to_async
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from events.models import Session
from events.sessions import TRANSITIONS
from tests.events.test_admin_tools import _form_data
from tests.factories import SessionFactory
from tests.realtime.helpers import Listener

STATUSES = list(Session.Status)
# The control room's action that asks for each status (nothing there schedules a session again).
ACTION_FOR = {Session.Status.LIVE: "start", Session.Status.ENDED: "end", Session.Status.CANCELLED: "cancel"}
EXPECTED_TABLE = {
    ("scheduled", "live"),
    ("scheduled", "cancelled"),
    ("live", "ended"),
    ("live", "cancelled"),
    ("cancelled", "scheduled"),
}


def _organiser(actors) -> Client:
    client = Client()
    client.force_login(actors.organiser)
    return client


def _session(actors, status: str) -> Session:
    session = SessionFactory(event=actors.event, title="Keynote")
    Session.objects.filter(pk=session.pk).update(status=status)
    return session


def _answer(response) -> tuple[int, str | None]:
    body = response.json()
    return response.status_code, body.get("reason") if response.status_code >= 400 else body["status"]


def _patch(client: Client, session: Session, status: str):
    return client.patch(f"/api/v1/sessions/{session.pk}", json.dumps({"status": status}), "application/json")


def _act(client: Client, session: Session, action: str):
    return client.post(f"/api/v1/sessions/{session.pk}/{action}", content_type="application/json")


def test_the_table_is_the_one_the_control_room_shows():
    allowed = {(old, new) for old, news in TRANSITIONS.items() for new in news}
    assert allowed == EXPECTED_TABLE
    # A session that took place cannot be cancelled: calendars would withdraw what people attended.
    assert TRANSITIONS[Session.Status.ENDED] == frozenset()


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), [(o, n) for o, n in itertools.product(STATUSES, STATUSES) if o != n])
def test_every_change_of_status_answers_the_same_over_the_api_and_in_the_control_room(actors, old, new):
    client = _organiser(actors)
    through_api = _session(actors, old)
    response = _patch(client, through_api, new)
    through_api.refresh_from_db()

    if (old, new) in EXPECTED_TABLE:
        assert _answer(response) == (200, new)
        assert through_api.status == new
    else:
        assert _answer(response) == (409, "invalid_transition")
        assert response.json()["message"]
        assert through_api.status == old

    if new in ACTION_FOR:
        in_control_room = _session(actors, old)
        action = _act(client, in_control_room, ACTION_FOR[new])
        in_control_room.refresh_from_db()
        assert _answer(action) == _answer(response)
        assert (
            action.json()["message" if action.status_code >= 400 else "status"]
            == (response.json()["message" if response.status_code >= 400 else "status"])
        )
        assert in_control_room.status == through_api.status


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
def test_asking_for_the_current_status_is_no_change_in_a_patch_and_refused_as_an_action(actors, status):
    """A PATCH sets fields (a client may send back what it read); an action names a move, which must happen."""
    client = _organiser(actors)
    session = _session(actors, status)
    assert _answer(_patch(client, session, status)) == (200, status)
    if status in ACTION_FOR:
        action = _act(client, session, ACTION_FOR[status])
        assert _answer(action) == (409, "invalid_transition")
    session.refresh_from_db()
    assert (session.status, session.revision) == (status, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
def test_delete_and_post_cancel_answer_alike(actors, status):
    client = _organiser(actors)
    deleted, cancelled = _session(actors, status), _session(actors, status)

    by_delete = client.delete(f"/api/v1/sessions/{deleted.pk}")
    by_post = _act(client, cancelled, "cancel")

    may = status in (Session.Status.SCHEDULED, Session.Status.LIVE)
    assert _answer(by_delete) == _answer(by_post)
    assert _answer(by_delete) == ((200, "cancelled") if may else (409, "invalid_transition"))
    deleted.refresh_from_db()
    cancelled.refresh_from_db()
    assert (deleted.status, deleted.revision) == (cancelled.status, cancelled.revision)
    assert deleted.revision == (1 if may else 0)


@pytest.mark.django_db(transaction=True)
async def test_delete_and_post_cancel_push_the_same_message_to_the_control_room(actors):
    @database_sync_to_async
    def cancel_both() -> tuple[int, int]:
        client = _organiser(actors)
        first, second = _session(actors, "scheduled"), _session(actors, "live")
        client.delete(f"/api/v1/sessions/{first.pk}")
        _act(client, second, "cancel")
        # Refused: nothing is pushed for these.
        client.delete(f"/api/v1/sessions/{first.pk}")
        _act(client, second, "cancel")
        return first.pk, second.pk

    async with Listener("event:job-fair:control") as control:
        first, second = await cancel_both()
        pushed = [await control.next() for _ in range(2)]
        assert await control.next(timeout=0.3) is None
    sessions = [(m["type"], m["data"]["session"]["id"], m["data"]["session"]["status"]) for m in pushed]
    assert sessions == [("session.changed", first, "cancelled"), ("session.changed", second, "cancelled")]
    assert pushed[0]["data"]["session"]["revision"] == pushed[1]["data"]["session"]["revision"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_admin_refuses_cancelling_an_ended_session_on_its_page_and_in_the_agenda(admin_client, actors):
    session = _session(actors, "ended")
    page = admin_client.get(reverse("admin:events_session_change", args=[session.pk]))
    data = _form_data(page, actors.event.timezone)
    data["status"] = "cancelled"
    response = admin_client.post(reverse("admin:events_session_change", args=[session.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == ["This session has already ended or been cancelled."]

    page = admin_client.get(reverse("admin:events_event_change", args=[actors.event.pk]))
    data = _form_data(page, actors.event.timezone)
    data["sessions-0-status"] = "cancelled"
    response = admin_client.post(reverse("admin:events_event_change", args=[actors.event.pk]), data)
    assert response.status_code == 200
    (errors,) = [f.errors for formset in response.context["inline_admin_formsets"] for f in formset.formset.forms]
    assert errors["status"] == ["This session has already ended or been cancelled."]

    session.refresh_from_db()
    assert (session.status, session.revision) == ("ended", 0)


@pytest.mark.django_db(transaction=True)
def test_the_admins_cancel_action_cancels_what_may_be_and_says_what_could_not(admin_client, actors):
    scheduled, ended = _session(actors, "scheduled"), _session(actors, "ended")
    response = admin_client.post(
        reverse("admin:events_session_changelist"),
        {"action": "cancel_sessions", "_selected_action": [scheduled.pk, ended.pk]},
        follow=True,
    )
    scheduled.refresh_from_db()
    ended.refresh_from_db()
    assert (scheduled.status, scheduled.revision) == ("cancelled", 1)
    assert (ended.status, ended.revision) == ("ended", 0)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 changed, 1 could not change."]


@pytest.mark.django_db
def test_the_control_room_offers_the_buttons_the_table_allows(actors):
    page = _organiser(actors).get("/events/job-fair/control")
    script = page.content.decode().split('id="live-config" type="application/json">')[1]
    config = json.loads(script.split("</script>")[0])
    assert config["actions"] == {
        "scheduled": ["start", "delay", "move", "cancel"],
        "live": ["end", "delay", "move", "cancel"],
        "ended": [],
        "cancelled": [],
    }
