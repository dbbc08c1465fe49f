"""WebSocket paths that name no stream: the client learns "not found" from a close code, the server logs nothing.

Without a last route, Channels' URLRouter raises ValueError("No route found") inside the application,
which Daphne logs as a traceback and answers with a 500 handshake.
"""

from __future__ import annotations

import pytest

from realtime.consumers import CLOSE_NOT_FOUND
from tests.realtime.helpers import communicator, connect_and_close_code

UNROUTED = ["/ws/nope/", "/ws/", "/", "/ws/events/\x00/screen/", "/ws/me/day/\x00", "/ws/events/a b/screen/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", UNROUTED)
async def test_unknown_websocket_path_closes_with_not_found(path, caplog):
    code = await connect_and_close_code(communicator(path))

    assert code == CLOSE_NOT_FOUND
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the server log"
