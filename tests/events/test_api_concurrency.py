"""Many people taking the last seats at once through the API: capacity holds, nobody gets a 500."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import Client

from events.models import Registration
from tests.conftest import make_token
from tests.factories import EventFactory, UserFactory

PEOPLE = 8
CAPACITY = 3


def test_simultaneous_registrations_fill_capacity_exactly_and_waitlist_the_rest(transactional_db):
    event = EventFactory(slug="last-seats", capacity=CAPACITY)
    people = [UserFactory(email=f"racer{i}@example.org", full_name=f"Racer {i}") for i in range(PEOPLE)]
    tokens = [make_token(person) for person in people]
    start = threading.Barrier(PEOPLE)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def register(person, token) -> None:
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            start.wait()
            response = client.post(
                f"/api/v1/events/{event.slug}/registrations",
                {"name": person.full_name, "email": person.email},
                content_type="application/json",
            )
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=pair) for pair in zip(people, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(status for status, _body in answers) == [201] * PEOPLE, answers
    statuses = sorted(body["status"] for _status, body in answers)
    assert statuses == ["registered"] * CAPACITY + ["waitlisted"] * (PEOPLE - CAPACITY)
    assert event.registrations.filter(status=Registration.Status.REGISTERED).count() == CAPACITY
