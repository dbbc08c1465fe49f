"""Calendar feed URLs with garbage in them answer 404, on SQLite and on PostgreSQL (which refuses NUL)."""

from __future__ import annotations

import pytest

from events.feeds import feed_url_for

GARBAGE_TOKENS = ["a\x00b", "\x00", "é" * 10, "a b", "x" * 65, "%ff", "../../etc/passwd"]


@pytest.mark.parametrize("token", GARBAGE_TOKENS)
def test_personal_feed_with_a_garbage_token_is_not_found(db, client, token):
    response = client.get(f"/calendar/feeds/{token}.ics")

    # A NUL is refused at the door (400) by config.middleware; anything else is simply not a feed.
    assert response.status_code == (400 if "\x00" in token else 404)


def test_personal_feed_with_a_real_token_still_works(actors, client):
    response = client.get(feed_url_for(actors.candidate))

    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR")
