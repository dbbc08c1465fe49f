"""Background jobs (django-q2). Each takes primary keys and is safe to run twice."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_q.tasks import async_task

from events.models import EmailLedger, Registration

logger = logging.getLogger(__name__)


def enqueue(func: Any, *args: Any) -> None:
    """Queue a task by dotted path (django-q2 runs it in the cluster; in tests, inline)."""
    async_task(f"{func.__module__}.{func.__name__}", *args)


def send_once(*, key: str, recipient: str, build: Any) -> bool:
    """Send the message `build()` makes unless the ledger already holds `key`. Returns True if sent."""
    with transaction.atomic():
        try:
            EmailLedger.objects.create(key=key[:200], recipient=recipient)
        except IntegrityError:
            return False
        message: EmailMultiAlternatives = build()
        # Sending inside the transaction: if it raises, the ledger row rolls back and a retry sends.
        message.send()
    return True


def _registration_email(registration: Registration, template: str, subject: str) -> EmailMultiAlternatives:
    from events.links import magic_link_url

    context = {
        "registration": registration,
        "event": registration.event,
        "person": registration.user,
        "link": magic_link_url(registration),
        "site_url": settings.SITE_URL,
    }
    with translation.override(registration.language or "en"):
        body = render_to_string(f"emails/{template}.txt", context)
        subject_text = str(subject) % {"event": registration.event.title}
    return EmailMultiAlternatives(subject=subject_text, body=body, to=[registration.user.email])


def send_registration_confirmation(registration_id: int, status: str) -> bool:
    from django.utils.translation import gettext_lazy as _

    registration = Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    if registration is None:
        return False
    subject = _("Waitlisted: %(event)s") if status == Registration.Status.WAITLISTED else _("Registered: %(event)s")
    return send_once(
        key=f"confirm:{registration_id}:{status}",
        recipient=registration.user.email,
        build=lambda: _registration_email(registration, "confirmation", subject),
    )


def send_invitation(registration_id: int) -> bool:
    from django.utils.translation import gettext_lazy as _

    registration = Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.INVITED:
        return False
    return send_once(
        key=f"invite:{registration_id}",
        recipient=registration.user.email,
        build=lambda: _registration_email(registration, "invitation", _("Invitation: %(event)s")),
    )


def send_waitlist_promotion(registration_id: int) -> bool:
    from django.utils.translation import gettext_lazy as _

    registration = Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return False
    return send_once(
        key=f"promoted:{registration_id}",
        recipient=registration.user.email,
        build=lambda: _registration_email(registration, "promoted", _("A place opened up: %(event)s")),
    )
