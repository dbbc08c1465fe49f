"""An API token's "last used" is the last time it changed something, to the minute: reads leave no trace."""

from __future__ import annotations

from datetime import timedelta

from events.models import ApiToken


def test_reads_leave_no_trace_and_writes_are_recorded_once_a_minute(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser, "CRM"))
    token = ApiToken.objects.get(user=actors.organiser)
    assert client.get("/api/v1/events").status_code == 200
    assert client.get(f"/api/v1/events/{actors.event.slug}/registrations").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is None

    assert client.patch(f"/api/v1/events/{actors.event.slug}", {"venue": "Hall B"}).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.patch(f"/api/v1/events/{actors.event.slug}", {"venue": "Hall C"}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.patch(f"/api/v1/events/{actors.event.slug}", {"venue": "Hall D"}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= first
