"""Emails about meetings: a meeting request to the candidate, and calendar invitations for booked,
moved and cancelled meetings to both sides, job-fair and bilateral alike.

- `request_sent(request)`: call inside the transaction that created an employer's request; after the
  commit the candidate gets an email in their own language with signed accept and decline links
  (matching/meeting_links.py), on the urgent email queue.
- `meetings_changed(meeting_ids)`: call inside the transaction that booked, moved, cancelled or
  released meetings (any `Meeting`: booth meetings, bilateral meetings of officials, timetable
  runs). After the commit each side's calendar gets what it is missing: a REQUEST for an active
  meeting (the first, or an update when its time or place moved), a CANCEL for one that was
  cancelled, released or replaced, sent only to those whose calendar holds it. The UID is the
  personal feed's (`meeting-<id>@<host>`) and the SEQUENCE is `Meeting.sequence`, which moves only
  when something a calendar shows changed, so a "we met" tap sends nothing.

Who "both sides" are: the candidate (or official), and each person registered at the event for the
organisation (or counterpart institution) whose membership of it is granted, as in the personal
feeds (matching/calendar.py). Each gets the invitation in the language of their registration.

The calendar emails share the events app's ledger, retries and admin (events/calendar_mail.py:
`record_delivery`, unique per recipient, UID and SEQUENCE, so a sync that runs twice sends once).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from events.calendar_mail import record_delivery, schedule_deliveries
from events.memberships import granted_exists
from events.models import CalendarDelivery, EventCalendarSettings, Registration, User
from events.tasks import enqueue, enqueue_email, send_or_retry
from matching.calendar import meeting_item, meeting_uid
from matching.meeting_links import answer_url
from matching.models import Meeting, MeetingRequest

# --- The meeting request ---------------------------------------------------------------------------


def request_sent(request: MeetingRequest) -> None:
    """Inside the transaction that created `request`: email the candidate once it commits.

    Only an employer's request goes by email; a candidate's request reaches the employer's board live.
    """
    if request.sent_by != MeetingRequest.From.EMPLOYER:
        return
    request_id = request.pk
    # A person is waiting for this answer: the urgent queue, never behind a bulk send.
    transaction.on_commit(lambda: enqueue_email(send_meeting_request, request_id, urgent=True))


def _language(*, user: User, event_id: int) -> str:
    """The recipient's own language: their registration's at the event, else their account's."""
    registration = Registration.objects.filter(user=user, event_id=event_id).only("language").first()
    return (registration.language if registration else "") or user.language or settings.LANGUAGE_CODE


def render_meeting_request(request: MeetingRequest) -> EmailMultiAlternatives:
    """The email that tells a candidate an employer asks to meet them, in the candidate's language."""
    event, person = request.event, request.candidate
    language = _language(user=person, event_id=event.pk)
    context = {
        "event": event,
        "person": person,
        "request": request,
        "organisation": request.organisation,
        "opening": request.opening,
        "accept_url": answer_url(request, "accept"),
        "decline_url": answer_url(request, "decline"),
        "page_url": settings.SITE_URL + reverse("matching:me", args=[event.slug]),
        "site_url": settings.SITE_URL,
        "tz": event.timezone,
    }
    with translation.override(language), timezone.override(event.tzinfo):
        context["expires"] = formats.date_format(timezone.localtime(request.expires_at), "DATETIME_FORMAT")
        subject = " ".join(render_to_string("emails/meeting_request_subject.txt", context).split())
        text = render_to_string("emails/meeting_request.txt", context)
        html = render_to_string("emails/meeting_request.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def send_meeting_request(request_id: int, attempt: int = 1) -> bool:
    """Task: email the candidate an employer's request, once, while it is still open."""
    request = (
        MeetingRequest.objects.select_related("event", "organisation", "opening", "candidate")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.status != MeetingRequest.Status.PENDING or request.expires_at <= timezone.now():
        return False  # answered, withdrawn or expired before the email left: it would only mislead
    person = request.candidate
    if not person.is_active or person.erased_at is not None:
        return False
    return send_or_retry(
        send_meeting_request,
        (request_id,),
        attempt=attempt,
        key=f"meeting-request:{request_id}",
        recipient=person.email,
        build=lambda: render_meeting_request(request),
    )


# --- Calendar invitations for meetings ------------------------------------------------------------


def meetings_changed(meeting_ids: Iterable[int]) -> None:
    """Inside the transaction that booked, moved or cancelled these meetings: bring both sides'
    calendars in line with them after the commit (REQUEST, update or CANCEL; nothing if nothing a
    calendar shows changed)."""
    for meeting_id in sorted(set(meeting_ids)):
        transaction.on_commit(lambda pk=meeting_id: enqueue(sync_meeting, pk))


def meeting_recipients(meeting: Meeting) -> list[tuple[User, str]]:
    """Both sides of a meeting with the language each reads: the candidate (or official), and every
    granted representative of the organisation registered at the event."""
    candidate = User.objects.get(pk=meeting.candidate_id)
    out: list[tuple[User, str]] = [(candidate, _language(user=candidate, event_id=meeting.event_id))]
    reps = (
        Registration.objects.filter(
            event_id=meeting.event_id,
            organisation_id=meeting.organisation_id,
            status=Registration.Status.REGISTERED,
        )
        .filter(granted_exists())
        .exclude(user_id=meeting.candidate_id)
        .select_related("user")
        .order_by("user_id")
    )
    out.extend((r.user, r.language or r.user.language) for r in reps)
    return [(user, language or settings.LANGUAGE_CODE) for user, language in out if user.is_active]


def sync_meeting(meeting_id: int) -> int:
    """Task: record (and send) what each side's calendar is missing of this meeting. Safe to run twice."""
    meeting = Meeting.objects.select_related("event", "organisation", "candidate", "room").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    event = meeting.event
    calendar_settings = EventCalendarSettings.objects.filter(event=event).first()
    if calendar_settings is not None and not calendar_settings.send_invitations:
        return 0
    active = meeting.status in Meeting.ACTIVE
    uid = meeting_uid(meeting.pk)
    created: list[int] = []
    with transaction.atomic():
        if not active:
            # A CANCEL must outrank every REQUEST sent. A cancellation written without save() (a
            # queryset update) did not move the SEQUENCE: move it here, for the feeds too.
            sent = CalendarDelivery.objects.filter(uid=uid, method="REQUEST").aggregate(top=Max("sequence"))["top"]
            if sent is not None and meeting.sequence <= sent:
                meeting.sequence = sent + 1
                Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence)
        for user, language in meeting_recipients(meeting):
            if not active and not _holds(user, uid):
                continue  # never invited (cancelled before the first email left): nothing to withdraw
            with translation.override(language):
                item = meeting_item(meeting, user_id=user.pk)
            created += record_delivery(
                user=user, event=event, item=item, method="REQUEST" if active else "CANCEL", language=language
            )
        schedule_deliveries(created)
    return len(created)


def _holds(user: User, uid: str) -> bool:
    """Whether this person was ever sent an invitation for the item (so a CANCEL means something)."""
    return CalendarDelivery.objects.filter(recipient=user.email, uid=uid, method="REQUEST").exists()
