"""Writes: tickets, undo, scanner devices, check-in settings, self check-in, badge jobs.

The door scan lives in `checkin.door` (re-exported here): it is the heart of the app and long
enough to read on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from checkin import hooks, live
from checkin.door import ScanOutcome, checkin_scan, hook_info
from checkin.exceptions import CheckinError
from checkin.models import EventCheckinSettings, Scan, ScannerDevice, SessionAttendance, Ticket
from checkin.tickets import new_code
from events.models import Event, Registration, User

__all__ = ["ScanOutcome", "checkin_scan", "checkin_undo"]

# ---------------------------------------------------------------- tickets


def ticket_issue(*, registration: Registration) -> Ticket:
    """The registration's ticket, created if missing (for writes: self check-in, reissue). Safe to call
    concurrently. Seated registrations get theirs from `tickets_issue_seated`; reads never issue."""
    ticket = Ticket.objects.filter(registration=registration).first()
    if ticket is not None:
        return ticket
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Ticket.objects.create(registration=registration, event_id=registration.event_id, code=new_code())
        except IntegrityError:
            # Either someone else issued it meanwhile, or (once in 2**50) the random code collided.
            ticket = Ticket.objects.filter(registration=registration).first()
            if ticket is not None:
                return ticket
    raise RuntimeError("could not issue a ticket")


# Registrations per INSERT: well under SQLite's limit on a statement's parameters.
ISSUE_CHUNK = 500


def tickets_issue_seated(*, registration_ids: Iterable[int]) -> int:
    """Issue the missing tickets of these registrations that hold a seat. Returns how many.

    Subscribed in CheckinConfig.ready to `events.hooks.on_registration_seated`, so a ticket exists
    from the commit that seated its holder on; idempotent (a ticket issued meanwhile is kept).
    """
    issued = 0
    ids = sorted(set(registration_ids))
    for start in range(0, len(ids), ISSUE_CHUNK):
        # Read outside the write transaction: on SQLite that takes the one writer lock.
        missing = list(
            Registration.objects.filter(
                pk__in=ids[start : start + ISSUE_CHUNK], status__in=Registration.SEATED, ticket__isnull=True
            ).values_list("pk", "event_id")
        )
        if not missing:
            continue
        with transaction.atomic():
            Ticket.objects.bulk_create(
                [Ticket(registration_id=pk, event_id=event_id, code=new_code()) for pk, event_id in missing],
                ignore_conflicts=True,
            )
        issued += len(missing)
    return issued


def tickets_backfill(*, event: Event | None = None) -> int:
    """Issue the ticket of every seated registration that has none (a seat taken before tickets were
    issued at seating, or a subscriber that failed after its commit). Returns how many."""
    seated = Registration.objects.filter(status__in=Registration.SEATED, ticket__isnull=True)
    if event is not None:
        seated = seated.filter(event=event)
    return tickets_issue_seated(registration_ids=list(seated.values_list("pk", flat=True)))


def tickets_issue_for_event(*, event: Event) -> int:
    """Issue the missing tickets of an event (before the offline list or the badges). Returns how many."""
    missing = Registration.objects.filter(event=event, ticket__isnull=True).values_list("pk", flat=True)
    tickets = [Ticket(registration_id=pk, event=event, code=new_code()) for pk in missing]
    Ticket.objects.bulk_create(tickets, ignore_conflicts=True)
    return len(tickets)


@transaction.atomic
def ticket_reissue(*, registration: Registration) -> Ticket:
    """A new QR code for the registration; every older code now answers `cancelled`."""
    ticket = ticket_issue(registration=registration)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.version = F("version") + 1
    ticket.issued_at = timezone.now()
    ticket.save(update_fields=["version", "issued_at"])
    ticket.refresh_from_db()
    return ticket


# ---------------------------------------------------------------- undo


@transaction.atomic
def checkin_undo(*, scan_id: int, by: User) -> Scan:
    """An organiser reverts a mistaken check-in (or check-out). The undo is itself an audit entry."""
    scan = Scan.objects.select_related("event").filter(pk=scan_id).first()
    if scan is None:
        raise CheckinError("not_found")
    if scan.result != Scan.Result.OK or scan.action == Scan.Action.UNDO or scan.ticket_id is None:
        raise CheckinError("not_undoable")
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("registration").filter(pk=scan.ticket_id).first()
    )
    if ticket is None or Scan.objects.filter(undoes=scan).exists():
        raise CheckinError("not_undoable", _("This scan was already undone."))
    now = timezone.now()
    undo = Scan.objects.create(
        event=scan.event,
        ticket=ticket,
        session=scan.session,
        action=Scan.Action.UNDO,
        direction=scan.direction,
        gate=scan.gate,
        result=Scan.Result.OK,
        scanned_by=by,
        scanned_at=now,
        created_at=now,
        undoes=scan,
        response_status=200,
        response={"status": "undone", "scan": scan.pk},
    )
    ticket.inside = _recompute_state(ticket=ticket, session_id=scan.session_id)
    live.counts_changed(event_id=scan.event_id, gate=scan.gate)
    hooks.emit_after_commit(hook_info(scan.event, ticket, undo, direction="undo"))
    return undo


def _recompute_state(*, ticket: Ticket, session_id: int | None) -> bool:
    """Rebuild the door state of a ticket from the successful scans that were not undone. Returns
    whether its holder is inside the venue now."""
    remaining = list(
        Scan.objects.filter(
            ticket=ticket,
            result=Scan.Result.OK,
            action__in=[Scan.Action.SCAN, Scan.Action.SELF],
            undone_by__isnull=True,
        ).order_by("scanned_at", "id")
    )
    ins = [s for s in remaining if s.direction == "in"]
    inside = bool(remaining) and remaining[-1].direction == "in"
    Ticket.objects.filter(pk=ticket.pk).update(
        last_scan_at=timezone.now(),  # the door state changed: readers of recent changes see it
        inside=inside,
        first_in_at=ins[0].scanned_at if ins else None,
        first_in_gate=ins[0].gate if ins else "",
    )
    if session_id is None:
        return inside
    in_session = [s for s in remaining if s.session_id == session_id]
    session_ins = [s for s in in_session if s.direction == "in"]
    if not session_ins:
        SessionAttendance.objects.filter(ticket=ticket, session_id=session_id).delete()
        return inside
    SessionAttendance.objects.filter(ticket=ticket, session_id=session_id).update(
        inside=in_session[-1].direction == "in",
        first_in_at=session_ins[0].scanned_at,
        first_in_gate=session_ins[0].gate,
    )
    return inside


# ---------------------------------------------------------------- devices and settings


@transaction.atomic
def device_create(*, event: Event, name: str, created_by: User) -> tuple[ScannerDevice, str]:
    """Pair a phone with one event. Returns the device and its token, which is shown only this once."""
    raw = ScannerDevice.generate()
    device = ScannerDevice.objects.create(
        event=event,
        name=name.strip()[:100] or _("Scanner"),
        prefix=raw[:12],
        key_hash=ScannerDevice.hash(raw),
        created_by=created_by,
    )
    return device, raw


# "Last seen" is shown to the minute; writing it more often would add a write to most scans.
DEVICE_SEEN_EVERY = timedelta(minutes=1)


def device_seen(*, device: ScannerDevice, now: datetime | None = None) -> bool:
    """Record that a paired phone was used, at most once a minute (judged by the `last_seen_at` it
    was loaded with). Called by the scan endpoint, never by a read. Returns whether it wrote."""
    now = now or timezone.now()
    if device.last_seen_at is not None and now - device.last_seen_at < DEVICE_SEEN_EVERY:
        return False
    ScannerDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    device.last_seen_at = now
    return True


@transaction.atomic
def device_revoke(*, device: ScannerDevice) -> ScannerDevice:
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


@transaction.atomic
def checkin_settings_update(*, event: Event, **fields: Any) -> EventCheckinSettings:
    rules, _created = EventCheckinSettings.objects.select_for_update().get_or_create(event=event)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    return rules


# ---------------------------------------------------------------- self check-in


def self_checkin(*, event: Event, user: User, session: Any = None) -> ScanOutcome:
    """The signed-in attendee checks themselves in from a venue poster. Only their own ticket can be
    used: the payload is derived here from their own registration, never taken from the request."""
    from checkin.selectors import ticket_payload

    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is None:
        from checkin.door import _refusal

        status, body = _refusal("not_found", _("You are not registered for this event."))
        return ScanOutcome(status=status, body=body)
    ticket = ticket_issue(registration=registration)
    return checkin_scan(
        event=event,
        payload=ticket_payload(ticket),
        direction="in",
        gate="self",
        session=session,
        user=user,
        self_service=True,
    )


# ---------------------------------------------------------------- badges


@transaction.atomic
def badge_job_start(*, event: Event, requested_by: User) -> Any:
    """Queue the whole-event badge PDF. A job already queued or running is returned instead of a second."""
    from checkin import tasks
    from checkin.models import BadgeJob

    Event.objects.select_for_update().filter(pk=event.pk).first()
    job = BadgeJob.objects.filter(event=event, status__in=[BadgeJob.Status.QUEUED, BadgeJob.Status.RUNNING]).first()
    if job is not None:
        return job
    job = BadgeJob.objects.create(event=event, requested_by=requested_by)
    transaction.on_commit(lambda: tasks.enqueue_badges(job.pk))
    return job
