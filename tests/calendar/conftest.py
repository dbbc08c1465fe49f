"""Events on both sides of Vilnius's spring change and in Baghdad (no daylight saving time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events.models import Event, Session
from tests.factories import EventFactory, RoomFactory, SessionFactory


@pytest.fixture
def dst_event(db) -> Event:
    """A Vilnius event over the night clocks go forward (29 March 2026, 03:00 EET → 04:00 EEST)."""
    return EventFactory(
        slug="dst-fair",
        title="Spring Job Fair",
        timezone="Europe/Vilnius",
        starts_at=datetime(2026, 3, 28, 7, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 29, 15, 0, tzinfo=UTC),
    )


@pytest.fixture
def baghdad_event(db) -> Event:
    return EventFactory(
        slug="baghdad-dialogue",
        title="Baghdad Policy Dialogue",
        timezone="Asia/Baghdad",
        venue="Baghdad",
        starts_at=datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 29, 14, 0, tzinfo=UTC),
    )


def add_session(event: Event, title: str, start: datetime, minutes: int = 60, **kw) -> Session:
    from datetime import timedelta

    return SessionFactory(event=event, title=title, starts_at=start, ends_at=start + timedelta(minutes=minutes), **kw)


@pytest.fixture
def dst_sessions(dst_event):
    room = RoomFactory(event=dst_event, name="Hall A")
    return {
        # 10:00 EET (UTC+2) on Saturday, 10:00 EEST (UTC+3) on Sunday.
        "before": add_session(dst_event, "Before the change", datetime(2026, 3, 28, 8, 0, tzinfo=UTC), room=room),
        "after": add_session(
            dst_event, "After the change", datetime(2026, 3, 29, 7, 0, tzinfo=UTC), room=room, track="Digital skills"
        ),
        "registered": add_session(
            dst_event,
            "Attendees only",
            datetime(2026, 3, 29, 9, 0, tzinfo=UTC),
            audience=Session.Audience.REGISTERED,
        ),
        "officials": add_session(
            dst_event,
            "Ministers' round table",
            datetime(2026, 3, 29, 11, 0, tzinfo=UTC),
            audience=Session.Audience.OFFICIALS,
        ),
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service and everything it schedules after commit (tasks run inline in tests)."""

    def _run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return _run
