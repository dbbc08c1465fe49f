"""The live roadmap through the full ASGI application and the real channel layer."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from events import actions
from events.exceptions import InvalidTransition
from events.models import ActionItem
from tests.realtime.helpers import communicator, receive_type, session_cookie, socket_outcome

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/programmes/dex-iraq/roadmap/"


async def _open(user):
    cookie = None if user is None else await database_sync_to_async(session_cookie)(user)
    comm = communicator(PATH, cookie=cookie)
    connected, _code = await comm.connect()
    assert connected
    hello = await receive_type(comm, "hello")
    return comm, hello


async def test_a_status_change_reaches_the_officials_roadmap_with_the_whole_item(prog):
    comm, hello = await _open(prog.delegate_iq)
    assert hello["streams"] == ["programme:dex-iraq:roadmap:officials"]

    @database_sync_to_async
    def snapshot_seq() -> int:
        from events.programme_selectors import roadmap

        return roadmap(programme=prog.programme, user=prog.delegate_iq)["seqs"]["programme:dex-iraq:roadmap:officials"]

    before = await snapshot_seq()
    await database_sync_to_async(actions.action_update)(
        item_id=prog.officials_item.pk,
        actor=prog.rapporteur,
        fields={"status": "in_progress"},
        comment="Drafting started",
    )
    message = await receive_type(comm, "action.changed")
    await comm.disconnect()
    assert message["stream"] == "programme:dex-iraq:roadmap:officials"
    assert message["seq"] == before + 1
    item = message["data"]["item"]
    assert item["id"] == prog.officials_item.pk and item["status"] == "in_progress" and item["overdue"] is True
    assert item["lead_organisation"]["name"] == "Ministry of Labour and Social Affairs"


async def test_the_public_roadmap_never_carries_officials_items(prog):
    comm, hello = await _open(None)
    assert hello["streams"] == ["programme:dex-iraq:roadmap:public"]
    await database_sync_to_async(actions.action_update)(
        item_id=prog.officials_item.pk, actor=prog.rapporteur, fields={"status": "in_progress"}
    )
    await database_sync_to_async(actions.action_update)(
        item_id=prog.public_item.pk, actor=prog.lead_lt, fields={"status": "agreed"}
    )
    message = await receive_type(comm, "action.changed")
    assert message["data"]["item"]["id"] == prog.public_item.pk
    # Made officials-only: the public page is told to take it away, with nothing of it but its id.
    await database_sync_to_async(actions.action_update)(
        item_id=prog.public_item.pk, actor=prog.rapporteur, fields={"visibility": "officials"}
    )
    removed = await receive_type(comm, "action.removed")
    await comm.disconnect()
    assert removed["data"] == {"id": prog.public_item.pk}


async def test_a_refused_change_sends_nothing(prog):
    comm, _hello = await _open(prog.delegate_iq)
    with pytest.raises(InvalidTransition):
        await database_sync_to_async(actions.action_update)(
            item_id=prog.public_item.pk, actor=prog.lead_lt, fields={"status": "done"}
        )
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()
    assert await database_sync_to_async(lambda: ActionItem.objects.get(pk=prog.public_item.pk).status)() == "proposed"


@pytest.mark.parametrize(
    "who, streams",
    [
        (None, ["programme:dex-iraq:roadmap:public"]),
        ("outsider", ["programme:dex-iraq:roadmap:public"]),
        ("official", ["programme:dex-iraq:roadmap:public"]),  # an official of the job fair, not of a dialogue
        ("lead_lt", ["programme:dex-iraq:roadmap:officials"]),
        ("delegate_iq", ["programme:dex-iraq:roadmap:officials"]),
        ("rapporteur", ["programme:dex-iraq:roadmap:officials"]),
        ("organiser", ["programme:dex-iraq:roadmap:officials"]),
    ],
)
async def test_each_role_gets_the_roadmap_stream_it_may_see(prog, actors, who, streams):
    user = None if who is None else (getattr(prog, who, None) or getattr(actors, who))
    assert await socket_outcome(PATH, user) == ("open", streams)


async def test_an_unknown_programme_is_closed_with_4404(prog):
    assert await socket_outcome("/ws/programmes/nope/roadmap/", None) == ("closed", 4404)


@pytest.mark.parametrize(
    "stream, allowed",
    [
        ("programme:dex-iraq:roadmap:public", {None, "outsider", "delegate_iq"}),
        ("programme:dex-iraq:roadmap:officials", {"delegate_iq"}),
        ("programme:dex-iraq:roadmap:secret", set()),
        ("programme:nope:roadmap:public", set()),
        ("programme:dex-iraq:roadmap", set()),
        ("programme:dex-iraq:other:public", set()),
    ],
)
def test_the_one_stream_authorisation_knows_the_roadmap_streams(prog, actors, stream, allowed):
    from events.live_selectors import stream_allowed

    for who in (None, "outsider", "delegate_iq"):
        user = None if who is None else (getattr(prog, who, None) or getattr(actors, who))
        assert stream_allowed(user=user, stream=stream) is (who in allowed), (who, stream)
