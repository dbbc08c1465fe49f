"""A person's own programme: the sessions they chose, each one in their calendar."""

from __future__ import annotations

from django.db import transaction

from events import calendar_mail
from events.models import Registration, Session


@transaction.atomic
def programme_add(*, registration: Registration, session: Session) -> None:
    """Put a session in a person's programme; their calendar gets an invitation for it."""
    registration.sessions.add(session)
    calendar_mail.on_registration_changed(registration.pk)


@transaction.atomic
def programme_remove(*, registration: Registration, session: Session) -> None:
    """Take a session out of a person's programme; their calendar gets a cancellation for it."""
    registration.sessions.remove(session)
    calendar_mail.on_registration_changed(registration.pk)
