"""Sessions: the one module that creates, changes, runs and deletes them.

Every caller goes through these functions: the sessions API (create, PATCH, DELETE), the control
room's actions (start, end, delay, move, cancel), the admin (its form, inline and actions), and
renaming a room. A session's status moves only along `TRANSITIONS`; anything else is refused with
`invalid_transition` (409), whoever asks.

Each change is one transaction with the session row locked. A change a calendar shows bumps the
session's revision (the iCalendar SEQUENCE) and queues the calendar emails (`_calendar_sees`), and
`session.changed` goes after the commit to every stream that may see the session (the payloads and
streams are in events.live). Messages carry the whole session, so applying one twice is harmless.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events import calendar_mail
from events.exceptions import InvalidLiveAction, InvalidTransition
from events.live import session_payload, session_streams
from events.models import Event, Room, Session
from realtime.publish import publish_on_commit

Status = Session.Status

# What may follow what. Ended is final: a session that took place cannot be cancelled (the control
# room never offered it, and calendars would withdraw what people attended). A cancelled session
# may be scheduled again (organisers, through the API or the admin); calendars get it back.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SCHEDULED: frozenset({Status.LIVE, Status.CANCELLED}),
    Status.LIVE: frozenset({Status.ENDED, Status.CANCELLED}),
    Status.ENDED: frozenset(),
    Status.CANCELLED: frozenset({Status.SCHEDULED}),
}

# Statuses in which a session's time and room still change (delay, move).
RUNNABLE = frozenset({Status.SCHEDULED, Status.LIVE})

MAX_DELAY_MINUTES = 12 * 60

# Fields of a session whose change a calendar shows (they bump the revision). Its status shows only
# when it is or was cancelled: starting and ending a session change nothing in anyone's calendar.
CALENDAR_FIELDS = frozenset({"title", "starts_at", "ends_at", "room", "room_id", "description"})


def _calendar_sees(name: str, old: Any, new: Any) -> bool:
    if name == "status":
        return Status.CANCELLED in (old, new)
    return name in CALENDAR_FIELDS


def transition_refusal(*, current: str, new: str) -> str | None:
    """Why a session with status `current` cannot take status `new`, or None when it can."""
    if new in TRANSITIONS.get(current, frozenset()):
        return None
    refusals = {
        Status.LIVE: _("Only a scheduled session can start."),
        Status.ENDED: _("Only a running session can end."),
        Status.CANCELLED: _("This session has already ended or been cancelled."),
        Status.SCHEDULED: _("Only a cancelled session can be scheduled again."),
    }
    return refusals[new]


def control_actions() -> dict[str, list[str]]:
    """The control room's buttons for a session in each status, read from TRANSITIONS and RUNNABLE."""
    moves = (("start", Status.LIVE), ("end", Status.ENDED))
    offered = {}
    for status in Status:
        actions = [action for action, new in moves if new in TRANSITIONS[status]]
        if status in RUNNABLE:
            actions += ["delay", "move"]
        if Status.CANCELLED in TRANSITIONS[status]:
            actions.append("cancel")
        offered[status.value] = actions
    return offered


def _check_transition(session: Session, new: str) -> None:
    if new not in TRANSITIONS:
        return  # not a status at all: the model's own validation (full_clean) refuses it
    refusal = transition_refusal(current=session.status, new=new)
    if refusal is not None:
        raise InvalidTransition(refusal)


def _locked(session: Session) -> Session:
    # Lock the session row only; the room is a nullable join that PostgreSQL refuses to lock.
    return Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)


def publish_session_changed(session: Session, *, previous_audience: str | None = None) -> None:
    """Tell every stream that may see this session about its new state, after the commit."""
    slug = session.event.slug
    data = {"session": session_payload(session)}
    streams = session_streams(slug=slug, audience=session.audience)
    if previous_audience and previous_audience != session.audience:
        # Those who could see it before learn that it left their view (as a withdrawal).
        for stream in session_streams(slug=slug, audience=previous_audience):
            if stream not in streams:
                publish_on_commit(stream, "session.withdrawn", {"session": {"id": session.pk}})
    for stream in streams:
        publish_on_commit(stream, "session.changed", data)


def _change(session: Session, fields: dict[str, Any]) -> Session:
    """Apply `fields` to a locked session whose status change (if any) was checked; save and tell."""
    previous_audience = session.audience
    calendar_change = False
    changed = set()
    for name, value in fields.items():
        old = getattr(session, name)
        if old != value:
            setattr(session, name, value)
            changed.add(name)
            calendar_change = calendar_change or _calendar_sees(name, old, value)
    if changed == {"status", "ends_at"} and session.status == Status.ENDED:
        # Ending early records the real end for the agenda; an email about a session that is over
        # would only be noise, and feeds show the new end at their next refresh.
        calendar_change = False
    if calendar_change:
        session.revision += 1
    session.full_clean()
    session.save()
    if calendar_change:
        calendar_mail.on_session_changed(session.pk)
    publish_session_changed(session, previous_audience=previous_audience)
    return session


@transaction.atomic
def session_create(*, event: Event, **fields: Any) -> Session:
    """Add a session to an event's agenda."""
    session = Session(event=event, **fields)
    session.full_clean()
    session.save()
    calendar_mail.on_session_changed(session.pk)
    publish_session_changed(session)
    return session


@transaction.atomic
def session_update(*, session: Session, **fields: Any) -> Session:
    """Change a session; a new status must follow TRANSITIONS (asking for the current one changes nothing)."""
    session = _locked(session)
    status = fields.get("status")
    if status is not None and status != session.status:
        _check_transition(session, status)
    return _change(session, fields)


@transaction.atomic
def session_start(*, session: Session) -> Session:
    """Mark a scheduled session as running now."""
    session = _locked(session)
    _check_transition(session, Status.LIVE)
    return _change(session, {"status": Status.LIVE})


@transaction.atomic
def session_end(*, session: Session) -> Session:
    """End a running session; one that ends early gets its real end time (calendars show it)."""
    session = _locked(session)
    _check_transition(session, Status.ENDED)
    fields: dict[str, Any] = {"status": Status.ENDED}
    now = timezone.now().replace(microsecond=0)
    if session.starts_at <= now < session.ends_at:
        fields["ends_at"] = now
    return _change(session, fields)


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    """Cancel a session that has not ended; it stays in the agenda, marked cancelled, and calendars are told."""
    session = _locked(session)
    _check_transition(session, Status.CANCELLED)
    return _change(session, {"status": Status.CANCELLED})


@transaction.atomic
def session_delay(*, session: Session, minutes: int) -> Session:
    """Push a scheduled session later by `minutes`; a running one overruns (only its end moves)."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_DELAY_MINUTES:
        raise InvalidLiveAction(
            _("A delay is between 1 and %(max)d minutes.") % {"max": MAX_DELAY_MINUTES}, code="invalid_delay"
        )
    session = _locked(session)
    if session.status not in RUNNABLE:
        raise InvalidTransition(_("An ended or cancelled session cannot be delayed."))
    shift = timedelta(minutes=minutes)
    if session.status == Status.SCHEDULED:
        return _change(session, {"starts_at": session.starts_at + shift, "ends_at": session.ends_at + shift})
    return _change(session, {"ends_at": session.ends_at + shift})


@transaction.atomic
def session_move(*, session: Session, room: Room) -> Session:
    """Move a session to another room of the same event."""
    session = _locked(session)
    if room.event_id != session.event_id:
        raise InvalidLiveAction(_("That room belongs to another event."), code="invalid_room")
    if session.status not in RUNNABLE:
        raise InvalidTransition(_("An ended or cancelled session cannot move."))
    return _change(session, {"room": room})


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session; everyone whose calendar holds it gets a cancellation first."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    calendar_mail.on_session_deleting(session)
    session.delete()


@transaction.atomic
def room_rename(*, room: Room, name: str) -> Room:
    """Rename a room; calendars and live pages that show a session in it get the new place."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    name = " ".join(name.split())
    if name == room.name:
        return room
    room.name = name
    room.full_clean()
    room.save()
    sessions = room.sessions.exclude(status=Status.CANCELLED)
    # The place is part of each session's calendar item: a new SEQUENCE so calendars replace it.
    sessions.update(revision=F("revision") + 1, updated_at=timezone.now())
    for session in sessions.select_related("event", "room"):
        calendar_mail.on_session_changed(session.pk)
        publish_session_changed(session)
    return room
