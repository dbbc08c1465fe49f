"""The check-in hook's worker thread: arrivals queued while a subscriber is busy reach it as one batch."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from django.test import override_settings

from checkin import hooks


def info(n: int) -> hooks.CheckinInfo:
    return hooks.CheckinInfo(
        event_id=1,
        event_slug="job-fair",
        registration_id=n,
        user_id=n,
        role="candidate",
        session_id=None,
        gate="Main",
        direction="in",
        at=datetime.now(UTC),
        scan_id=n,
    )


@override_settings(CHECKIN_HOOKS_INLINE=False)
def test_arrivals_queued_while_the_subscriber_is_busy_come_as_one_batch_in_order() -> None:
    batches: list[list[int]] = []
    singles: list[int] = []
    busy = threading.Event()
    release = threading.Event()
    done = threading.Event()

    def batch(infos: list[hooks.CheckinInfo]) -> None:
        batches.append([i.scan_id for i in infos])
        if len(batches) == 1:
            busy.set()
            release.wait(5)
        if sum(map(len, batches)) == 6:
            done.set()

    def single(i: hooks.CheckinInfo) -> None:
        singles.append(i.scan_id)

    hooks.on_checkin(batch, batch=True)
    hooks.on_checkin(single)
    try:
        hooks._dispatch(info(1))
        assert busy.wait(5)
        for n in range(2, 7):
            hooks._dispatch(info(n))
        release.set()
        assert done.wait(5)
    finally:
        hooks.off_checkin(batch)
        hooks.off_checkin(single)
    assert batches == [[1], [2, 3, 4, 5, 6]]
    # One-at-a-time subscribers still get every arrival, in order.
    assert singles == [1, 2, 3, 4, 5, 6]


@override_settings(CHECKIN_HOOKS_INLINE=False)
def test_a_failing_batch_subscriber_does_not_stop_the_others() -> None:
    got = threading.Event()

    def broken(infos):
        raise RuntimeError("subscriber bug")

    def fine(infos):
        got.set()

    hooks.on_checkin(broken, batch=True)
    hooks.on_checkin(fine, batch=True)
    try:
        hooks._dispatch(info(1))
        assert got.wait(5)
    finally:
        hooks.off_checkin(broken)
        hooks.off_checkin(fine)


def test_inline_delivery_hands_batch_subscribers_a_list_of_one() -> None:
    seen = []
    hooks.on_checkin(seen.append, batch=True)
    try:
        with override_settings(CHECKIN_HOOKS_INLINE=True):
            hooks._dispatch(info(7))
    finally:
        hooks.off_checkin(seen.append)
    assert [[i.scan_id for i in batch] for batch in seen] == [[7]]
