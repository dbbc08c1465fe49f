"""The employer board's WebSocket: refused in connect(), before anything is joined, until granted."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from events.memberships import membership_decide
from events.models import Membership
from realtime.consumers import CLOSE_FORBIDDEN
from tests.memberships.conftest import ROLES, STATES, newcomer
from tests.realtime.helpers import socket_outcome

PATH = "/ws/matching/job-fair/board/"


async def _outcome(user) -> tuple[str, object]:
    return await socket_outcome(PATH, user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
async def test_board_socket_opens_only_for_a_granted_employer(actors, role, state):
    person = await database_sync_to_async(newcomer)(_World(actors), role=role, state=state)
    kind, detail = await _outcome(person)
    if role == "employer" and state == "granted":
        assert (kind, detail) == ("open", [f"event:job-fair:employer:{actors.org_a.pk}"])
    else:
        # Closed with "forbidden" before joining the stream: no hello, no board message ever.
        assert (kind, detail) == ("closed", CLOSE_FORBIDDEN)


@pytest.mark.django_db(transaction=True)
async def test_removing_a_member_closes_the_board_to_their_next_connection(actors):
    kind, _streams = await _outcome(actors.employer_a)
    assert kind == "open"

    def remove():
        membership = Membership.objects.get(user=actors.employer_a, organisation=actors.org_a)
        membership_decide(membership=membership, status="removed", by=actors.organiser)

    await database_sync_to_async(remove)()
    assert await _outcome(actors.employer_a) == ("closed", CLOSE_FORBIDDEN)


class _World:
    """Just enough of the `world` fixture for `newcomer` (the socket tests need no fair)."""

    def __init__(self, actors) -> None:
        self.event = actors.event
        self.org_a = actors.org_a
