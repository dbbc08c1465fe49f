"""Background jobs (django-q2). Each takes primary keys and is safe to run twice.

The emails here go to attendees in the language of their registration, with the event's times in
the event's own time zone (a Baghdad job fair shows Baghdad time to a reader in Vilnius too).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_q.tasks import async_task, schedule

from events.models import EmailLedger, Registration

logger = logging.getLogger(__name__)

# A failed send is tried again this many times in all, waiting longer each time (minutes).
MAX_ATTEMPTS = 5
RETRY_DELAYS = (1, 5, 30, 120)


# The django-q2 cluster that runs only urgent emails (a second queue in the same broker, started
# with `Q_CLUSTER_NAME=urgent manage.py qcluster`; settings.Q_CLUSTER["ALT_CLUSTERS"], docs/operations.md).
URGENT_CLUSTER = "urgent"


def enqueue(func: Any, *args: Any) -> None:
    """Queue a task by dotted path (django-q2 runs it in the cluster; in tests, inline)."""
    async_task(_dotted(func), *args)


def enqueue_email(func: Any, *args: Any, urgent: bool = False) -> None:
    """Queue an email task: on the urgent queue when a person is waiting for it, else behind the bulk.

    Urgent: what one person just asked for or must answer soon (their sign-in link, the confirmation
    of their own registration, a meeting request). Bulk (the default): what an organiser's action
    sends to many at once (an import's confirmations, reminders, calendar updates). The urgent
    queue has a cluster of its own, so a link never waits behind thousands of queued confirmations.
    """
    if urgent:
        async_task(_dotted(func), *args, cluster=URGENT_CLUSTER)
    else:
        async_task(_dotted(func), *args)


def _dotted(func: Any) -> str:
    return f"{func.__module__}.{func.__name__}"


def send_once(*, key: str, recipient: str, build: Callable[[], EmailMultiAlternatives]) -> bool:
    """Send the message `build()` makes unless the ledger already holds `key`. Returns True if sent."""
    with transaction.atomic():
        try:
            EmailLedger.objects.create(key=key[:200], recipient=recipient)
        except IntegrityError:
            return False
        message = build()
        # Sending inside the transaction: if it raises, the ledger row rolls back and a retry sends.
        # The unique key also makes a second worker running the same task wait here, then skip.
        message.send()
    return True


def send_or_retry(
    task: Callable[..., bool],
    args: tuple[Any, ...],
    *,
    attempt: int,
    key: str,
    recipient: str,
    build: Callable[[], EmailMultiAlternatives],
) -> bool:
    """send_once, and when the mail server fails, schedule the same task again a little later.

    django-q2 does not re-run a task that raised, so the retry is ours. Nothing is recorded in the
    ledger for a failed send, so the retry really sends. The last attempt raises, which leaves a
    failed task in the admin that an organiser can resubmit.
    """
    try:
        return send_once(key=key, recipient=recipient, build=build)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Email %s to %s failed %s times; giving up", key, recipient, attempt)
            raise
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        logger.warning(
            "Email %s to %s failed (attempt %s); retrying in %s min", key, recipient, attempt, delay, exc_info=True
        )
        with contextlib.suppress(IntegrityError):
            schedule(
                _dotted(task),
                *args,
                attempt=attempt + 1,
                # The name is unique: a task that ran twice and failed twice schedules one retry.
                name=f"retry {key} #{attempt + 1}"[:100],
                schedule_type="O",
                repeats=-1,
                next_run=timezone.now() + timedelta(minutes=delay),
            )
        return False


def render_registration_email(registration: Registration, template: str) -> EmailMultiAlternatives:
    """The email `emails/<template>` makes for this registration, plain text with an HTML alternative."""
    from events.links import magic_link_url

    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "person": registration.user,
        "link": magic_link_url(registration),
        "site_url": settings.SITE_URL,
    }
    # Dates render in the event's zone; words in the language the person chose when registering.
    with translation.override(registration.language or settings.LANGUAGE_CODE), timezone.override(event.tzinfo):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[registration.user.email])
    message.attach_alternative(html, "text/html")
    # Tell auto-responders not to answer a machine (RFC 3834).
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def _registration(registration_id: int) -> Registration | None:
    return Registration.objects.select_related("event", "user", "organisation").filter(pk=registration_id).first()


def send_registration_confirmation(registration_id: int, status: str, occasion: str = "", attempt: int = 1) -> bool:
    """Tell a person they are registered, or on the waitlist. `occasion` tells a re-registration apart."""
    registration = _registration(registration_id)
    # A confirmation that no longer matches (cancelled in the meantime) would only mislead.
    if registration is None or registration.status != status:
        return False
    from events import calendar_mail  # it imports this module

    template = "waitlisted" if status == Registration.Status.WAITLISTED else "registered"
    if status == Registration.Status.REGISTERED:
        # One email for a new seat: the confirmation carries the event's calendar invitation.
        calendar_mail.sync_keeping_event_invitation(registration_id)
    return send_or_retry(
        send_registration_confirmation,
        (registration_id, status, occasion),
        attempt=attempt,
        key=f"confirm:{registration_id}:{status}:{occasion}",
        recipient=registration.user.email,
        build=lambda: calendar_mail.with_event_invitation(
            render_registration_email(registration, template), registration_id
        ),
    )


# The emails that tell a person their registration reached a status, by task: the status, the
# template (`emails/<template>`) and the ledger key's prefix. One body sends them all; each keeps a
# task of its own name, as queued tasks and retries are stored by dotted path.
_STATUS_EMAILS = {
    "send_invitation": (Registration.Status.INVITED, "invitation", "invite"),
    "send_waitlist_promotion": (Registration.Status.REGISTERED, "promoted", "promoted"),
}


def _send_status_email(task: Callable[..., bool], registration_id: int, occasion: str, attempt: int) -> bool:
    status, template, key = _STATUS_EMAILS[task.__name__]
    registration = _registration(registration_id)
    # Once the registration has moved on, the email would only mislead.
    if registration is None or registration.status != status:
        return False
    return send_or_retry(
        task,
        (registration_id, occasion),
        attempt=attempt,
        key=f"{key}:{registration_id}:{occasion}",
        recipient=registration.user.email,
        build=lambda: render_registration_email(registration, template),
    )


def send_invitation(registration_id: int, occasion: str = "", attempt: int = 1) -> bool:
    """Invite a person; they accept or decline on the page the magic link opens."""
    return _send_status_email(send_invitation, registration_id, occasion, attempt)


def send_waitlist_promotion(registration_id: int, occasion: str = "", attempt: int = 1) -> bool:
    """Tell a waitlisted person a seat opened up and is now theirs."""
    return _send_status_email(send_waitlist_promotion, registration_id, occasion, attempt)


def retention_sweep() -> int:
    """Daily: erase everyone whose every event has passed its personal-data date. Safe to run twice."""
    from events import privacy  # only the daily sweep needs it; the email tasks above do not

    return len(privacy.retention_erase_due())


def _render_membership_email(
    template: str, *, to: str, language: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """A membership email (decision or invitation), in the reader's language; the heading names the organisation."""
    context = {**context, "event": {"title": context["organisation"].name}, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def send_membership_decision(membership_id: int, status: str, occasion: str = "", attempt: int = 1) -> bool:
    """Tell a person that their membership was granted, refused or removed (`occasion`: when it was decided)."""
    from django.urls import reverse

    from events.models import Membership

    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    # A decision taken back in the meantime would only mislead.
    if membership is None or membership.status != status or not membership.user.is_active:
        return False
    context = {
        "person": membership.user,
        "organisation": membership.organisation,
        "status": status,
        "link": settings.SITE_URL + reverse("events:me"),
    }
    return send_or_retry(
        send_membership_decision,
        (membership_id, status, occasion),
        attempt=attempt,
        key=f"membership:{membership_id}:{status}:{occasion}",
        recipient=membership.user.email,
        build=lambda: _render_membership_email(
            "membership_decision", to=membership.user.email, language=membership.user.language, context=context
        ),
    )


def send_membership_invitation(
    organisation_id: int, email: str, invited_by_id: int, occasion: str = "", attempt: int = 1
) -> bool:
    """Email a colleague the signed link that makes them a member of the organisation when opened."""
    from events.memberships import invitation_url
    from events.models import Organisation, User

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    inviter = User.objects.filter(pk=invited_by_id, is_active=True).first()
    if organisation is None or inviter is None:
        return False
    invitee = User.objects.filter(email__iexact=email).first()
    context = {
        "organisation": organisation,
        "inviter": inviter,
        "link": invitation_url(organisation_id=organisation_id, email=email, invited_by_id=invited_by_id),
    }
    language = invitee.language if invitee is not None else inviter.language
    return send_or_retry(
        send_membership_invitation,
        (organisation_id, email, invited_by_id, occasion),
        attempt=attempt,
        key=f"membership-invite:{organisation_id}:{email}:{occasion}",
        recipient=email,
        build=lambda: _render_membership_email("membership_invitation", to=email, language=language, context=context),
    )


def send_registration_notice(user_id: int, event_id: int, choices: dict, occasion: str = "", attempt: int = 1) -> bool:
    """Someone without the address's sign-in asked to register its owner: tell the owner, change nothing.

    Already registered: their own link. Otherwise: a link that signs them in to finish the
    registration with what was typed, or to ignore it.
    """
    from events.links import magic_link_url, registration_offer_url
    from events.models import Event, User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    event = Event.objects.filter(pk=event_id).first()
    if user is None or event is None:
        return False
    registration = (
        Registration.objects.filter(user=user, event=event)
        .exclude(status__in=(Registration.Status.CANCELLED, Registration.Status.DECLINED))
        .first()
    )
    if registration is not None:
        template, link = "registration_again", magic_link_url(registration)
    else:
        template, link = "registration_offer", registration_offer_url(user=user, event=event, choices=choices)

    def build() -> EmailMultiAlternatives:
        context = {"event": event, "person": user, "link": link, "site_url": settings.SITE_URL}
        # The owner's own language, not the one whoever typed their address chose.
        with translation.override(user.language or settings.LANGUAGE_CODE), timezone.override(event.tzinfo):
            subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
            text = render_to_string(f"emails/{template}.txt", context)
            html = render_to_string(f"emails/{template}.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
        message.attach_alternative(html, "text/html")
        message.extra_headers["Auto-Submitted"] = "auto-generated"
        return message

    return send_or_retry(
        send_registration_notice,
        (user_id, event_id, choices, occasion),
        attempt=attempt,
        key=f"notice:{user_id}:{event_id}:{occasion}",
        recipient=user.email,
        build=build,
    )


def send_my_link(registration_id: int, occasion: str = "", attempt: int = 1) -> bool:
    """Email a person their own link to this registration again ("send the link again", "email me my link").

    In the language they registered in. Nothing for staff (they sign in with their password, and the
    link would not sign them in) nor for an erased or deactivated account.
    """
    registration = _registration(registration_id)
    if registration is None or not _may_receive_link(registration.user):
        return False
    return send_or_retry(
        send_my_link,
        (registration_id, occasion),
        attempt=attempt,
        key=f"my-link:{registration_id}:{occasion}",
        recipient=registration.user.email,
        build=lambda: render_registration_email(registration, "my_link"),
    )


def send_my_link_to_address(email: str, event_id: int | None, occasion: str = "", attempt: int = 1) -> bool:
    """Someone typed an address into "email me my link": its owner gets their link, anyone else nothing.

    The lookup happens here, in the worker, so the page that asked does the same work (one queued
    task) whether or not the address is known. The link is the one for `event_id` when the person is
    registered for it, else for their next (or latest) event: each signs them in to all their pages.
    """
    from events.models import Event, User

    user = User.objects.filter(email__iexact=email.strip(), is_active=True, erased_at__isnull=True).first()
    if user is None or not _may_receive_link(user):
        return False
    registrations = list(Registration.objects.filter(user=user).select_related("event", "user", "organisation"))
    if not registrations:
        return False
    now = timezone.now()
    ended = (Registration.Status.CANCELLED, Registration.Status.DECLINED)

    def preference(registration: Registration) -> tuple:
        event: Event = registration.event
        upcoming = event.ends_at >= now
        # This event first, then live registrations before cancelled ones, the soonest upcoming
        # event before the latest past one.
        return (
            registration.event_id != event_id,
            registration.status in ended,
            not upcoming,
            event.starts_at.timestamp() if upcoming else -event.starts_at.timestamp(),
        )

    registration = min(registrations, key=preference)
    return send_or_retry(
        send_my_link_to_address,
        (email, event_id, occasion),
        attempt=attempt,
        key=f"my-link:{registration.pk}:{occasion}",
        recipient=user.email,
        build=lambda: render_registration_email(registration, "my_link"),
    )


def _may_receive_link(user: Any) -> bool:
    return user.is_active and user.erased_at is None and not (user.is_staff or user.is_superuser)
