"""Two organisers clicking "issue to all who completed" at the same moment: one certificate per trainee, no 500."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import Client

from matching.certificate_models import Certificate
from tests.certificates.course import completed_course
from tests.factories import UserFactory

CLICKS = 4


def test_simultaneous_issue_all_clicks_make_one_certificate_each(transactional_db, actors):
    course = completed_course(actors)
    organisers = [actors.organiser] + [
        UserFactory(email=f"organiser{i}@example.org", is_staff=True) for i in range(CLICKS - 1)
    ]
    path = f"/certificates/training/{course.event.slug}/"
    gate = threading.Barrier(CLICKS)
    statuses: list[int] = []
    lock = threading.Lock()

    def click(user) -> None:
        try:
            client = Client()
            client.force_login(user)
            gate.wait()
            response = client.post(path, {"action": "issue_all"})
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in organisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses == [302] * CLICKS
    assert list(Certificate.objects.values_list("user_id", flat=True)) == [actors.candidate.pk]
