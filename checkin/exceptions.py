"""Refusals a door scan or a check-in action can end in, each with a stable machine `reason`.

The codes are an API contract (scanner apps switch on them); the messages are for the screen.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from events.exceptions import EventsError

# reason -> (HTTP status, default message)
REASONS: dict[str, tuple[int, object]] = {
    "invalid": (400, _("Not a ticket for this system, or it was altered.")),
    "wrong_event": (409, _("This ticket is for another event.")),
    "cancelled": (409, _("This ticket is no longer valid.")),
    "waitlisted": (409, _("This person is on the waiting list and has no seat.")),
    "not_open": (409, _("Check-in is not open now.")),
    "session_full": (409, _("This session is full.")),
    "not_registered_for_session": (409, _("This person is not signed up for this session.")),
    "forbidden": (403, _("You may not check people in at this event.")),
    "not_found": (404, _("Not found.")),
    "throttled": (429, _("Too many unreadable codes from this device. Wait a moment.")),
    "idempotency_conflict": (409, _("This scan id was already used for a different code.")),
    "not_undoable": (409, _("This scan cannot be undone.")),
}


class CheckinError(EventsError):
    """A refusal. `reason` is one of REASONS; `message` defaults to the reason's text.

    An EventsError, so an API handler may simply raise it: config/api.py answers
    `{"status": "error", "reason", "message"}` with the reason's HTTP status.
    """

    def __init__(self, reason: str, message: object | None = None) -> None:
        status, default = REASONS.get(reason, (400, _("Refused.")))
        super().__init__(str(message if message is not None else default), code=reason, status=status)
        self.reason = reason

    def body(self) -> dict[str, str]:
        return {"status": "error", "reason": self.reason, "message": self.message}
