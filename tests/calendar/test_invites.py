"""Invitation, update and cancellation emails: what a mail client and a calendar program see."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import (
    admin_calendar,  # noqa: F401  (registers the admin the test below reads)
    agenda,
    calendar_mail,
    services,
    sessions,
)
from events.feeds import feed_token_for
from events.models import CalendarDelivery, Registration
from tests.calendar.mailbox import calendar_mails
from tests.calendar.parsers import parse_everywhere
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _register(run, event, email="zainab@example.org", name="Zainab Candidate", **kw):
    return run(services.registration_create, event=event, email=email, full_name=name, **kw)


def test_registration_sends_request_inline_and_as_attachment(run, dst_event):
    reg = _register(run, dst_event)
    # One email: the confirmation carries the invitation.
    assert len(mail.outbox) == 1
    (sent,) = calendar_mails()
    assert sent.to == ["zainab@example.org"]
    assert sent.subject == "You are registered: Spring Job Fair"
    assert sent.message.get_content_type() == "multipart/mixed"
    assert sent.inline.get_content_type() == "text/calendar"
    assert sent.method == "REQUEST"
    assert sent.inline.get_content_charset() == "utf-8"
    assert sent.message["Content-Class"] == "urn:content-classes:calendarmessage"
    assert sent.attachment.get_filename() == "invite.ics"
    assert sent.attachment.get_payload(decode=True) == sent.ics
    text = sent.ics.replace(b"\r\n ", b"")
    (item,) = parse_everywhere(sent.ics)  # libical's iTIP restriction check included
    assert item.uid == f"event-{dst_event.pk}-reg-{reg.pk}@testserver"
    assert item.sequence == 0
    assert b"METHOD:REQUEST\r\n" in text
    assert b"DTSTAMP:" in text
    assert b'ORGANIZER;CN="Explorers Events":mailto:events@explorers.example\r\n' in text
    assert b'ATTENDEE;CN="Zainab Candidate";' in text and b"RSVP=TRUE" in text
    assert b":mailto:zainab@example.org\r\n" in text


def test_time_change_sends_update_with_same_uid_and_higher_sequence(run, dst_event, dst_sessions):
    _register(run, dst_event, email="omar@gov.example", name="Omar", role=Registration.Role.OFFICIAL)
    session = dst_sessions["officials"]
    first = [m for m in calendar_mails() if b"Ministers" in m.ics]
    assert len(first) == 1
    new_start = session.starts_at + timedelta(hours=2)
    run(sessions.session_update, session=session, starts_at=new_start, ends_at=new_start + timedelta(hours=1))
    invites_for_session = [m for m in calendar_mails() if b"Ministers" in m.ics]
    assert len(invites_for_session) == 2
    update = invites_for_session[-1]
    assert update.subject.startswith("Updated:")
    assert update.method == "REQUEST"
    (before,), (after,) = parse_everywhere(first[0].ics), parse_everywhere(update.ics)
    assert after.uid == before.uid == f"session-{session.pk}@testserver"
    assert after.sequence > before.sequence
    assert (after.start, after.end) == (new_start, new_start + timedelta(hours=1))


def test_changes_that_do_not_matter_to_a_calendar_send_nothing(run, dst_event, dst_sessions):
    reg = _register(run, dst_event, email="omar@gov.example", name="Omar", role=Registration.Role.OFFICIAL)
    before = len(calendar_mails())
    run(sessions.session_update, session=dst_sessions["officials"], capacity=40, speakers="Someone")
    # The person themself (issue 11: nobody else gives a consent).
    run(services.registration_update, registration=reg, actor=reg.user, consent_attendee_list=True)
    run(services.event_update, event=dst_event, capacity=500)
    assert len(calendar_mails()) == before


def test_session_cancellation_sends_cancel_with_higher_sequence(run, dst_event, dst_sessions):
    _register(run, dst_event, email="omar@gov.example", name="Omar", role=Registration.Role.OFFICIAL)
    session = dst_sessions["officials"]
    run(sessions.session_cancel, session=session)
    mails = [m for m in calendar_mails() if b"Ministers" in m.ics]
    request, cancel = mails
    assert cancel.method == "CANCEL" and cancel.subject.startswith("Cancelled:")
    assert cancel.attachment.get_filename() == "cancel.ics"
    assert b"METHOD:CANCEL\r\n" in cancel.ics and b"STATUS:CANCELLED\r\n" in cancel.ics
    (r,), (c,) = parse_everywhere(request.ics), parse_everywhere(cancel.ics)
    assert c.uid == r.uid and c.sequence > r.sequence


def test_cancel_then_register_again_keeps_sequences_rising_and_feed_agrees(run, client, dst_event, dst_sessions):
    reg = _register(run, dst_event)
    run(agenda.programme_add, registration=reg, session=dst_sessions["after"])
    run(services.registration_cancel, registration=reg)
    reg = _register(run, dst_event)
    uid = f"event-{dst_event.pk}-reg-{reg.pk}@testserver"
    sequences = [(m.method, parse_everywhere(m.ics)[0].sequence) for m in calendar_mails() if uid.encode() in m.ics]
    assert sequences == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]
    feed = parse_everywhere(client.get(f"/calendar/feeds/{feed_token_for(reg.user).key}.ics").content)
    assert {p.uid: p.sequence for p in feed}[uid] == 2


def test_removed_programme_session_is_cancelled_for_that_person_and_kept_in_feed(run, client, dst_event, dst_sessions):
    reg = _register(run, dst_event)
    session = dst_sessions["after"]
    run(agenda.programme_add, registration=reg, session=session)
    run(agenda.programme_remove, registration=reg, session=session)
    uid = f"session-{session.pk}@testserver"
    mails = [m for m in calendar_mails() if uid.encode() in m.ics]
    assert [(m.method, parse_everywhere(m.ics)[0].sequence) for m in mails] == [("REQUEST", 0), ("CANCEL", 1)]
    text = client.get(f"/calendar/feeds/{feed_token_for(reg.user).key}.ics").content
    feed = {p.uid: p for p in parse_everywhere(text)}
    assert (feed[uid].status, feed[uid].sequence) == ("CANCELLED", 1)


def test_event_time_change_updates_every_registered_person(run, dst_event):
    _register(run, dst_event, email="a@example.org", name="A")
    _register(run, dst_event, email="b@example.org", name="B")
    mail.outbox.clear()
    run(services.event_update, event=dst_event, starts_at=dst_event.starts_at + timedelta(hours=1))
    updates = calendar_mails()
    assert sorted(m.to[0] for m in updates) == ["a@example.org", "b@example.org"]
    assert all(parse_everywhere(m.ics)[0].sequence == 1 for m in updates)


def test_baghdad_invitation_times(run, baghdad_event):
    _register(run, baghdad_event)
    (sent,) = calendar_mails()
    (item,) = parse_everywhere(sent.ics)
    assert (item.start, item.end) == (baghdad_event.starts_at, baghdad_event.ends_at)
    assert b"DTSTART;TZID=Asia/Baghdad:20260329T090000" in sent.ics


def test_a_task_that_runs_twice_sends_once(run, dst_event):
    reg = _register(run, dst_event)
    assert len(calendar_mails()) == 1
    assert calendar_mail.sync_registration(reg.pk) == 0
    delivery = CalendarDelivery.objects.get()
    assert calendar_mail.deliver(delivery.pk) is False
    assert len(calendar_mails()) == 1


def test_failed_send_is_retried_with_backoff_and_visible_to_organisers(run, client, dst_event, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(calendar_mail.CalendarEmail, "send", refuse)
    _register(run, dst_event)
    # The confirmation that was to carry the invitation failed: the invitation waits, not lost,
    # and after the lease the periodic retry sends it on its own.
    delivery = CalendarDelivery.objects.get()
    assert delivery.status == CalendarDelivery.Status.PENDING and delivery.attempts == 0
    CalendarDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - calendar_mail.LEASE)
    assert calendar_mail.retry_due_deliveries() == 0
    delivery.refresh_from_db()
    assert delivery.status == CalendarDelivery.Status.RETRYING
    assert delivery.attempts == 1
    assert "mail server went away" in delivery.last_error
    assert timedelta(minutes=1) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=2)
    assert calendar_mail.retry_due_deliveries() == 0  # not due yet

    organiser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(organiser)
    page = client.get("/admin/events/calendardelivery/?status__exact=retrying")
    assert page.status_code == 200
    assert "mail server went away" in page.content.decode()

    monkeypatch.undo()
    CalendarDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert calendar_mail.retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == CalendarDelivery.Status.SENT and delivery.attempts == 2
    assert len(calendar_mails()) == 1


def test_gives_up_after_max_attempts(run, dst_event, monkeypatch):
    monkeypatch.setattr(calendar_mail.CalendarEmail, "send", lambda self, *a, **k: 1 / 0)
    _register(run, dst_event)
    delivery = CalendarDelivery.objects.get()
    for _ in range(calendar_mail.MAX_ATTEMPTS):
        CalendarDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=datetime(2000, 1, 1, tzinfo=UTC))
        calendar_mail.retry_due_deliveries()
    delivery.refresh_from_db()
    assert delivery.status == CalendarDelivery.Status.FAILED
    assert delivery.attempts == calendar_mail.MAX_ATTEMPTS


def test_waitlisted_people_get_no_invitation_until_promoted(run, dst_event):
    dst_event.capacity = 1
    dst_event.save()
    first = _register(run, dst_event, email="first@example.org", name="First")
    _register(run, dst_event, email="second@example.org", name="Second")
    assert [m.to for m in calendar_mails()] == [["first@example.org"]]
    run(services.registration_cancel, registration=first)
    assert [m.to[0] for m in calendar_mails()][-2:] == ["first@example.org", "second@example.org"]
    assert calendar_mails()[-1].method == "REQUEST"


def test_invitations_can_be_switched_off_per_event(run, dst_event):
    from events.models import EventCalendarSettings

    EventCalendarSettings.objects.create(event=dst_event, send_invitations=False)
    RegistrationFactory(event=dst_event)
    _register(run, dst_event)
    assert calendar_mails() == []


def test_invitation_body_gives_the_time_in_the_event_zone(run, baghdad_event):
    _register(run, baghdad_event)
    (sent,) = [m for m in mail.outbox if any("text/calendar" in mimetype for _c, mimetype in m.alternatives)]
    body = sent.body
    # 06:00 UTC is 09:00 in Baghdad (UTC+3 all year).
    assert "9 a.m." in body and "Asia/Baghdad" in body
    assert "Baghdad Policy Dialogue" in body
