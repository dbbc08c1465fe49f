"""Urgent emails have a queue of their own: a sign-in link never waits behind an import's bulk."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from events import services, tasks
from events.imports import registrations_import
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BULK = 3_000


@pytest.fixture
def queued(monkeypatch):
    # The suite runs tasks inline (Q_CLUSTER sync); here they must wait in the ORM broker.
    monkeypatch.setattr(Conf, "SYNC", False)


def test_urgent_task_is_the_urgent_clusters_first_pick_behind_three_thousand_bulk(queued):
    registration = RegistrationFactory()
    with transaction.atomic():
        for _ in range(BULK):
            tasks.enqueue_email(tasks.send_registration_confirmation, registration.pk, "registered", "import")
    tasks.enqueue_email(tasks.send_my_link, registration.pk, "now", urgent=True)

    assert OrmQ.objects.filter(key=Conf.CLUSTER_NAME).count() == BULK
    # The broker the urgent cluster reads (Q_CLUSTER_NAME=urgent makes it its CLUSTER_NAME).
    picked = get_broker(tasks.URGENT_CLUSTER).dequeue()
    assert len(picked) == 1
    task = SignedPackage.loads(picked[0][1])
    assert task["func"] == "events.tasks.send_my_link"
    assert task["args"] == (registration.pk, "now")
    # The main cluster's broker still hands out the bulk, oldest first, and never the urgent one.
    bulk = get_broker().dequeue()
    assert {SignedPackage.loads(payload)["func"] for _pk, payload in bulk} == {
        "events.tasks.send_registration_confirmation"
    }


def test_enqueue_email_defaults_to_the_bulk_queue(queued):
    registration = RegistrationFactory()
    tasks.enqueue_email(tasks.send_my_link, registration.pk, "later")
    assert list(OrmQ.objects.values_list("key", flat=True)) == [Conf.CLUSTER_NAME]


def _queued(key: str) -> list[str]:
    return [SignedPackage.loads(p)["func"] for p in OrmQ.objects.filter(key=key).values_list("payload", flat=True)]


def test_a_registrants_own_confirmation_is_urgent_and_an_imports_are_bulk(queued):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New Person")
    assert _queued(tasks.URGENT_CLUSTER) == ["events.tasks.send_registration_confirmation"]

    OrmQ.objects.all().delete()
    data = "email,name\n" + "".join(f"p{i}@example.org,Person {i}\n" for i in range(3))
    report = registrations_import(event=event, data=data.encode())
    assert report.imported == 3
    assert _queued(tasks.URGENT_CLUSTER) == []
    assert _queued(Conf.CLUSTER_NAME).count("events.tasks.send_registration_confirmation") == 3
