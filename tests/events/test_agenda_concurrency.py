"""Many people taking a session's last places at once through the API: its capacity holds, nobody gets a 500."""

from __future__ import annotations

import threading
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.utils import timezone

from events.models import Registration
from tests.conftest import make_token
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

PEOPLE = 6
PLACES = 2


def test_simultaneous_choices_fill_a_session_exactly_and_refuse_the_rest(transactional_db):
    start = timezone.now() + timedelta(days=3)
    event = EventFactory(slug="last-places", starts_at=start, ends_at=start + timedelta(hours=8))
    workshop = SessionFactory(
        event=event, title="Small workshop", capacity=PLACES, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    registrations = [
        RegistrationFactory(event=event, user=UserFactory(email=f"racer{i}@example.org")) for i in range(PEOPLE)
    ]
    tokens = [make_token(r.user) for r in registrations]
    gate = threading.Barrier(PEOPLE)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def choose(registration, token) -> None:
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            gate.wait()
            response = client.post(f"/api/v1/registrations/{registration.pk}/sessions/{workshop.pk}")
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=choose, args=pair) for pair in zip(registrations, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(status for status, _body in answers) == [200] * PLACES + [409] * (PEOPLE - PLACES), answers
    assert {body["reason"] for status, body in answers if status == 409} == {"session_full"}
    taken = Registration.sessions.through.objects.filter(session=workshop).count()
    assert taken == PLACES
