"""Reads: tickets and their payloads, who may scan, live counts, attendance, the offline list."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Func, IntegerField, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from checkin.models import EventCheckinSettings, Scan, ScannerDevice, SessionAttendance, Ticket
from checkin.tickets import make_payload, offline_digest
from events.models import Event, Registration, Session
from realtime import generations

BUCKET_MINUTES = 5


def ticket_payload(ticket: Ticket) -> str:
    return make_payload(event_id=ticket.event_id, code=ticket.code, version=ticket.version)


def ticket_for_registration(*, registration: Registration) -> Ticket | None:
    return Ticket.objects.filter(registration=registration).first()


def qr_url(*, ticket: Ticket, fmt: str = "png") -> str:
    """Absolute URL of the ticket's QR image. It names the payload, which is the credential itself,
    so the image is served only to the person, organisers and door staff."""
    return settings.SITE_URL + reverse("checkin:ticket_qr", args=[ticket.registration_id, fmt])


def checkin_settings_for(event: Event) -> EventCheckinSettings:
    """The event's rules, or the defaults (unsaved) when the organiser never changed them."""
    try:
        return event.checkin_settings
    except EventCheckinSettings.DoesNotExist:
        return EventCheckinSettings(event=event)


def checkin_window(event: Event) -> tuple[datetime, datetime]:
    rules = checkin_settings_for(event)
    return (
        event.starts_at - timedelta(minutes=rules.opens_minutes_before),
        event.ends_at + timedelta(minutes=rules.closes_minutes_after),
    )


def is_organiser(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


def is_door_staff(*, user: Any, event: Event) -> bool:
    """Organisers, and people registered at this event in the door-staff or organiser role."""
    if is_organiser(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(
        event=event,
        user=user,
        role__in=[Registration.Role.STAFF, Registration.Role.ORGANISER],
        status=Registration.Status.REGISTERED,
    ).exists()


def may_scan(*, user: Any, device: ScannerDevice | None, event: Event) -> bool:
    if device is not None:
        return device.event_id == event.pk and device.revoked_at is None
    return is_door_staff(user=user, event=event)


def device_from_token(raw: str) -> ScannerDevice | None:
    """The paired, unrevoked device with this token. Only reads: the scan endpoint records "last
    seen" through `services.device_seen`."""
    if not raw or len(raw) > 200 or not raw.startswith(ScannerDevice.TOKEN_PREFIX):
        return None
    devices = ScannerDevice.objects.filter(key_hash=ScannerDevice.hash(raw), revoked_at__isnull=True).order_by()
    return next(iter(devices[:1]), None)


# The door reads its event (and the event's check-in rules) on every scan, and they change a few
# times a day. Each process keeps what it read, by slug, until an event or its rules change anywhere:
# a counter in the shared cache that model signals bump (connected in CheckinConfig.ready).
_EVENTS_KEY = "checkin:events:v"
_EVENTS_KEPT = 200
# Writers that do not share the cache (a management command or the task worker beside the embedded
# in-memory cache) bump a counter nobody here sees: a kept event is read again after this long anyway.
EVENT_MAX_AGE = 2.0
_events: dict[str, tuple[int, Event, float]] = {}


def events_changed(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete of an event or its check-in rules (connected in CheckinConfig.ready):
    every process reads them again on its next scan."""
    generations.bump_around_commit(_EVENTS_KEY)


def event_for_scanning(*, slug: str) -> Event | None:
    if not isinstance(slug, str) or len(slug) > 80 or "\x00" in slug:
        return None
    version = generations.read(_EVENTS_KEY)  # before the read: a change after it makes the next scan read again
    kept = _events.get(slug)
    now = time.monotonic()
    if kept is not None and version is not None and kept[0] == version and now - kept[2] < EVENT_MAX_AGE:
        return kept[1]
    # Slugs are unique: no ORDER BY to compile or run on this query.
    event = next(iter(Event.objects.select_related("checkin_settings").filter(slug=slug).order_by()[:1]), None)
    if event is not None and version is not None:
        if len(_events) >= _EVENTS_KEPT:
            _events.clear()
        _events[slug] = (version, event, now)
    return event


def session_of_event(*, event: Event, session_id: Any) -> Session | None:
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        return None
    return Session.objects.filter(event=event, pk=session_id).first()


class _EpochSlot(Func):
    """The five-minute slot of a timestamp, counted from the Unix epoch, computed by the database.

    Slots of UTC and of any real time zone line up (every offset is a multiple of 15 minutes), so
    the slot shown in the event's zone is the same one.
    """

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            # Seconds since the epoch from the Julian day: no '%' in the SQL, which Django's debug
            # logging of the query would take for a parameter placeholder.
            template=(
                f"(CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER) / {BUCKET_MINUTES * 60})"
            ),
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=f"FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / {BUCKET_MINUTES * 60})::int"
        )


def counts_snapshot(*, event: Event, gate: str | None = None) -> dict[str, Any]:
    """Present now, arrivals by gate and role, arrivals per five minutes (in the event's zone), and
    per session the people inside now and checked in so far.

    Four queries, three of them grouped; the database does the counting, so the cost does not grow
    with the number of arrivals (it runs a few times a second during a busy door).
    """
    tz = event.tzinfo
    # Read first: every scan up to this one is in the figures below, so a client ignores the
    # checkin.arrival messages of those (docs/realtime.md).
    last_scan = Scan.objects.filter(event=event).order_by("-id").values_list("id", flat=True).first() or 0
    arrived = Ticket.objects.filter(event=event, first_in_at__isnull=False)
    present = Ticket.objects.filter(event=event, inside=True).count()
    by_gate: Counter[str] = Counter()
    by_role: Counter[str] = Counter()
    by_gate_role: dict[str, dict[str, int]] = {}
    for row in arrived.values("first_in_gate", "registration__role").annotate(n=Count("id")).order_by():
        row_gate, role, n = row["first_in_gate"], row["registration__role"], row["n"]
        by_gate[row_gate] += n
        by_role[role] += n
        by_gate_role.setdefault(row_gate, {})[role] = n
    buckets = arrived.annotate(slot=_EpochSlot("first_in_at")).values("slot").annotate(n=Count("id")).order_by("slot")
    per_5 = [
        {
            "start": datetime.fromtimestamp(int(row["slot"]) * BUCKET_MINUTES * 60, tz).isoformat(),
            "arrivals": row["n"],
        }
        for row in buckets
    ]
    # Keyed by the session id as a string (JSON object keys are strings); a session nobody has
    # checked in to yet is absent, which reads as zero.
    sessions = {
        str(row["session_id"]): {"present": row["present"], "arrived": row["arrived"]}
        for row in SessionAttendance.objects.filter(session__event=event)
        .values("session_id")
        .annotate(present=Count("id", filter=Q(inside=True)), arrived=Count("id"))
        .order_by()
    }
    data: dict[str, Any] = {
        "event": event.slug,
        "present": present,
        "arrived": sum(by_gate.values()),
        "by_gate": dict(by_gate),
        "by_role": dict(by_role),
        "by_gate_role": by_gate_role,
        "per_5_minutes": per_5,
        "sessions": sessions,
        "last_scan": last_scan,
    }
    if gate is not None:
        data["gate"] = gate
        data["gate_arrivals"] = by_gate.get(gate, 0)
    return data


def present_count(*, event: Event) -> int:
    """People inside the venue now (a live figure events shows on lobby screens, via events.hooks)."""
    return Ticket.objects.filter(event=event, inside=True).count()


def session_attendance_counts(*, session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per session: (inside now, checked in so far); a session nobody entered is absent. One grouped query.

    A live figure of the control room, provided to events through events.hooks.
    """
    rows = (
        SessionAttendance.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(present=Count("id", filter=Q(inside=True)), arrived=Count("id"))
        .order_by()
    )
    return {row["session_id"]: (row["present"], row["arrived"]) for row in rows}


def offline_list(*, event: Event) -> dict[str, Any]:
    """What a scanner page downloads to keep working offline: a hash of every payload it may see,
    with the state to show. Holds names (door staff see them on every scan anyway) but no key."""
    tickets = Ticket.objects.filter(event=event).select_related("registration__user", "registration__organisation")
    entries = {}
    for t in tickets:
        reg = t.registration
        if reg.status == Registration.Status.REGISTERED:
            state = "in" if t.inside else "valid"
        elif reg.status == Registration.Status.WAITLISTED:
            state = "waitlisted"
        else:
            state = "cancelled"
        entries[offline_digest(ticket_payload(t))] = {
            "s": state,
            "n": reg.user.get_full_name(),
            "r": reg.role,
            "o": reg.organisation.name if reg.organisation_id else "",
            "f": t.first_in_at.astimezone(event.tzinfo).isoformat() if t.first_in_at else None,
            "g": t.first_in_gate,
        }
    opens, closes = checkin_window(event)
    return {
        "event": event.slug,
        "event_id": event.pk,
        "generated_at": timezone.now().isoformat(),
        "window": {"opens": opens.isoformat(), "closes": closes.isoformat()},
        "tickets": entries,
    }


def attendee_search(*, event: Event, query: str, limit: int = 20) -> QuerySet[Registration]:
    """Registrations whose name or email contains `query` (door staff's manual fallback)."""
    query = " ".join(str(query).replace("\x00", " ").split())[:100]
    query = query.encode("utf-8", "replace").decode("utf-8", "replace")
    if len(query) < 2:
        return Registration.objects.none()
    return (
        Registration.objects.filter(event=event)
        .filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
        .select_related("user", "organisation", "ticket")
        .order_by("user__full_name", "id")[:limit]
    )


def scanner_config(*, event: Event, device: ScannerDevice | None) -> dict[str, Any]:
    opens, closes = checkin_window(event)
    sessions = event.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at", "id")
    return {
        "event": {"slug": event.slug, "title": event.title, "id": event.pk, "timezone": event.timezone},
        "window": {"opens": opens.isoformat(), "closes": closes.isoformat()},
        "sessions": [
            {"id": s.pk, "title": s.title, "starts_at": s.starts_at.astimezone(event.tzinfo).isoformat()}
            for s in sessions
        ],
        "device": {"id": device.pk, "name": device.name} if device is not None else None,
    }


def attendee_search_results(*, event: Event, query: str) -> list[dict[str, Any]]:
    results = []
    for reg in attendee_search(event=event, query=query):
        ticket = getattr(reg, "ticket", None)
        results.append(
            {
                "registration": reg.pk,
                "name": reg.user.get_full_name(),
                "email": reg.user.email,
                "organisation": reg.organisation.name if reg.organisation_id else "",
                "role": reg.role,
                "status": reg.status,
                "inside": bool(ticket and ticket.inside),
                "payload": ticket_payload(ticket) if ticket else None,
            }
        )
    return results


def pair_url(event: Event, raw_token: str) -> str:
    """The scanner page with the device token in the fragment: browsers never send a fragment to
    the server, so the token stays out of access logs; the page keeps it in local storage."""
    return settings.SITE_URL + reverse("checkin:scan", args=[event.slug]) + "#device=" + raw_token


STREAM_TICKET_SALT = "checkin.stream"
STREAM_TICKET_MAX_AGE = 120


def stream_ticket(*, event: Event, user: Any, device: ScannerDevice | None) -> str:
    """A short-lived signed pass to the gate stream for whoever holds a door credential now."""
    from django.core import signing

    who = f"d{device.pk}" if device is not None else f"u{user.pk}"
    return signing.dumps({"e": event.pk, "w": who}, salt=STREAM_TICKET_SALT)


def may_watch_gate(*, user: Any, ticket: str, event: Event) -> bool:
    from django.core import signing

    if ticket:
        try:
            data = signing.loads(ticket[:500], salt=STREAM_TICKET_SALT, max_age=STREAM_TICKET_MAX_AGE)
        except signing.BadSignature:
            return False
        if not isinstance(data, dict) or data.get("e") != event.pk or not isinstance(data.get("w"), str):
            return False
        who = data["w"]
        if who.startswith("d") and who[1:].isdigit():
            device = ScannerDevice.objects.filter(pk=int(who[1:]), revoked_at__isnull=True).first()
            return may_scan(user=None, device=device, event=event) if device else False
        if who.startswith("u") and who[1:].isdigit():
            from events.models import User

            person = User.objects.filter(pk=int(who[1:]), is_active=True).first()
            return person is not None and is_door_staff(user=person, event=event)
        return False
    return is_door_staff(user=user, event=event)


def scanner_page_config(*, event: Event) -> dict[str, Any]:
    """What scanner.js reads at start: where things are, and every text it shows, translated."""
    from django.templatetags.static import static
    from django.utils.translation import gettext as _

    from checkin.exceptions import REASONS

    api = "/api/v1/checkin"
    return {
        "slug": event.slug,
        "eventId": event.pk,
        # Times on the scanner are the event's, whatever zone the phone is set to.
        "timeZone": event.timezone,
        "urls": {
            "scan": f"{api}/scan",
            "config": f"{api}/events/{event.slug}/scanner",
            "offline": f"{api}/events/{event.slug}/offline",
            "search": f"{api}/events/{event.slug}/search",
            "counts": f"{api}/events/{event.slug}/counts",
            "streamTicket": f"{api}/events/{event.slug}/stream-ticket",
            "ws": f"/ws/checkin/{event.slug}/gate/",
            "polyfill": static("vendor/barcode-detector-polyfill.js"),
            "wasm": static("vendor/zxing_reader.wasm"),
            "serviceWorker": reverse("checkin:service_worker"),
        },
        "reasons": {code: str(message) for code, (_status, message) in REASONS.items()},
        "text": {
            "ok": _("Checked in"),
            "out": _("Checked out"),
            "already": _("Already checked in"),
            "error": _("Not admitted"),
            "first": _("First: %(time)s at %(gate)s"),
            "offline": _("Offline"),
            "online": _("Online"),
            "offlineChecked": _("Checked offline; will sync"),
            "queued": _("%(n)s to sync"),
            "conflicts": _("%(n)s conflicts"),
            "noCamera": _("No camera: use the search or a hardware scanner."),
            "scanning": _("Point the camera at a ticket"),
            "checkIn": _("Check in"),
            "noResults": _("Nobody found."),
            "cannotVerify": _("Cannot verify offline"),
            "serverSaid": _("Server: %(result)s"),
        },
    }


def registration_ticket(registration: Registration) -> dict[str, str] | None:
    """`ticket_payload` and absolute `qr_url` (PNG) of a registration that holds a seat, else None.

    For integrations (the registration API, through `events.hooks.provide_registration_ticket`).
    Only reads: the ticket is issued when the seat is taken, a moment after its commit, so a seated
    registration read in between (or whose issuing failed, until `manage.py tickets_backfill`) has
    none yet and answers None, as a registration without a seat does.
    """
    if registration.status not in Registration.SEATED:
        return None
    cached = getattr(registration, "_ticket_fields", None)
    if cached is not None:
        return cached
    try:
        # Uses the row from select_related("ticket") when the caller loaded it: no query per person.
        ticket = registration.ticket
    except Ticket.DoesNotExist:
        return None
    # The API asks once per field; remember the answer on the instance.
    registration._ticket_fields = {"ticket_payload": ticket_payload(ticket), "qr_url": qr_url(ticket=ticket)}
    return registration._ticket_fields
