"""Errors a user can cause, each with a stable machine code the API and pages map to a message."""

from __future__ import annotations


class EventsError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class RegistrationClosed(EventsError):
    code = "registration_closed"
    status = 409


class AlreadyRegistered(EventsError):
    code = "already_registered"
    status = 409


class InvalidTransition(EventsError):
    code = "invalid_transition"
    status = 409


class PermissionDenied(EventsError):
    code = "forbidden"
    status = 403


class InvalidLiveAction(EventsError):
    """A live action (a session's delay or room, an announcement) asked with values it cannot take."""

    code = "invalid"
    status = 422


class ProgrammeRefused(EventsError):
    """A session cannot join this person's programme; `code` says why (session_full, session_cancelled,
    session_ended, officials_only, not_registered)."""

    code = "programme_refused"
    status = 409
