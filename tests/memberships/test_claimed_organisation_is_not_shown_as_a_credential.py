"""Beside a person's name, an organisation appears only once their membership is granted: on the
public attendee list and on the printed badge (both a credential of sorts at the fair)."""

from __future__ import annotations

import pytest

from checkin.reports import badge_registrations
from checkin.services import tickets_issue_for_event
from checkin.tasks import badge_for
from events.models import Registration
from tests.factories import RegistrationFactory, UserFactory
from tests.memberships.conftest import STATES


@pytest.mark.parametrize("state", STATES)
def test_attendee_list_names_the_organisation_only_of_granted_members(actors, client, state):
    Registration.objects.filter(event=actors.event).update(consent_attendee_list=False)
    user = UserFactory(email="ivan@example.org", full_name="Ivan Newcomer")
    RegistrationFactory(
        event=actors.event,
        user=user,
        role="employer",
        organisation=actors.org_a,
        membership=state,
        consent_attendee_list=True,
    )
    body = client.get("/events/job-fair/").content.decode()
    assert "Ivan Newcomer" in body
    assert ("Baltic Code UAB" in body) == (state == "granted")


@pytest.mark.parametrize("state", STATES)
def test_badge_prints_the_organisation_only_for_granted_members(actors, state):
    user = UserFactory(email="ivan@example.org", full_name="Ivan Newcomer", organisation=actors.org_a)
    reg = RegistrationFactory(
        event=actors.event, user=user, role="employer", organisation=actors.org_a, membership=state
    )
    tickets_issue_for_event(event=actors.event)
    expected = "Baltic Code UAB" if state == "granted" else ""
    # One badge printed from the registration page, and the whole event's batch.
    assert badge_for(Registration.objects.get(pk=reg.pk)).organisation == expected
    batch = {r.user_id: badge_for(r) for r in badge_registrations(event=actors.event)}
    assert batch[user.pk].organisation == expected
