"""The admin's "send the link again" on registrations and people: their own link, never a staff account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "admin:events_registration_changelist"


def send_again(client, *registrations):
    return client.post(
        reverse(CHANGELIST),
        {"action": "send_link_again", "_selected_action": [r.pk for r in registrations]},
    )


def link_in(message) -> str:
    return next(line for line in message.body.splitlines() if line.startswith("http://testserver/me/link/"))


def test_send_the_link_again_emails_each_person_their_own_link(admin_client):
    event = EventFactory()
    zainab = RegistrationFactory(event=event, user=UserFactory(email="zainab@example.org"))
    omar = RegistrationFactory(event=event, user=UserFactory(email="omar@example.org"))
    mail.outbox.clear()

    response = send_again(admin_client, zainab, omar)

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["omar@example.org", "zainab@example.org"]
    (to_zainab,) = [m for m in mail.outbox if m.to == ["zainab@example.org"]]
    opened = Client().get(link_in(to_zainab).removeprefix("http://testserver"))
    assert (opened.status_code, opened["Location"]) == (302, f"/me/registrations/{zainab.pk}/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 links are on their way."]


def test_staff_accounts_are_never_sent_a_sign_in_link(admin_client):
    event = EventFactory()
    person = RegistrationFactory(event=event, user=UserFactory(email="person@example.org"))
    staff = RegistrationFactory(
        event=event, user=UserFactory(email="door@example.org", is_staff=True), role=Registration.Role.STAFF
    )
    admin = RegistrationFactory(event=event, user=UserFactory(email="root@example.org", is_superuser=True))
    erased = RegistrationFactory(event=event, user=UserFactory(email="gone@example.org", erased_at=timezone.now()))
    mail.outbox.clear()

    response = send_again(admin_client, person, staff, admin, erased)

    assert [m.to for m in mail.outbox] == [["person@example.org"]]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("1 link is on its way. 3 people were skipped: staff sign in with their password")


@pytest.mark.parametrize("may_view", [False, True])
def test_staff_who_may_not_change_registrations_cannot_send_links(client, may_view):
    person = RegistrationFactory(event=EventFactory())
    viewer = UserFactory(email="viewer@example.org", is_staff=True)
    if may_view:
        viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(viewer)
    mail.outbox.clear()

    response = send_again(client, person)

    # No list at all (403), or the list without the action (Django answers "no action selected").
    assert response.status_code in (302, 403)
    assert mail.outbox == []


def test_send_the_link_again_from_people_emails_their_link_and_never_staff(admin_client):
    registered = RegistrationFactory(event=EventFactory(), user=UserFactory(email="zainab@example.org")).user
    staff = RegistrationFactory(user=UserFactory(email="door@example.org", is_staff=True)).user
    unregistered = UserFactory(email="nobody@example.org")
    mail.outbox.clear()

    response = admin_client.post(
        reverse("admin:events_user_changelist"),
        {"action": "send_link_again", "_selected_action": [registered.pk, staff.pk, unregistered.pk]},
    )

    assert [m.to for m in mail.outbox] == [["zainab@example.org"]]
    assert link_in(mail.outbox[0])
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("1 link is on its way. 2 people were skipped: staff sign in with their password")
