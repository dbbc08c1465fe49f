"""Every role against every stream: who may see what, checked in the rule and on the sockets."""

from __future__ import annotations

import pytest

from events.live_selectors import stream_allowed
from events.models import Event, Registration
from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from tests.factories import RegistrationFactory, UserFactory
from tests.realtime.helpers import communicator, receive_type, socket_outcome

ACTORS = ("anonymous", "outsider", "candidate", "employer_a", "employer_b", "official", "staff", "organiser")


def _user(actors, name):
    return None if name == "anonymous" else getattr(actors, name)


@pytest.fixture
def people(actors):
    """The shared actors plus door staff, registered at the event in that role."""
    actors.staff = UserFactory(email="door@example.org")
    RegistrationFactory(event=actors.event, user=actors.staff, role=Registration.Role.STAFF)
    return actors


def _expected(p) -> dict[str, set[str]]:
    everyone = set(ACTORS)
    registered = {"candidate", "employer_a", "employer_b", "official", "staff"}
    return {
        "event:job-fair:public": everyone,
        "event:job-fair:attendees": registered | {"organiser"},
        "event:job-fair:role:candidate": {"candidate", "organiser"},
        "event:job-fair:role:employer": {"employer_a", "employer_b", "organiser"},
        "event:job-fair:role:official": {"official", "organiser"},
        "event:job-fair:dashboard": {"organiser"},
        "event:job-fair:control": {"organiser"},
        "event:job-fair:gate:main": {"organiser"},
        f"event:job-fair:employer:{p.org_a.pk}": {"employer_a", "organiser"},
        f"event:job-fair:employer:{p.org_b.pk}": {"employer_b", "organiser"},
        f"user:{p.candidate.pk}": {"candidate"},
        f"user:{p.employer_a.pk}": {"employer_a"},
        f"user:{p.official.pk}": {"official"},
        # Streams of events that do not exist, and names that mean nothing, are nobody's.
        "event:no-such-event:public": set(),
        "event:job-fair:role:candidate:extra": set(),
        "event:job-fair": set(),
        "nonsense": set(),
    }


def test_every_role_against_every_stream(people):
    from django.contrib.auth.models import AnonymousUser

    table = _expected(people)
    wrong = []
    for stream, allowed in table.items():
        for name in ACTORS:
            user = _user(people, name) or AnonymousUser()
            if stream_allowed(user=user, stream=stream) != (name in allowed):
                wrong.append((name, stream, name in allowed))
    assert wrong == []


def test_draft_event_public_stream_is_for_organisers_only(people):
    from django.contrib.auth.models import AnonymousUser

    Event.objects.filter(pk=people.event.pk).update(status=Event.Status.DRAFT)
    assert not stream_allowed(user=AnonymousUser(), stream="event:job-fair:public")
    assert not stream_allowed(user=people.candidate, stream="event:job-fair:public")
    assert stream_allowed(user=people.organiser, stream="event:job-fair:public")


def test_cancelled_registration_loses_the_attendee_streams(people):
    Registration.objects.filter(user=people.candidate).update(status=Registration.Status.CANCELLED)
    assert not stream_allowed(user=people.candidate, stream="event:job-fair:attendees")
    assert not stream_allowed(user=people.candidate, stream="event:job-fair:role:candidate")
    assert stream_allowed(user=people.candidate, stream="event:job-fair:public")


ENDPOINTS = {
    "/ws/events/job-fair/dashboard/": {"organiser"},
    "/ws/events/job-fair/control/": {"organiser"},
    "/ws/events/job-fair/screen/": set(ACTORS),
    "/ws/me/day/": set(ACTORS) - {"anonymous"},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", list(ENDPOINTS))
async def test_every_role_against_every_live_endpoint(people, path):
    for name in ACTORS:
        kind, detail = await socket_outcome(path, _user(people, name))
        if name in ENDPOINTS[path]:
            assert kind == "open", (name, kind, detail)
        else:
            expected = CLOSE_UNAUTHENTICATED if name == "anonymous" else CLOSE_FORBIDDEN
            assert (kind, detail) == ("closed", expected), name


@pytest.mark.django_db(transaction=True)
async def test_my_day_carries_exactly_the_streams_a_registration_allows(people):
    expected = {
        "outsider": [f"user:{people.outsider.pk}"],
        "candidate": [
            f"user:{people.candidate.pk}",
            "event:job-fair:public",
            "event:job-fair:attendees",
            "event:job-fair:role:candidate",
        ],
        "official": [
            f"user:{people.official.pk}",
            "event:job-fair:public",
            "event:job-fair:attendees",
            "event:job-fair:role:official",
        ],
    }
    for name, streams in expected.items():
        assert await socket_outcome("/ws/me/day/", _user(people, name)) == ("open", streams), name


@pytest.mark.django_db(transaction=True)
async def test_employer_board_socket_shows_only_the_own_organisation(people):
    """The matching capability's board socket, checked against the same rule."""
    path = "/ws/matching/job-fair/board/"
    for name, org in (("employer_a", people.org_a), ("employer_b", people.org_b)):
        kind, streams = await socket_outcome(path, _user(people, name))
        assert (kind, streams) == ("open", [f"event:job-fair:employer:{org.pk}"]), name
    for name in ("candidate", "official", "outsider"):
        kind, _detail = await socket_outcome(path, _user(people, name))
        assert kind != "open", name
    assert (await socket_outcome(path, None))[0] != "open"


@pytest.mark.django_db(transaction=True)
async def test_screen_socket_needs_no_login_and_says_hello(people):
    comm = communicator("/ws/events/job-fair/screen/")
    connected, _ = await comm.connect()
    assert connected
    hello = await receive_type(comm, "hello")
    await comm.disconnect()
    assert hello["streams"] == ["event:job-fair:public"]
