"""Fixtures for check-in tests: an event open for check-in now, door staff, tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from checkin import services
from checkin.selectors import ticket_payload
from events.models import Registration
from tests.factories import RegistrationFactory, UserFactory


@pytest.fixture(autouse=True)
def _counts_at_once(settings):
    # Publish live counts right after the commit instead of coalescing on a timer thread, except in
    # the run with production timing (TEST_PRODUCTION_TIMING=1), which keeps the timer.
    if not getattr(settings, "PRODUCTION_TIMING", False):
        settings.CHECKIN_COUNTS_INTERVAL = 0
    cache.clear()


@pytest.fixture
def live(actors):
    """The actors' job fair, happening now, with a door-staff volunteer."""
    event = actors.event
    event.starts_at = timezone.now() - timedelta(hours=1)
    event.ends_at = timezone.now() + timedelta(hours=6)
    event.status = event.Status.LIVE
    event.save()
    volunteer = UserFactory(email="door@example.org", full_name="Dina Door")
    RegistrationFactory(event=event, user=volunteer, role=Registration.Role.STAFF)
    actors.volunteer = volunteer
    return actors


def payload_for(user, event) -> str:
    registration = Registration.objects.get(user=user, event=event)
    return ticket_payload(services.ticket_issue(registration=registration))


@pytest.fixture
def payload_of():
    return payload_for
