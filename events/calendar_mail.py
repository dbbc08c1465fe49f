"""Calendar emails: an iCalendar REQUEST when an item enters or changes in a person's calendar, CANCEL when it leaves.

(Inviting officials to an event is another thing: events/invitations.py.)

The unit of work is "sync one registration": compare what the person should have in their calendar
(the event, their programme, officials-only sessions for officials) with what they were last told
(`CalendarCopy`), and record one `CalendarDelivery` per item whose SEQUENCE the person has not seen.
The ledger is unique per recipient, UID and SEQUENCE, so a sync or a send that runs twice sends once,
and a change that does not move the SEQUENCE (a capacity change, a new speaker note) sends nothing.
Sending happens in django-q2 tasks; a failed send is retried with backoff and stays visible in the
admin (Events › Calendar emails) with its error.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from events.calendar_items import event_item, event_revision, host, session_item, session_rows, withdrawn_at
from events.calendar_personal import wanted_for
from events.ical import CalendarItem, Invitation, Person, registration_uid, render_calendar
from events.models import CalendarCopy, CalendarDelivery, Event, EventCalendarSettings, Registration, Session, User
from events.tasks import enqueue

logger = logging.getLogger(__name__)

# Event fields whose change a calendar must see (they bump the event item's revision).
EVENT_CALENDAR_FIELDS = frozenset({"title", "starts_at", "ends_at", "timezone", "venue", "address", "description"})
MAX_ATTEMPTS = 6
# A claimed send is someone else's for this long; after it a crashed worker's send is retried.
LEASE = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8, 16, 32 minutes between attempts."""
    return timedelta(minutes=min(2**attempts, 240))


# --- Hooks services call inside their transaction; the work starts after commit ---


def on_registration_changed(registration_id: int) -> None:
    transaction.on_commit(lambda: enqueue(sync_registration, registration_id))


def on_session_changed(session_id: int) -> None:
    transaction.on_commit(lambda: enqueue(sync_session, session_id))


def on_event_changed(*, event: Event, before: dict[str, Any]) -> None:
    """Bump the event item's revision if a calendar-relevant field changed, then tell everyone."""
    if not any(before[name] != getattr(event, name) for name in before if name in EVENT_CALENDAR_FIELDS):
        return
    settings_row, _created = EventCalendarSettings.objects.get_or_create(event=event)
    EventCalendarSettings.objects.filter(pk=settings_row.pk).update(revision=F("revision") + 1)
    event_id = event.pk
    transaction.on_commit(lambda: enqueue(sync_event, event_id))


def on_session_deleting(session: Session) -> None:
    """Inside the deleting transaction: a CANCEL to everyone who holds the session, while its row exists."""
    rows = session_rows(Session.objects.filter(pk=session.pk))
    if not rows:
        return
    row = rows[0]
    created: list[int] = []
    copies = CalendarCopy.objects.select_for_update().filter(
        kind=CalendarCopy.Kind.SESSION, object_id=session.pk, active=True
    )
    registrations = {
        r.user_id: r for r in Registration.objects.filter(event_id=session.event_id).select_related("event", "user")
    }
    for copy in copies:
        registration = registrations.get(copy.user_id)
        copy.bump += 1
        copy.active = False
        copy.save(update_fields=["bump", "active", "updated_at"])
        if registration is None:
            continue
        item = session_item(row, event=registration.event, sequence=row.revision + copy.bump, status="CANCELLED")
        created += _record(registration, withdrawn_at(item, copy.updated_at), "CANCEL")
    schedule_deliveries(created)


# --- Tasks (take primary keys, safe to run twice) ---


def sync_event(event_id: int) -> int:
    ids = Registration.objects.filter(event_id=event_id).values_list("pk", flat=True)
    return sum(sync_registration(pk) for pk in ids)


def sync_session(session_id: int) -> int:
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    condition = Q(sessions=session) | Q(user__calendar_copies__uid__startswith=f"session-{session_id}@")
    if session.audience == Session.Audience.OFFICIALS:
        condition |= Q(role=Registration.Role.OFFICIAL)
    ids = Registration.objects.filter(event_id=session.event_id).filter(condition).values_list("pk", flat=True)
    return sum(sync_registration(pk) for pk in set(ids))


def sync_registration(registration_id: int) -> int:
    """Record the invitations and cancellations this person's calendar is missing; returns how many."""
    created = _sync(registration_id)
    schedule_deliveries(created)
    return len(created)


def sync_keeping_event_invitation(registration_id: int) -> None:
    """Sync a new registrant's calendar but keep the event's invitation for their confirmation email.

    The confirmation carries it (`with_event_invitation`), so a new registrant gets one email. Kept
    unsent, it is still a pending delivery: if the confirmation never takes it, the periodic retry
    sends it on its own after the lease (`retry_due_deliveries`).
    """
    created = _sync(registration_id)
    kept = set(_event_invitations(registration_id).filter(pk__in=created).values_list("pk", flat=True))
    schedule_deliveries([pk for pk in created if pk not in kept])


def _event_invitations(registration_id: int) -> Any:
    registration = Registration.objects.filter(pk=registration_id).select_related("user").first()
    if registration is None:
        return CalendarDelivery.objects.none()
    return CalendarDelivery.objects.filter(
        recipient=registration.user.email,
        uid=registration_uid(registration.event_id, registration.pk, host()),
        method="REQUEST",
    )


def with_event_invitation(message: EmailMultiAlternatives, registration_id: int) -> EmailMultiAlternatives:
    """The message, carrying the event's pending invitation to this person if there is one (then it counts as sent).

    Call it inside the transaction that sends the message: if sending fails, the claim rolls back
    and the invitation is pending again.
    """
    pending = _event_invitations(registration_id).filter(
        status__in=[CalendarDelivery.Status.PENDING, CalendarDelivery.Status.RETRYING]
    )
    delivery = pending.order_by("-sequence").first()
    if delivery is None:
        return message
    now = timezone.now()
    claimed = CalendarDelivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
        status=CalendarDelivery.Status.SENT, sent_at=now, next_attempt_at=None, attempts=F("attempts") + 1
    )
    if not claimed:
        return message
    carrier = CalendarEmail(
        subject=message.subject,
        body=message.body,
        to=message.to,
        headers={**message.extra_headers, "Content-Class": "urn:content-classes:calendarmessage"},
    )
    for content, mimetype in message.alternatives:
        carrier.attach_alternative(content, mimetype)
    carrier.attach_alternative(delivery.ics, f"text/calendar; method={delivery.method}")
    carrier.attach("invite.ics", delivery.ics.encode(), "application/ics")
    return carrier


def _sync(registration_id: int) -> list[int]:
    registration = (
        Registration.objects.select_related("event", "event__calendar_settings", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return []
    calendar_settings = getattr(registration.event, "calendar_settings", None)
    if calendar_settings is not None and not calendar_settings.send_invitations:
        return []
    wanted = wanted_for([registration])
    created: list[int] = []
    with transaction.atomic():
        # Serialise syncs of one person's calendar: locking the (possibly empty) set of copies locks
        # nothing on PostgreSQL, so two workers could both create the same copy.
        Registration.objects.select_for_update().filter(pk=registration.pk).values_list("pk", flat=True).first()
        copies = {
            c.uid: c
            for c in CalendarCopy.objects.select_for_update().filter(
                user_id=registration.user_id, event_id=registration.event_id
            )
        }
        for uid, w in wanted.items():
            copy = copies.get(uid)
            if w.cancelled:
                # The item itself was cancelled (its revision moved); tell only those who had it.
                if copy is not None and copy.active:
                    created += _record(registration, w.item(copy.bump), "CANCEL")
                continue
            if copy is None:
                copy = CalendarCopy.objects.create(
                    user_id=registration.user_id,
                    uid=uid,
                    kind=w.kind,
                    object_id=w.object_id,
                    event_id=registration.event_id,
                )
            elif not copy.active:
                copy.bump += 1
                copy.active = True
                copy.save(update_fields=["bump", "active", "updated_at"])
            created += _record(registration, w.item(copy.bump), "REQUEST")
        for uid, copy in copies.items():
            if uid in wanted or not copy.active:
                continue
            # Withdrawn from this person alone: a CANCEL that outranks every REQUEST they got.
            copy.bump += 1
            copy.active = False
            copy.save(update_fields=["bump", "active", "updated_at"])
            item = _withdrawn_item(registration, copy)
            if item is not None:
                created += _record(registration, item, "CANCEL")
    return created


def schedule_deliveries(delivery_ids: list[int]) -> None:
    """Send recorded calendar emails in django-q2 tasks once the current transaction commits."""
    for pk in delivery_ids:
        transaction.on_commit(lambda pk=pk: enqueue(deliver, pk))


def _withdrawn_item(registration: Registration, copy: CalendarCopy) -> CalendarItem | None:
    event = registration.event
    if copy.kind == CalendarCopy.Kind.EVENT:
        item = event_item(registration, event=event, sequence=event_revision(event) + copy.bump, status="CANCELLED")
    else:
        rows = session_rows(Session.objects.filter(pk=copy.object_id))
        if not rows:
            return None
        item = session_item(rows[0], event=event, sequence=rows[0].revision + copy.bump, status="CANCELLED")
    return withdrawn_at(item, copy.updated_at)


def organizer() -> Person:
    from email.utils import parseaddr

    name, address = parseaddr(getattr(settings, "CALENDAR_ORGANIZER_EMAIL", "") or settings.DEFAULT_FROM_EMAIL)
    return Person(email=address, name=name or address)


def _record(registration: Registration, item: CalendarItem, method: str) -> list[int]:
    return record_delivery(
        user=registration.user, event=registration.event, item=item, method=method, language=registration.language
    )


def record_delivery(*, user: User, event: Event, item: CalendarItem, method: str, language: str = "") -> list[int]:
    """Add the ledger row for this message unless the person already has this SEQUENCE of the item.

    Called inside the caller's transaction, followed by `schedule_deliveries(ids)`. Only this module's
    syncs call it today; another app with items to email would use it the same way, sharing the
    ledger, the retries and the admin.
    """
    if user.erased_at is not None:
        return []  # an erased person has no address left to write to (events/privacy.py)
    if CalendarDelivery.objects.filter(recipient=user.email, uid=item.uid, sequence=item.sequence).exists():
        return []
    first = not CalendarDelivery.objects.filter(recipient=user.email, uid=item.uid).exists()
    if method == "REQUEST":
        # In an invitation the item is confirmed; the person's answer is their PARTSTAT.
        item = dataclasses.replace(item, status="CONFIRMED")
    item = dataclasses.replace(item, dtstamp=timezone.now())
    # A cancellation asks for no answer (RFC 5546 §3.2.5): RSVP would only draw replies to a withdrawn item.
    invitation = Invitation(
        organizer=organizer(),
        attendee=Person(email=user.email, name=user.get_full_name()),
        rsvp=method != "CANCEL",
    )
    ics = render_calendar([item], method=method, invitation=invitation).decode()
    with translation.override(language or user.language or "en"):
        start = timezone.localtime(item.start, event.tzinfo)
        context = {
            "item": item,
            "event": event,
            "person": user,
            "method": method,
            "first": first,
            "when": formats.date_format(start, "DATE_FORMAT" if item.all_day else "DATETIME_FORMAT"),
            "all_day": item.all_day,
            "tz": event.timezone,
        }
        body = render_to_string("calendar/email_item.txt", context)
        if method == "CANCEL":
            subject = _("Cancelled: %(title)s") % {"title": item.summary}
        elif first:
            subject = _("Invitation: %(title)s") % {"title": item.summary}
        else:
            subject = _("Updated: %(title)s") % {"title": item.summary}
    try:
        with transaction.atomic():
            delivery = CalendarDelivery.objects.create(
                recipient=user.email,
                uid=item.uid,
                sequence=item.sequence,
                method=method,
                user=user,
                event=event,
                subject=subject[:300],
                body=body,
                ics=ics,
            )
    except IntegrityError:  # a concurrent sync recorded it first
        return []
    return [delivery.pk]


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries its iTIP method as a MIME parameter."""

    def _create_mime_attachment(self, content: Any, mimetype: str) -> Any:
        if not mimetype.startswith("text/calendar"):
            return super()._create_mime_attachment(content, mimetype)
        part = SafeMIMEText(content, "calendar", self.encoding or settings.DEFAULT_CHARSET)
        for param in mimetype.split(";")[1:]:
            key, _sep, value = param.strip().partition("=")
            part.set_param(key, value)
        return part


def build_message(delivery: CalendarDelivery) -> CalendarEmail:
    message = CalendarEmail(
        subject=delivery.subject,
        body=delivery.body,
        to=[delivery.recipient],
        headers={"Content-Class": "urn:content-classes:calendarmessage"},
    )
    message.attach_alternative(delivery.ics, f"text/calendar; method={delivery.method}")
    name = "cancel.ics" if delivery.method == "CANCEL" else "invite.ics"
    message.attach(name, delivery.ics.encode(), "application/ics")
    return message


def deliver(delivery_id: int) -> bool:
    """Send one recorded calendar email unless it was sent or someone else is sending it."""
    now = timezone.now()
    claimed = (
        CalendarDelivery.objects.filter(
            pk=delivery_id, status__in=[CalendarDelivery.Status.PENDING, CalendarDelivery.Status.RETRYING]
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    delivery = CalendarDelivery.objects.get(pk=delivery_id)
    rows = CalendarDelivery.objects.filter(pk=delivery_id)
    try:
        # The database is not locked while the mail server answers: the lease keeps others off.
        build_message(delivery).send()
    except Exception as exc:  # any transport failure is recorded and retried
        failed = delivery.attempts >= MAX_ATTEMPTS
        rows.update(
            status=CalendarDelivery.Status.FAILED if failed else CalendarDelivery.Status.RETRYING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=None if failed else timezone.now() + backoff(delivery.attempts),
        )
        logger.warning("calendar email #%s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return False
    rows.update(status=CalendarDelivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return True


def retry_due_deliveries() -> int:
    """Periodic: send calendar emails whose retry is due, and any whose first task was lost."""
    now = timezone.now()
    due = CalendarDelivery.objects.filter(
        Q(status=CalendarDelivery.Status.RETRYING, next_attempt_at__lte=now)
        | Q(status=CalendarDelivery.Status.PENDING, next_attempt_at__isnull=True, created_at__lte=now - LEASE)
        | Q(status=CalendarDelivery.Status.PENDING, next_attempt_at__lte=now)
    ).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(due[:500]))


def delivery_retry_now(*, delivery_ids: list[int]) -> int:
    """Organisers: try these calendar emails again at once (failed ones get one more attempt)."""
    n = (
        CalendarDelivery.objects.filter(pk__in=delivery_ids)
        .exclude(status=CalendarDelivery.Status.SENT)
        .update(status=CalendarDelivery.Status.RETRYING, next_attempt_at=timezone.now())
    )
    for pk in delivery_ids:
        transaction.on_commit(lambda pk=pk: enqueue(deliver, pk))
    return n
