"""A person's own programme: the sessions they chose, each one in their calendar.

Who may change a programme is the caller's check (the person themself, or an organiser); what may
join it is decided here, in one transaction with the session's row locked, so two people taking a
session's last seat at once do not both get it. Refusals are `ProgrammeRefused` (409) with a stable
code: `not_registered`, `session_cancelled`, `session_ended`, `officials_only`, `session_full`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from events import calendar_mail
from events.exceptions import EventsError, ProgrammeRefused
from events.models import Registration, Session


def _refuse_add(registration: Registration, session: Session) -> None:
    # Checked in this order, so a full, cancelled session reads "cancelled" (the more lasting reason).
    if registration.status != Registration.Status.REGISTERED:
        raise ProgrammeRefused(_("Only people with a confirmed place can choose sessions."), code="not_registered")
    if session.status == Session.Status.CANCELLED:
        raise ProgrammeRefused(_("This session is cancelled."), code="session_cancelled")
    if session.status == Session.Status.ENDED:
        raise ProgrammeRefused(_("This session has ended."), code="session_ended")
    if session.audience == Session.Audience.OFFICIALS and registration.role != Registration.Role.OFFICIAL:
        raise ProgrammeRefused(_("This session is for officials only."), code="officials_only")
    if session.capacity is not None and seats_taken(session=session) >= session.capacity:
        raise ProgrammeRefused(_("This session is full."), code="session_full")


def seats_taken(*, session: Session) -> int:
    """How many people with a confirmed place have this session in their programme."""
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


def _same_event(registration: Registration, session: Session) -> None:
    if session.event_id != registration.event_id:
        raise EventsError(_("No such session at this event."), code="not_found", status=404)


def programme_add(*, registration: Registration, session: Session) -> bool:
    """Put a session in a person's programme; their calendar gets an invitation for it.

    Returns False when it was already there (nothing changes, nothing is sent).
    """
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        registration = Registration.objects.get(pk=registration.pk)
        _same_event(registration, session)
        if registration.sessions.filter(pk=session.pk).exists():
            return False
        _refuse_add(registration, session)
        registration.sessions.add(session)
        calendar_mail.on_registration_changed(registration.pk)
        return True


def programme_remove(*, registration: Registration, session: Session) -> bool:
    """Take a session out of a person's programme; their calendar gets a cancellation for it.

    Returns False when it was not there.
    """
    with transaction.atomic():
        _same_event(registration, session)
        if not registration.sessions.filter(pk=session.pk).exists():
            return False
        registration.sessions.remove(session)
        calendar_mail.on_registration_changed(registration.pk)
        return True
