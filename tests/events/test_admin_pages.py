"""The admin opens for organisers: every list, search, filter and form answers, with no 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.models import ApiToken, EmailLedger, Registration
from tests.conftest import make_token
from tests.factories import RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(actors):
    RoomFactory(event=actors.event, name="Main Hall")
    SessionFactory(event=actors.event, title="Opening")
    make_token(actors.organiser)
    EmailLedger.objects.create(key="confirm:1:registered:", recipient="x@example.org")
    return actors


@pytest.mark.parametrize(
    "model", ["organisation", "event", "session", "registration", "user", "apitoken", "emailledger"]
)
def test_every_list_and_change_page_opens(admin_client, populated, model):
    changelist = admin_client.get(reverse(f"admin:events_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    assert admin_client.get(reverse(f"admin:events_{model}_change", args=[obj.pk])).status_code == 200


def test_event_page_has_agenda_inline_and_tools(admin_client, populated):
    page = admin_client.get(reverse("admin:events_event_change", args=[populated.event.pk])).content.decode()
    assert 'value="Opening"' in page
    assert 'value="Main Hall"' in page
    for tool in ("invite", "import", "export"):
        assert reverse(f"admin:events_event_{tool}", args=[populated.event.pk]) in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Zainab", 1),
        ("q=tigris", 1),
        ("q=baltic.example", 1),
        ("role__exact=official", 1),
        ("status__exact=cancelled", 0),
    ],
)
def test_registration_search_and_filters(admin_client, populated, query, expected):
    response = admin_client.get(reverse("admin:events_registration_changelist") + "?" + query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_session_filters_and_event_filters(admin_client, populated):
    url = reverse("admin:events_session_changelist") + f"?event__id__exact={populated.event.pk}&audience__exact=public"
    assert admin_client.get(url).context["cl"].result_count == 1
    url = reverse("admin:events_event_changelist") + "?kind__exact=job_fair&status__exact=published&q=Vilnius"
    assert admin_client.get(url).context["cl"].result_count == 1


def test_add_user_by_email_without_username(admin_client, db):
    response = admin_client.post(
        reverse("admin:events_user_add"),
        {"email": "New.Organiser@Example.org", "full_name": "Nijolė", "usable_password": "false"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from events.models import User

    user = User.objects.get(email="new.organiser@example.org")
    assert not user.has_usable_password()


def test_registrations_cannot_be_added_by_hand(admin_client, populated):
    assert admin_client.get(reverse("admin:events_registration_add")).status_code == 403


def test_api_tokens_show_no_secret_and_can_be_revoked(admin_client, populated):
    token = ApiToken.objects.get()
    page = admin_client.get(reverse("admin:events_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash in page  # only the hash exists
    response = admin_client.post(
        reverse("admin:events_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_people_without_admin_access_are_sent_to_login(client, actors):
    client.force_login(actors.candidate)
    response = client.get(reverse("admin:events_event_invite", args=[actors.event.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Registration.objects.filter(event=actors.event).count() == 4
