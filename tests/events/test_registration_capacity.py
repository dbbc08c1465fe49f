from __future__ import annotations

from django.core import mail

from events import services
from events.models import Registration
from tests.calendar.mailbox import calendar_alone
from tests.factories import EventFactory


def test_over_capacity_registration_is_waitlisted_and_cancellation_promotes_next(
    db, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, email="first@example.org", full_name="First")
    second = services.registration_create(event=event, email="second@example.org", full_name="Second")
    assert first.status == Registration.Status.REGISTERED
    assert second.status == Registration.Status.WAITLISTED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)

    second.refresh_from_db()
    assert second.status == Registration.Status.REGISTERED
    # Calendar invitations (issue 4) travel separately; here only the promotion email counts.
    plain = [m for m in mail.outbox if not calendar_alone(m)]
    assert [m.to for m in plain] == [["second@example.org"]]


def test_same_email_cannot_register_twice(db):
    from events.exceptions import AlreadyRegistered

    event = EventFactory()
    services.registration_create(event=event, email="x@example.org", full_name="X")
    try:
        services.registration_create(event=event, email="X@example.org", full_name="X again")
    except AlreadyRegistered as exc:
        assert exc.code == "already_registered"
    else:
        raise AssertionError("second registration was accepted")
