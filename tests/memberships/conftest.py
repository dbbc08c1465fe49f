"""A job fair where organisation A has private data, and a newcomer who named A in some membership state.

Organisation A (Baltic Code UAB, the shared actors' org_a) has a booth, a lead with a private note
and rating, a meeting and a pending request with the consenting candidate, whose CV is on file.
The `newcomer` registered for the fair naming A; their membership is what each test varies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from events.models import FeedToken, Membership, Organisation, Registration, User
from matching import meetings
from matching.models import CandidateProfile, Lead, Meeting, MeetingRequest
from tests.factories import OrganisationFactory, RegistrationFactory, UserFactory
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair  # noqa: F401

STATES = ("granted", "pending", "refused", "removed")
ROLES = ("employer", "official", "candidate")
PDF = b"%PDF-1.4\n% a CV\n%%EOF\n"
NOTE = "Strong Django; call back about the Vilnius role"


@dataclass
class World:
    actors: object
    org_a: Organisation
    lead: Lead
    meeting: Meeting
    request: MeetingRequest

    @property
    def event(self):
        return self.actors.event

    @property
    def candidate(self) -> User:
        return self.actors.candidate


@pytest.fixture
def world(actors, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    build_fair(actors)
    profile = CandidateProfile.objects.get(user=actors.candidate)
    profile.cv.save("cv.pdf", ContentFile(PDF))
    lead = Lead.objects.create(
        event=actors.event, organisation=actors.org_a, candidate=actors.candidate, rating=5, note=NOTE
    )
    req = meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=actors.candidate,
        sent_by="employer",
        requested_by=actors.employer_a,
    )
    meeting = meetings.meeting_request_respond(request_id=req.pk, user=actors.candidate, accept=True).meeting
    # A second candidate's request stays pending, so the requests list has something to hide.
    other = add_candidate(actors.event, "yusuf@example.org", {"python": 4})
    pending = meetings.meeting_request_create(
        event=actors.event,
        organisation=actors.org_a,
        candidate=other,
        sent_by="employer",
        requested_by=actors.employer_a,
    )
    return World(actors, actors.org_a, lead, meeting, pending)


def newcomer(world: World, *, role: str, state: str, email: str = "newcomer@example.org") -> User:
    """A person registered at the fair in `role`, naming organisation A, with a membership in `state`."""
    user = UserFactory(email=email, full_name="Nadia Newcomer", organisation=world.org_a)
    RegistrationFactory(
        event=world.event, user=user, role=role, organisation=world.org_a, membership=state, delegation="LT"
    )
    assert Membership.objects.get(user=user, organisation=world.org_a).status == state
    return user


def ministry_official(world: World, *, state: str) -> User:
    """An official at the fair for a ministry, with a membership in `state` (for bilateral wishes)."""
    ministry = OrganisationFactory(name="Ministry of Social Security and Labour", country="LT", kind="government")
    user = UserFactory(email="minister@socmin.example", organisation=ministry)
    RegistrationFactory(event=world.event, user=user, role="official", organisation=ministry, membership=state)
    return user


def feed_meeting_uids(client, user: User) -> set[str]:
    import icalendar

    token = FeedToken.objects.get_or_create(user=user, defaults={"key": FeedToken.generate()})[0].key
    r = client.get(f"/calendar/feeds/{token}.ics")
    assert r.status_code == 200
    cal = icalendar.Calendar.from_ical(r.content)
    return {str(ev["UID"]) for ev in cal.walk("VEVENT") if str(ev["UID"]).startswith("meeting-")}


def registration_of(user: User, world: World) -> Registration:
    return Registration.objects.get(event=world.event, user=user)
