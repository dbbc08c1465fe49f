"""A person's link sent again: by an organiser (send_link_again) and by "email me my link"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from events.lost_links import link_request, send_link_again
from events.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if line.startswith("http://testserver/me/link/"))


def test_send_link_again_emails_the_persons_own_link_in_their_language():
    registration = RegistrationFactory(
        event=EventFactory(title="معرض الوظائف"), user=UserFactory(full_name="زينب حسين"), language="ar"
    )
    mail.outbox.clear()

    send_link_again(registration)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [registration.user.email]
    assert message.subject == "رابطك: معرض الوظائف"
    assert "زينب حسين" in message.body
    assert "الرابط" in message.body or "رابط" in message.body  # the Arabic text, not English
    response = Client().get(_link(message).removeprefix("http://testserver"))
    assert response.status_code == 302
    assert response["Location"] == f"/me/registrations/{registration.pk}/"


def test_send_link_again_twice_sends_twice_and_never_to_staff():
    registration = RegistrationFactory()
    staff = RegistrationFactory(user=UserFactory(is_staff=True), role=Registration.Role.STAFF)
    mail.outbox.clear()

    send_link_again(registration)
    send_link_again(registration)
    send_link_again(staff)

    assert [m.to for m in mail.outbox] == [[registration.user.email]] * 2


def test_link_request_sends_the_events_link_or_nothing_for_an_unknown_address():
    person = UserFactory(email="zainab@example.org")
    other = RegistrationFactory(user=person)
    here = RegistrationFactory(user=person)
    mail.outbox.clear()

    link_request(email="Zainab@Example.org", event=here.event)
    link_request(email="nobody@example.org", event=here.event)
    link_request(email="zainab@example.org")

    assert [m.to for m in mail.outbox] == [["zainab@example.org"]] * 2
    first = Client().get(_link(mail.outbox[0]).removeprefix("http://testserver"))
    assert first["Location"] == f"/me/registrations/{here.pk}/"
    # Without an event: the soonest upcoming one (both are a week away; the earlier registration).
    second = Client().get(_link(mail.outbox[1]).removeprefix("http://testserver"))
    assert second["Location"] in (f"/me/registrations/{other.pk}/", f"/me/registrations/{here.pk}/")
