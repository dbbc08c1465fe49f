"""Emails sent by the background tasks: content, language, time zone, and sending exactly once."""

from __future__ import annotations

import re
import smtplib
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from events import services, tasks
from events.models import EmailLedger, Registration
from tests.calendar.mailbox import calendar_alone
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def baghdad_fair():
    # 07:00 UTC is 10:00 in Baghdad (UTC+3, no daylight saving).
    return EventFactory(
        slug="baghdad-fair",
        title="Digital Explorers Job Fair",
        timezone="Asia/Baghdad",
        starts_at=datetime(2026, 9, 15, 7, 0, tzinfo=UTC),
        ends_at=datetime(2026, 9, 15, 14, 0, tzinfo=UTC),
        venue="Baghdad Business Center",
        address="Al-Mansour, Baghdad",
        capacity=1,
    )


def outbox() -> list:
    """The emails these tasks sent; calendar invitations (another task, with a text/calendar part) aside."""
    return [m for m in mail.outbox if not calendar_alone(m)]


def _html(message) -> str:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


def test_registration_sends_confirmation_with_local_time_venue_and_working_link(baghdad_fair):
    services.registration_create(event=baghdad_fair, email="Zainab@Example.org", full_name="Zainab Al-Hashimi")

    assert len(outbox()) == 1
    message = outbox()[0]
    assert message.to == ["zainab@example.org"]
    assert message.subject == "You are registered: Digital Explorers Job Fair"
    for body in (message.body, _html(message)):
        assert "Zainab Al-Hashimi" in body
        assert "10 a.m." in body  # Baghdad time, not UTC's 7 a.m.
        assert "Asia/Baghdad" in body
        assert "Baghdad Business Center" in body
    link = next(line for line in message.body.splitlines() if line.startswith("http://testserver/me/link/"))
    assert f'href="{link}"' in _html(message)

    response = Client().get(link.removeprefix("http://testserver"), follow=True)
    assert response.status_code == 200
    assert "Digital Explorers Job Fair" in response.content.decode()


def test_over_capacity_sends_waitlist_email(baghdad_fair):
    services.registration_create(event=baghdad_fair, email="first@example.org", full_name="First")
    services.registration_create(event=baghdad_fair, email="second@example.org", full_name="Second")

    waitlisted = outbox()[1]
    assert waitlisted.to == ["second@example.org"]
    assert waitlisted.subject == "You are on the waitlist: Digital Explorers Job Fair"
    assert "waitlist" in waitlisted.body


def test_arabic_registration_gets_right_to_left_email_with_arabic_dates(baghdad_fair):
    services.registration_create(event=baghdad_fair, email="ali@example.org", full_name="علي حسن", language="ar")

    message = outbox()[0]
    html = _html(message)
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html
    assert "علي حسن" in message.body
    # Django's own Arabic catalogue names the month.
    assert "سبتمبر" in message.body
    # Our catalogue words the rest (the exact phrasing is the translators').
    assert re.search("[\u0600-\u06ff]", message.subject.replace("Digital Explorers Job Fair", ""))


def test_lithuanian_registration_gets_lithuanian_dates(baghdad_fair):
    services.registration_create(event=baghdad_fair, email="rasa@example.lt", full_name="Rasa Jonaitė", language="lt")

    html = _html(outbox()[0])
    assert 'lang="lt"' in html
    assert 'dir="ltr"' in html
    assert "rugsėjo" in outbox()[0].body
    assert outbox()[0].subject != "You are registered: Digital Explorers Job Fair"


def test_invitation_names_role_and_delegation_and_opens_the_answer_page(baghdad_fair):
    registration = services.registration_create(
        event=baghdad_fair,
        email="minister@gov.example",
        full_name="Dr. Hassan Kareem",
        role=Registration.Role.OFFICIAL,
        delegation="IQ",
        invited=True,
        by_organiser=True,
    )

    message = outbox()[0]
    assert message.subject == "Invitation: Digital Explorers Job Fair"
    assert "as Official" in message.body
    assert "Delegation: IQ" in message.body
    assert "Accept or decline" in _html(message)
    link = next(line for line in message.body.splitlines() if line.startswith("http://testserver/me/link/"))
    page = Client().get(link.removeprefix("http://testserver"), follow=True)
    assert page.status_code == 200
    assert f'action="/me/registrations/{registration.pk}/respond/"' in page.content.decode()


def test_cancellation_promotes_waitlist_and_emails_the_promoted_person(baghdad_fair):
    first = services.registration_create(event=baghdad_fair, email="first@example.org", full_name="First")
    services.registration_create(event=baghdad_fair, email="second@example.org", full_name="Second")
    mail.outbox.clear()

    services.registration_cancel(registration=first)

    assert [m.to for m in outbox()] == [["second@example.org"]]
    assert outbox()[0].subject == "A place opened up for you: Digital Explorers Job Fair"
    assert "it is yours" in outbox()[0].body


def test_running_a_task_twice_sends_one_email(baghdad_fair):
    registration = RegistrationFactory(event=baghdad_fair, status=Registration.Status.INVITED)

    assert tasks.send_invitation(registration.pk) is True
    assert tasks.send_invitation(registration.pk) is False

    assert len(outbox()) == 1
    assert EmailLedger.objects.filter(recipient=registration.user.email).count() == 1


def test_failed_smtp_send_leaves_no_ledger_row_and_the_retry_sends(baghdad_fair, monkeypatch):
    registration = RegistrationFactory(event=baghdad_fair, status=Registration.Status.REGISTERED)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        assert tasks.send_waitlist_promotion(registration.pk) is False

    assert outbox() == []
    assert not EmailLedger.objects.exists()
    retry = Schedule.objects.get()
    assert retry.func == "events.tasks.send_waitlist_promotion"
    assert retry.next_run > registration.created_at

    # A minute later the cluster's scheduler runs the retry (inline in tests); the server answers now.
    Schedule.objects.filter(pk=retry.pk).update(next_run=timezone.now() - timedelta(seconds=1))
    scheduler()

    assert [m.to for m in outbox()] == [[registration.user.email]]
    assert EmailLedger.objects.count() == 1
    assert not Schedule.objects.exists()


def test_last_failed_attempt_raises_so_the_failure_shows(baghdad_fair, monkeypatch):
    registration = RegistrationFactory(event=baghdad_fair, status=Registration.Status.REGISTERED)
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(OSError("down")))

    with pytest.raises(OSError):
        tasks.send_waitlist_promotion(registration.pk, "", tasks.MAX_ATTEMPTS)
    assert not EmailLedger.objects.exists()
    assert not Schedule.objects.exists()


def test_stale_confirmation_is_not_sent(baghdad_fair):
    registration = RegistrationFactory(event=baghdad_fair, status=Registration.Status.CANCELLED)

    assert tasks.send_registration_confirmation(registration.pk, Registration.Status.REGISTERED) is False
    assert tasks.send_registration_confirmation(999_999, Registration.Status.REGISTERED) is False
    assert outbox() == []


def test_names_with_markup_stay_plain_in_text_and_escaped_in_html(baghdad_fair):
    services.registration_create(event=baghdad_fair, email="ob@example.org", full_name="Seán O'Brien <b>")

    message = outbox()[0]
    assert "Seán O'Brien <b>" in message.body
    assert "Seán O&#x27;Brien &lt;b&gt;" in _html(message)


def test_registering_again_after_cancelling_sends_a_new_confirmation(baghdad_fair):
    first = services.registration_create(event=baghdad_fair, email="back@example.org", full_name="Back Again")
    services.registration_cancel(registration=first)
    again = services.registration_create(event=baghdad_fair, email="back@example.org", full_name="Back Again")

    assert again.pk == first.pk  # the same row, registered once more
    assert [m.subject for m in outbox()] == ["You are registered: Digital Explorers Job Fair"] * 2


def test_months_long_programme_shows_both_ends_in_local_time_across_daylight_saving(db):
    vilnius = zoneinfo.ZoneInfo("Europe/Vilnius")
    programme = EventFactory(
        title="ICT Training",
        timezone="Europe/Vilnius",
        starts_at=datetime(2027, 2, 1, 9, 0, tzinfo=vilnius),  # winter, UTC+2
        ends_at=datetime(2027, 6, 30, 17, 0, tzinfo=vilnius),  # summer, UTC+3
    )
    services.registration_create(event=programme, email="lina@example.lt", full_name="Lina")

    assert "Feb. 1, 2027, 9 a.m. – June 30, 2027, 5 p.m. (Europe/Vilnius)" in outbox()[0].body
