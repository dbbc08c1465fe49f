"""Errors a user can cause in matching, each with a stable machine code (documented in docs/matching.md)."""

from __future__ import annotations

from events.exceptions import EventsError


class MatchingError(EventsError):
    """Base of matching errors; the API maps it like every EventsError."""

    code = "matching_error"
    status = 400


class NotAllowed(MatchingError):
    code = "forbidden"
    status = 403


class NotFound(MatchingError):
    code = "not_found"
    status = 404


class NoConsent(MatchingError):
    # Deliberately the same status as "not found": an employer learns nothing about a non-consenting person.
    code = "not_found"
    status = 404


class NoFairConfig(MatchingError):
    code = "no_fair_config"
    status = 409


class RequestCapReached(MatchingError):
    code = "request_cap"
    status = 409


class DuplicateRequest(MatchingError):
    code = "request_exists"
    status = 409


class AlreadyMeeting(MatchingError):
    code = "already_meeting"
    status = 409


class MeetingLimitReached(MatchingError):
    code = "meeting_limit"
    status = 409


class NoFreeSlot(MatchingError):
    code = "no_free_slot"
    status = 409


class RequestClosed(MatchingError):
    code = "request_closed"
    status = 409


class MeetingClosed(MatchingError):
    code = "meeting_closed"
    status = 409


class InvalidInput(MatchingError):
    code = "invalid"
    status = 422


class BadBadge(MatchingError):
    code = "bad_badge"
    status = 400


class MembershipRequired(MatchingError):
    # A registered employer (or official) whose membership of the organisation is not granted: pending,
    # refused or removed. They know they asked, so saying so gives nothing away.
    code = "membership_required"
    status = 403


class NoBilateralSlots(MatchingError):
    code = "no_bilateral_slots"
    status = 409
