"""Two workers syncing and sending the same person's calendar at once still send each message once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from events import calendar_mail
from events.models import CalendarDelivery
from tests.calendar.mailbox import calendar_mails
from tests.factories import EventFactory, RegistrationFactory


@pytest.mark.django_db(transaction=True)
def test_parallel_syncs_and_sends_deliver_once():
    event = EventFactory(
        slug="race", starts_at=datetime(2026, 5, 1, 7, tzinfo=UTC), ends_at=datetime(2026, 5, 1, 15, tzinfo=UTC)
    )
    reg = RegistrationFactory(event=event)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            calendar_mail.sync_registration(reg.pk)
            for pk in CalendarDelivery.objects.values_list("pk", flat=True):
                calendar_mail.deliver(pk)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert CalendarDelivery.objects.count() == 1
    assert CalendarDelivery.objects.get().status == CalendarDelivery.Status.SENT
    assert len(calendar_mails()) == 1
