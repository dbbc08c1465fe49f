"""The live pages' tests: the actors' job fair happening now, with door staff, and a way to scan people in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkin.selectors import event_for_scanning
from checkin.services import checkin_scan
from events.models import Registration
from tests.checkin.conftest import payload_for
from tests.factories import RegistrationFactory, UserFactory


@pytest.fixture
def fair(actors):
    """The actors' job fair, open for check-in now, with a door volunteer."""
    event = actors.event
    event.starts_at = timezone.now() - timedelta(hours=2)
    event.ends_at = timezone.now() + timedelta(hours=6)
    event.status = event.Status.LIVE
    event.save()
    actors.volunteer = UserFactory(email="door@example.org", full_name="Dina Door")
    RegistrationFactory(event=event, user=actors.volunteer, role=Registration.Role.STAFF)
    return actors


def scan_in(actors, user, *, gate: str, at=None):
    """`user` walks in through `gate` (at `at`, as a phone that was offline reports it), through the real door."""
    payload = payload_for(user, actors.event)
    return checkin_scan(
        event=event_for_scanning(slug=actors.event.slug), payload=payload, gate=gate, user=actors.volunteer,
        scanned_at=at,
    )  # fmt: skip
