"""A ticket is issued when a seat is taken, by whichever service seats the person; reads never issue one."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from checkin.models import Ticket
from events import hooks, services
from events.imports import registrations_import
from events.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory


def _has_ticket(registration: Registration) -> bool:
    return Ticket.objects.filter(registration_id=registration.pk).exists()


def test_registering_for_a_seat_issues_the_ticket_after_the_commit(db, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seated = services.registration_create(event=event, email="first@example.org", full_name="First")
    # Not before the commit: a rolled-back seat must leave no ticket behind.
    assert not _has_ticket(seated)
    for callback in callbacks:
        callback()
    assert _has_ticket(seated)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.registration_create(event=event, email="second@example.org", full_name="Second")
    assert waiting.status == Registration.Status.WAITLISTED and not _has_ticket(waiting)


def test_a_waitlist_promotion_issues_the_promoted_persons_ticket(db, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(event=event, email="first@example.org", full_name="First")
        second = services.registration_create(event=event, email="second@example.org", full_name="Second")
    assert not _has_ticket(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.REGISTERED
    assert _has_ticket(second)


def test_accepting_an_invitation_and_an_organisers_status_change_issue_tickets(db, django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.registration_create(
            event=event, email="guest@example.org", full_name="Guest", invited=True, by_organiser=True
        )
    assert not _has_ticket(invited)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_respond(registration=invited, accept=True)
    assert _has_ticket(invited)

    waitlisted = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    assert not _has_ticket(waitlisted)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_update(registration=waitlisted, status=Registration.Status.REGISTERED)
    assert _has_ticket(waitlisted)


def test_an_import_issues_every_seated_rows_ticket_in_one_insert_a_batch(db, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    csv = b"name,email\nAda,ada@example.org\nBo,bo@example.org\nCy,cy@example.org\n"
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        report = registrations_import(event=event, data=csv)
    assert (report.registered, report.waitlisted) == (2, 1)
    tickets = set(Ticket.objects.filter(event=event).values_list("registration__user__email", flat=True))
    assert tickets == {"ada@example.org", "bo@example.org"}
    # The door shares SQLite's one write lock with the import: one ticket write per batch, not per row.
    inserts = [q["sql"] for q in queries.captured_queries if re.match(r'INSERT .*"checkin_ticket"', q["sql"])]
    assert len(inserts) == 1


def test_a_seat_whose_ticket_is_not_issued_yet_says_so_and_reads_issue_nothing(actors):
    registration = Registration.objects.get(event=actors.event, user=actors.candidate)
    Ticket.objects.filter(registration=registration).delete()
    client = Client()
    client.force_login(actors.candidate)
    page = client.get(f"/me/registrations/{registration.pk}/").content.decode()
    assert "Your ticket is being prepared" in page and "data-ticket-payload" not in page
    assert client.get(f"/checkin/tickets/{registration.pk}.png").status_code == 404
    assert client.get(f"/checkin/badges/{registration.pk}.pdf").status_code == 404
    assert not _has_ticket(registration)

    # Once issued, the same reads show it.
    hooks.notify_seated(registration_ids=[registration.pk])
    page = client.get(f"/me/registrations/{registration.pk}/").content.decode()
    assert re.search(r"data-ticket-payload>EE1\.", page)
    assert client.get(f"/checkin/tickets/{registration.pk}.png").status_code == 200


def test_the_backfill_issues_the_missing_tickets_of_seated_registrations_only(actors):
    seated = Registration.objects.get(event=actors.event, user=actors.candidate)
    waiting = RegistrationFactory(event=actors.event, user=UserFactory(), status=Registration.Status.WAITLISTED)
    Ticket.objects.filter(registration=seated).delete()
    out = io.StringIO()
    call_command("tickets_backfill", "--event", actors.event.slug, stdout=out)
    assert out.getvalue().strip() == "1 tickets issued."
    assert _has_ticket(seated) and not _has_ticket(waiting)
    call_command("tickets_backfill", stdout=out)
    assert out.getvalue().strip().endswith("0 tickets issued.")
