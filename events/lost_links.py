"""A person who lost their emailed link asks for it again, or an organiser sends it again.

Both queue the email on the urgent queue (events.tasks.enqueue_email): the person is waiting for it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from events import tasks
from events.models import Event, Registration


def send_link_again(registration: Registration) -> None:
    """Email the person their own link to `registration` again, in their language ("send the link again").

    For the admin's action and any other organiser tool: the email goes out after the current
    transaction commits, on the urgent queue, once per call (each call is a new occasion). Nothing is
    sent to staff accounts (they sign in with a password) nor to erased or deactivated ones.
    """
    occasion = timezone.now().isoformat()
    pk = registration.pk
    transaction.on_commit(lambda: tasks.enqueue_email(tasks.send_my_link, pk, occasion, urgent=True))


def link_request(*, email: str, event: Event | None = None) -> None:
    """ "Email me my link": queue the email for whoever owns `email`, found by the worker.

    The caller does the same work, and answers the same, whether or not the address is known here;
    the caller rate-limits (config/ratelimit.py, the "registration" scope that also bounds the links
    registering sends).
    """
    event_id = event.pk if event is not None else None
    occasion = timezone.now().isoformat()
    transaction.on_commit(
        lambda: tasks.enqueue_email(tasks.send_my_link_to_address, email, event_id, occasion, urgent=True)
    )
