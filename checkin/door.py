"""The door scan (a write; re-exported by checkin.services).

The door scan (`checkin_scan`) is the heart. It runs in one transaction with the ticket row locked,
so the same ticket scanned at two gates at the same moment (in two server processes) is checked in
once and the other scan sees `already_checked_in`. It checks in a fixed order:

1. permission and payload (forbidden, invalid — the latter throttled per device);
2. revoked or cancelled (a reissued ticket, a cancelled/declined registration), waitlisted;
3. the check-in window (and a cancelled session);
4. event and session (wrong_event, not_registered_for_session, session_full);
5. already used (`already_checked_in`, with the first arrival);
6. superseded: a queued offline scan synced after a newer scan of the same ticket was applied is
   recorded (`Scan.Result.SUPERSEDED`) but changes nothing, so the door state follows the order in
   which people really passed, not the order in which phones found a network;
7. the idempotency key: a `client_scan_id` seen before with the same body (payload, direction, gate,
   session) gets the answer it got then, unchanged, and nothing new is recorded; with another body
   it is an `idempotency_conflict`.

Every attempt that is not such a replay is written to the audit log (`Scan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from checkin import hooks, live
from checkin.compiled import CompiledInsert, CompiledRead, CompiledUpdate
from checkin.exceptions import CheckinError
from checkin.models import Scan, ScannerDevice, SessionAttendance, Ticket
from checkin.selectors import checkin_window, may_scan
from checkin.tickets import TokenParts, parse_payload
from events.models import Event, Registration, Session, User

# A phone's clock may be a little ahead; an offline scan may be synced hours later, but not days.
MAX_CLOCK_AHEAD = timedelta(minutes=5)
MAX_OFFLINE_AGE = timedelta(hours=24)
# A scan whose phone time is this far behind the server's came from the offline queue (or a phone
# whose clock is badly off): only such scans are ordered by the phone's time against newer ones.
# Live scans are applied in the order they arrive, whatever small skew the phones' clocks have.
LATE_SYNC = timedelta(seconds=30)
# Sessions whose audience is officials admit these roles only.
OFFICIAL_ROLES = {Registration.Role.OFFICIAL, Registration.Role.ORGANISER, Registration.Role.SPEAKER}


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Role labels, translated when shown (get_role_display() rebuilds its lookup on every call).
ROLE_LABELS = dict(Registration.Role.choices)


TICKET_FIELDS = (
    *(f.name for f in Ticket._meta.concrete_fields),
    "registration__id",
    "registration__event_id",
    "registration__status",
    "registration__role",
    "registration__user__id",
    "registration__user__full_name",
    "registration__user__email",
    "registration__organisation__id",
    "registration__organisation__name",
)


# The ticket, locked, with what the answer and the checks need (of=self: PostgreSQL cannot lock the
# nullable side of the organisation's outer join). Read on every scan, so its SQL is compiled once,
# as are the ticket's update and the audit row's insert (checkin/compiled.py says why).
_TICKET_READ = CompiledRead(
    lambda code: (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("registration__user", "registration__organisation")
        .only(*TICKET_FIELDS)
        .filter(code=code)[:1]
    )
)
_TICKET_UPDATE = CompiledUpdate(Ticket)
_SCAN_INSERT = CompiledInsert(Scan)


_RESULTS = {"ok": Scan.Result.OK, "already": Scan.Result.ALREADY, "superseded": Scan.Result.SUPERSEDED}


@dataclass
class ScanOutcome:
    status: int
    body: dict[str, Any]
    scan_id: int | None = None
    replayed: bool = False


def _attendee(reg: Registration) -> dict[str, str]:
    org = reg.organisation
    return {
        "name": reg.user.get_full_name(),
        "role": reg.role,
        "role_label": str(ROLE_LABELS.get(reg.role, reg.role)),
        "organisation": org.name if org else "",
    }


def _local(event: Event, at: datetime) -> str:
    return at.astimezone(event.tzinfo).isoformat(timespec="seconds")


def _effective_time(scanned_at: datetime | None, now: datetime) -> datetime:
    """When the scan happened: the phone's time for an offline scan, if it is plausible."""
    if scanned_at is None or timezone.is_naive(scanned_at):
        return now
    if now - MAX_OFFLINE_AGE <= scanned_at <= now + MAX_CLOCK_AHEAD:
        return min(scanned_at, now)
    return now


def _stored(payload: str) -> str:
    """The payload as the audit log keeps it: cut short, with characters no database stores replaced."""
    return _UNSTORABLE.sub("\ufffd", str(payload)[:120])


def _throttle_key(user: Any, device: ScannerDevice | None) -> str:
    if device is not None:
        return f"checkin:bad:d{device.pk}"
    return f"checkin:bad:u{getattr(user, 'pk', None) or 'anon'}"


def _note_invalid(key: str) -> int:
    """Count an unreadable or forged payload from this device; the count lives for a minute."""
    try:
        cache.add(key, 0, timeout=60)
        return int(cache.incr(key))
    except Exception:  # a cache outage must not stop the door
        return 0


def _invalid_limit() -> int:
    return int(getattr(settings, "CHECKIN_INVALID_LIMIT", 20))


def _refusal(reason: str, message: object | None = None) -> tuple[int, dict[str, Any]]:
    exc = CheckinError(reason, message)
    return exc.status, exc.body()


def _newer_scan_applied(*, ticket: Ticket, session: Session | None, at: datetime, now: datetime) -> bool:
    """Step 6: was a scan that happened after `at` already applied to this ticket (at this session)?"""
    # The ticket's last_scan_at is the server's time of its last change, never earlier than the phone
    # time of any scan applied so far: when it is older than this scan, nothing newer was applied and
    # no query is needed. That is every live scan, so the door's usual path costs nothing more.
    if now - at < LATE_SYNC or ticket.last_scan_at is None or ticket.last_scan_at <= at:
        return False
    applied = Scan.objects.filter(
        ticket=ticket,
        result=Scan.Result.OK,
        action__in=[Scan.Action.SCAN, Scan.Action.SELF],
        undone_by__isnull=True,
        scanned_at__gt=at,
    )
    if session is not None:
        applied = applied.filter(session=session)
    return applied.exists()


def _check_ticket(
    *,
    event: Event,
    ticket: Ticket | None,
    parts: TokenParts,
    session: Session | None,
    direction: str,
    at: datetime,
    now: datetime,
) -> tuple[str, str, SessionAttendance | None, str | None]:
    """Steps 2–6: ("ok"|"already"|"superseded"|"error", reason, the session attendance row, a message)."""
    # 2. revoked or cancelled
    if ticket is None:
        return "error", "cancelled", None, _("This ticket no longer exists.")
    if parts.version != ticket.version:
        return "error", "cancelled", None, _("This ticket was replaced by a newer one.")
    status = ticket.registration.status
    if status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        return "error", "cancelled", None, _("This registration was cancelled.")
    if status == Registration.Status.INVITED:
        return "error", "cancelled", None, _("The invitation was never accepted.")
    if status == Registration.Status.WAITLISTED:
        return "error", "waitlisted", None, None
    # 3. the check-in window
    opens, closes = checkin_window(event)
    if not opens <= at <= closes:
        return "error", "not_open", None, None
    if session is not None and session.status == Session.Status.CANCELLED:
        return "error", "not_open", None, _("This session was cancelled.")
    # 4. event and session
    if ticket.event_id != event.pk:
        return "error", "wrong_event", None, None
    attendance = None
    if session is not None:
        reg = ticket.registration
        if session.audience == Session.Audience.OFFICIALS and reg.role not in OFFICIAL_ROLES:
            return "error", "not_registered_for_session", None, _("This session is for officials only.")
        attendance = SessionAttendance.objects.filter(ticket=ticket, session=session).first()
        signed_up = None
        if direction == "in" and (attendance is None or not attendance.inside):
            rules = getattr(event, "checkin_settings", None)
            if rules is not None and rules.sessions_require_signup:
                signed_up = reg.sessions.filter(pk=session.pk).exists()
                if not signed_up:
                    return "error", "not_registered_for_session", attendance, None
            if session.capacity is not None:
                # Lock the session so two walk-ins cannot take its last seat at once.
                Session.objects.select_for_update().filter(pk=session.pk).first()
                present = SessionAttendance.objects.filter(session=session, inside=True).count()
                if present >= session.capacity:
                    if signed_up is None:
                        signed_up = reg.sessions.filter(pk=session.pk).exists()
                    if not signed_up:
                        return "error", "session_full", attendance, None
    # 5. already used (re-entry after an "out" scan is allowed)
    if direction == "in":
        inside = attendance.inside if session is not None and attendance is not None else False
        if (session is not None and inside) or (session is None and ticket.inside):
            return "already", "", attendance, None
    # 6. superseded (a late offline scan)
    if _newer_scan_applied(ticket=ticket, session=session, at=at, now=now):
        return "superseded", "superseded", attendance, None
    return "ok", "", attendance, None


def _apply(
    *,
    ticket: Ticket,
    session: Session | None,
    attendance: SessionAttendance | None,
    direction: str,
    gate: str,
    at: datetime,
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {"last_scan_at": now}
    if direction == "in":
        fields["inside"] = True
        if ticket.first_in_at is None:
            fields["first_in_at"], fields["first_in_gate"] = at, gate
    elif session is None:
        fields["inside"] = False
    _TICKET_UPDATE.update(ticket.pk, **fields)
    for name, value in fields.items():
        setattr(ticket, name, value)
    if session is None:
        return
    if attendance is None:
        if direction == "in":
            SessionAttendance.objects.create(ticket=ticket, session=session, first_in_at=at, first_in_gate=gate)
    elif attendance.inside != (direction == "in"):
        SessionAttendance.objects.filter(pk=attendance.pk).update(inside=direction == "in")


def checkin_scan(
    *,
    event: Event,
    payload: str,
    direction: str = "in",
    gate: str = "",
    session: Session | None = None,
    client_scan_id: str = "",
    scanned_at: datetime | None = None,
    user: User | None = None,
    device: ScannerDevice | None = None,
    self_service: bool = False,
) -> ScanOutcome:
    """Check a scanned payload in (or out) at `event`; see the module docstring for the order."""
    kwargs = locals()
    try:
        # Most scans carry a client_scan_id never seen before, so the first attempt does not look it
        # up: the unique index on (event, client_scan_id) refuses the audit row of a repeat, which
        # rolls the attempt back whole, and the second attempt looks the key up and replays.
        return _scan(**kwargs, lookup_key=False)
    except IntegrityError:
        return _scan(**kwargs, lookup_key=True)


def _scan(**kwargs: Any) -> ScanOutcome:
    # The transaction as a block rather than a decorator: mutation testing skips decorated functions,
    # and the checks below are the door's rules (docs/testing.md).
    with transaction.atomic():
        return _scan_locked(**kwargs)


def _scan_locked(
    *,
    event: Event,
    payload: str,
    direction: str,
    gate: str,
    session: Session | None,
    client_scan_id: str,
    scanned_at: datetime | None,
    user: User | None,
    device: ScannerDevice | None,
    self_service: bool,
    lookup_key: bool,
) -> ScanOutcome:
    now = timezone.now()
    at = _effective_time(scanned_at, now)
    ticket: Ticket | None = None
    attendance: SessionAttendance | None = None
    result, reason, message = "error", "", None
    # 1. permission and payload
    parts = parse_payload(payload)
    if not self_service and not may_scan(user=user, device=device, event=event):
        reason = "forbidden"
    elif parts is None:
        count = _note_invalid(_throttle_key(user, device))
        reason = "throttled" if count > _invalid_limit() else "invalid"
    else:
        ticket = _TICKET_READ.read(parts.code, model=Ticket)
        if self_service and (ticket is None or user is None or ticket.registration.user_id != user.pk):
            reason = "forbidden"
        else:
            result, reason, attendance, message = _check_ticket(
                event=event, ticket=ticket, parts=parts, session=session, direction=direction, at=at, now=now
            )
    # 7. the idempotency key (see checkin_scan: looked up only once the unique index reported it)
    if client_scan_id and lookup_key:
        prior = Scan.objects.filter(event=event, client_scan_id=client_scan_id).first()
        if prior is not None:
            return _replay(prior, payload=payload, direction=direction, gate=gate, session=session)

    status, body = _answer(
        event=event,
        ticket=ticket,
        session=session,
        result=result,
        reason=reason,
        message=message,
        attendance=attendance,
        checkin={
            "at": _local(event, at),
            "gate": gate,
            "direction": direction,
            "session": getattr(session, "pk", None),
        },
    )
    # The audit row, written on every attempt.
    scan = _SCAN_INSERT.insert(
        Scan(
            event=event,
            ticket=ticket,
            session=session,
            action=Scan.Action.SELF if self_service else Scan.Action.SCAN,
            direction=direction,
            gate=gate,
            result=_RESULTS.get(result, Scan.Result.ERROR),
            reason=reason,
            payload=_stored(payload),
            client_scan_id=client_scan_id,
            scanned_by=user if getattr(user, "is_authenticated", False) else None,
            device=device,
            scanned_at=at,
            created_at=now,
            response_status=status,
            response=body,
        )
    )
    if result == "ok":
        assert ticket is not None
        # Any check-in, a session's included, may be the person's first arrival at the event.
        first = direction == "in" and ticket.first_in_at is None
        first_in_session = session is not None and direction == "in" and attendance is None
        was_inside = ticket.inside
        _apply(ticket=ticket, session=session, attendance=attendance, direction=direction, gate=gate, at=at)
        live.arrival(
            event_slug=event.slug,
            scan_id=scan.pk,
            gate=gate,
            role=ticket.registration.role,
            direction=direction,
            first=first,
            present_delta=int(ticket.inside) - int(was_inside),
            session_id=getattr(session, "pk", None),
            first_in_session=first_in_session,
            at=body["checkin"]["at"],
        )
        live.counts_changed(event_id=event.pk, gate=gate)
        hooks.emit_after_commit(hook_info(event, ticket, scan))
    return ScanOutcome(status=status, body=_with_scan_id(body, scan.pk), scan_id=scan.pk)


def _answer(
    *,
    event: Event,
    ticket: Ticket | None,
    session: Session | None,
    result: str,
    reason: str,
    message: str | None,
    attendance: SessionAttendance | None,
    checkin: dict[str, Any],
) -> tuple[int, dict[str, Any]]:
    if result == "error":
        status, body = _refusal(reason, message)
        if reason == "throttled":
            body["retry_after"] = 60
        if ticket is not None and reason not in ("forbidden", "invalid"):
            body["attendee"] = _attendee(ticket.registration)
        return status, body
    assert ticket is not None
    attendee = _attendee(ticket.registration)
    if result == "superseded":
        # Recorded in the audit log, not applied: the phone may drop it from its queue.
        message = _("Recorded. A newer scan of this ticket was already applied, so this one changed nothing.")
        return 200, {"status": "superseded", "message": message, "attendee": attendee}
    if result == "already":
        first_at, first_gate = (
            (attendance.first_in_at, attendance.first_in_gate)
            if session is not None and attendance is not None
            else (ticket.first_in_at, ticket.first_in_gate)
        )
        first = {"at": _local(event, first_at) if first_at else None, "gate": first_gate}
        return 200, {"status": "already_checked_in", "first": first, "attendee": attendee}
    return 201, {"status": "ok", "checkin": checkin, "attendee": attendee}


def _with_scan_id(body: dict[str, Any], scan_id: int) -> dict[str, Any]:
    # The scan id is known only after the insert, so the stored answer lacks it and gets it here.
    if body.get("status") == "ok":
        body = {**body, "checkin": {**body["checkin"], "id": scan_id}}
    return body


def _replay(prior: Scan, *, payload: str, direction: str, gate: str, session: Session | None) -> ScanOutcome:
    # A retry sends the same body; the same id with another body is a client bug (or two phones
    # sharing a prefix), and answering it with the first scan's outcome would hide that scan.
    same = (prior.payload, prior.direction, prior.gate, prior.session_id) == (
        _stored(payload),
        direction,
        gate,
        getattr(session, "pk", None),
    )
    if not same:
        status, body = _refusal("idempotency_conflict")
        return ScanOutcome(status=status, body=body, scan_id=None, replayed=True)
    return ScanOutcome(
        status=prior.response_status, body=_with_scan_id(prior.response, prior.pk), scan_id=prior.pk, replayed=True
    )


def hook_info(event: Event, ticket: Ticket, scan: Scan, direction: str | None = None) -> hooks.CheckinInfo:
    """What the on_checkin subscribers get about a scan (or an undo, with direction "undo")."""
    reg = ticket.registration
    return hooks.CheckinInfo(
        event_id=event.pk,
        event_slug=event.slug,
        registration_id=reg.pk,
        user_id=reg.user_id,
        role=reg.role,
        session_id=scan.session_id,
        gate=scan.gate,
        direction=direction or scan.direction,
        at=scan.scanned_at,
        scan_id=scan.pk,
        inside=ticket.inside,
    )
