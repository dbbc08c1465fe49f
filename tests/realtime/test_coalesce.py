"""realtime.coalesce: a lone change at once, a burst once per interval with all its items, keys apart."""

from __future__ import annotations

import threading
import time

from realtime.coalesce import Coalescer


class Recorder:
    """A send function that notes what it was given and when, and can be made to fail."""

    def __init__(self, fail_on: object = None) -> None:
        self.calls: list[tuple[object, set, float]] = []
        self.fail_on = fail_on
        self.arrived = threading.Condition()

    def __call__(self, key: object, items: set) -> None:
        with self.arrived:
            self.calls.append((key, set(items), time.monotonic()))
            self.arrived.notify_all()
        if self.fail_on in items:
            raise RuntimeError("send failed")

    def wait_for(self, n: int, timeout: float = 5.0) -> list[tuple[object, set, float]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.calls) >= n, timeout)
            return list(self.calls)


def _idle(coalescer: Coalescer, key: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while coalescer.busy(key) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not coalescer.busy(key)


def test_a_lone_change_is_sent_at_once_and_ends_its_burst():
    sent = Recorder()
    coalescer = Coalescer(sent, lambda: 0.6, "test")
    started = time.monotonic()
    coalescer.add("fair", "Main")
    [(key, items, at)] = sent.wait_for(1)
    assert (key, items) == ("fair", {"Main"})
    assert at - started < 0.3
    assert _idle(coalescer, "fair")
    assert len(sent.calls) == 1  # an empty window sends nothing


def test_a_burst_is_sent_once_at_the_end_of_the_window_with_every_item():
    sent = Recorder()
    coalescer = Coalescer(sent, lambda: 0.5, "test")
    coalescer.add("fair", "Main")
    sent.wait_for(1)
    for gate in ("North", "South", "North", "Main"):
        coalescer.add("fair", gate)
    calls = sent.wait_for(2)
    assert len(calls) == 2
    (_k, first, t1), (_k2, second, t2) = calls
    assert first == {"Main"} and second == {"North", "South", "Main"}
    assert t2 - t1 >= 0.45
    assert _idle(coalescer, "fair")
    assert len(sent.calls) == 2


def test_a_steady_stream_costs_one_send_per_interval():
    sent = Recorder()
    coalescer = Coalescer(sent, lambda: 0.2, "test")
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < 1.0:
        coalescer.add("fair", n)
        n += 1
        time.sleep(0.005)
    assert _idle(coalescer, "fair")
    # About 1 s / 0.2 s plus the last trailing send; nowhere near one per change.
    assert n > 50
    assert 4 <= len(sent.calls) <= 8
    assert set().union(*(items for _k, items, _t in sent.calls)) == set(range(n))


def test_keys_are_coalesced_apart():
    sent = Recorder()
    coalescer = Coalescer(sent, lambda: 0.5, "test")
    coalescer.add("fair", 1)
    coalescer.add("dialogue", 2)
    calls = sent.wait_for(2)
    assert sorted((k, tuple(i)) for k, i, _t in calls) == [("dialogue", (2,)), ("fair", (1,))]
    assert _idle(coalescer, "fair") and _idle(coalescer, "dialogue")


def test_a_failing_send_is_logged_and_the_burst_goes_on(caplog):
    sent = Recorder(fail_on="boom")
    coalescer = Coalescer(sent, lambda: 0.3, "test")
    coalescer.add("fair", "boom")
    sent.wait_for(1)
    coalescer.add("fair", "after")
    calls = sent.wait_for(2)
    assert calls[1][1] == {"after"}
    assert _idle(coalescer, "fair")
    assert "test: cannot publish for fair" in caplog.text
    coalescer.add("fair", "again")  # a new burst starts after the failure
    assert sent.wait_for(3)[2][1] == {"again"}
    assert _idle(coalescer, "fair")


def test_interval_zero_sends_every_change_inline():
    sent = Recorder()
    coalescer = Coalescer(sent, lambda: 0, "test")
    for gate in ("Main", "Main", "Side"):
        coalescer.add("fair", gate)
    assert [items for _k, items, _t in sent.calls] == [{"Main"}, {"Main"}, {"Side"}]
    assert not coalescer.busy("fair")
