"""Registering: one email (the confirmation, carrying the calendar invitation), and the organisation
the person typed is kept on their registration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import calendar_mail, memberships, services
from events.models import CalendarDelivery, Membership, Organisation, Registration
from tests.calendar.mailbox import calendar_mails
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    start = timezone.now() + timedelta(days=10)
    return EventFactory(
        slug="one-mail-fair", title="One Mail Fair", starts_at=start, ends_at=start + timedelta(hours=8)
    )


def _register_on_the_page(fair, django_capture_on_commit_callbacks, **extra):
    data = {"email": "noor@example.org", "full_name": "Noor Candidate", "role": "candidate", "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("events:register", args=[fair.slug]), {**data, **extra})
    assert response.status_code == 302
    return Registration.objects.get(user__email="noor@example.org", event=fair)


def test_a_new_registrant_gets_one_email_the_confirmation_with_the_invitation(fair, django_capture_on_commit_callbacks):
    registration = _register_on_the_page(fair, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    assert sent.to == ["noor@example.org"]
    assert sent.subject == "You are registered: One Mail Fair"
    assert "You are registered for One Mail Fair." in sent.body  # the text is the confirmation
    (invite,) = calendar_mails()
    assert invite.method == "REQUEST"
    assert invite.attachment.get_filename() == "invite.ics"
    assert f"UID:event-{fair.pk}-reg-{registration.pk}@".encode() in invite.ics
    assert any(mimetype == "text/html" for _c, mimetype in sent.alternatives)
    # The ledger knows it went: the periodic retry sends nothing more, even after the lease.
    (delivery,) = CalendarDelivery.objects.all()
    assert delivery.status == CalendarDelivery.Status.SENT
    CalendarDelivery.objects.update(created_at=timezone.now() - calendar_mail.LEASE * 2)
    assert calendar_mail.retry_due_deliveries() == 0
    assert len(mail.outbox) == 1


def test_a_later_change_to_the_event_updates_the_carried_invitation(fair, django_capture_on_commit_callbacks):
    registration = _register_on_the_page(fair, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=fair, starts_at=fair.starts_at + timedelta(hours=1))
    (update,) = calendar_mails()
    assert update.subject.startswith("Updated:")
    assert f"UID:event-{fair.pk}-reg-{registration.pk}@".encode() in update.ics
    assert b"SEQUENCE:1" in update.ics


def test_invitations_switched_off_leave_a_plain_confirmation(fair, django_capture_on_commit_callbacks):
    from events.models import EventCalendarSettings

    EventCalendarSettings.objects.create(event=fair, send_invitations=False)
    _register_on_the_page(fair, django_capture_on_commit_callbacks)
    (sent,) = mail.outbox
    assert sent.subject == "You are registered: One Mail Fair"
    assert calendar_mails() == []


def test_the_organisation_typed_at_registration_is_kept(fair, django_capture_on_commit_callbacks):
    registration = _register_on_the_page(fair, django_capture_on_commit_callbacks, organisation_name="  Tigris   Soft ")
    assert registration.organisation_name == "Tigris Soft"
    # It asked to join: a pending membership, as the trust rules say.
    (membership,) = Membership.objects.filter(user=registration.user)
    assert membership.status == Membership.Status.PENDING
    # A refusal, or the pending organisation removed, leaves what the person typed.
    memberships.membership_decide(
        membership=membership, status=Membership.Status.REFUSED, by=UserFactory(is_staff=True)
    )
    Organisation.objects.filter(pk=membership.organisation_id).delete()
    registration.refresh_from_db()
    assert registration.organisation is None and registration.organisation_name == "Tigris Soft"


def test_the_organisation_typed_shows_in_the_api(fair, django_capture_on_commit_callbacks, api_client):
    from tests.conftest import make_token

    registration = _register_on_the_page(fair, django_capture_on_commit_callbacks, organisation_name="Tigris Soft")
    Registration.objects.filter(pk=registration.pk).update(organisation=None)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    body = api_client(make_token(organiser)).get(f"/api/v1/registrations/{registration.pk}").json()
    assert body["organisation_name"] == "Tigris Soft"


def test_the_organisation_typed_shows_in_the_admin(fair, django_capture_on_commit_callbacks):
    registration = _register_on_the_page(fair, django_capture_on_commit_callbacks, organisation_name="Tigris Soft")
    Registration.objects.filter(pk=registration.pk).update(organisation=None)
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = admin.get(f"/admin/events/registration/?q={registration.user.email}").content.decode()
    assert "Tigris Soft" in listing
    assert "Tigris Soft" in admin.get(f"/admin/events/registration/{registration.pk}/change/").content.decode()
    # And it is searchable.
    assert "noor@example.org" in admin.get("/admin/events/registration/?q=Tigris").content.decode()
