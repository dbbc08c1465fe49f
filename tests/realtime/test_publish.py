from __future__ import annotations

import logging
import os
import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async as sync_to_async
from django.db import transaction
from django.test import override_settings

from events import services
from events.models import Registration
from realtime.publish import current_seq, publish_on_commit, send_now
from tests.factories import EventFactory
from tests.realtime.helpers import Listener
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def _broken_redis() -> dict:
    """Settings pointing the channel layer and the cache at a port where no Redis listens."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    return {
        "CHANNEL_LAYERS": {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}},
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}},
    }


@sync_to_async
def _publish_in_transaction(stream: str, data: dict, *, fail: bool = False) -> None:
    with transaction.atomic():
        publish_on_commit(stream, "thing.changed", data)
        if fail:
            raise RuntimeError("rolled back")


async def test_message_leaves_only_after_commit():
    async with Listener("event:commit:public") as listener:

        @sync_to_async
        def publish_and_peek() -> None:
            with transaction.atomic():
                publish_on_commit("event:commit:public", "thing.changed", {"n": 1})
                # Still inside the transaction: nothing may have left yet.
                assert async_to_sync(listener.next)(0.3) is None

        await publish_and_peek()
        message = await listener.next()
    assert message is not None
    assert message["type"] == "thing.changed"
    assert message["stream"] == "event:commit:public"
    assert message["data"] == {"n": 1}
    assert isinstance(message["seq"], int)
    assert abs(message["ts"] - time.time()) < 5


async def test_data_given_as_a_function_is_read_after_the_commit():
    async with Listener("event:later:public") as listener:

        @sync_to_async
        def change() -> None:
            seen = {"n": 1}
            with transaction.atomic():
                publish_on_commit("event:later:public", "thing.changed", lambda: dict(seen))
                publish_on_commit("event:later:public", "thing.skipped", lambda: None)
                seen["n"] = 2  # what the commit leaves, not what was there when publishing was asked

        await change()
        message = await listener.next()
        assert await listener.next(timeout=0.3) is None
    assert (message["type"], message["data"]) == ("thing.changed", {"n": 2})


async def test_snapshots_asked_for_several_times_in_one_transaction_are_computed_and_sent_once():
    async with Listener("event:batch:public") as listener:
        computed = []

        @sync_to_async
        def change() -> None:
            with transaction.atomic():
                for n in range(3):
                    publish_on_commit("event:batch:public", "thing.changed", lambda n=n: computed.append(n) or {"n": n})
            # A later transaction still gets its own.
            publish_on_commit("event:batch:public", "thing.changed", lambda: {"n": "again"})

        await change()
        first, second = await listener.next(), await listener.next()
        assert await listener.next(timeout=0.3) is None
    assert computed == [2]
    assert (first["data"], second["data"]) == ({"n": 2}, {"n": "again"})


async def test_rolled_back_transaction_sends_nothing():
    async with Listener("event:rollback:public") as listener:
        with pytest.raises(RuntimeError):
            await _publish_in_transaction("event:rollback:public", {"n": 1}, fail=True)
        assert await listener.next(timeout=0.3) is None


async def test_seq_increases_by_one_per_stream_and_streams_count_separately():
    async with Listener("event:a:public") as a, Listener("event:b:public") as b:
        for n in range(3):
            await sync_to_async(send_now)("event:a:public", "tick", {"n": n})
        await sync_to_async(send_now)("event:b:public", "tick", {"n": 0})
        seqs_a = [(await a.next())["seq"] for _ in range(3)]
        seq_b = (await b.next())["seq"]
    assert seqs_a[1] == seqs_a[0] + 1 and seqs_a[2] == seqs_a[1] + 1
    # A snapshot taken now names the last message sent, so a client knows where it stands.
    assert current_seq("event:a:public") == seqs_a[2]
    assert current_seq("event:b:public") == seq_b


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="a shared cache (REDIS_URL); in memory, counters are the process's own"
)
def test_lost_counter_resumes_above_every_number_used_before():
    from django.core.cache import cache

    first = send_now("event:lost:public", "tick", {})
    cache.delete("rt:seq:event:lost:public")  # as when Redis restarts empty
    second = send_now("event:lost:public", "tick", {})
    assert first is not None and second is not None
    assert second["seq"] > first["seq"]


def test_send_now_from_inside_an_event_loop_schedules_instead_of_failing():
    import asyncio

    from tests.realtime.helpers import Listener as _Listener

    async def scenario() -> dict | None:
        async with _Listener("event:loop:public") as listener:
            sent = send_now("event:loop:public", "tick", {"x": 1})  # called on the loop's own thread
            assert sent is not None
            return await listener.next()

    received = asyncio.run(scenario())
    assert received is not None and received["data"] == {"x": 1}


def test_publish_never_raises_when_the_layer_is_down(caplog):
    event = EventFactory(slug="down", capacity=10)
    with override_settings(**_broken_redis()), caplog.at_level(logging.WARNING, logger="realtime.publish"):
        started = time.monotonic()
        # A domain service that publishes after commit: the registration is saved all the same.
        registration = services.registration_create(event=event, email="kept@example.org", full_name="Kept")
        assert send_now("event:down:public", "tick", {}) is None
        elapsed = time.monotonic() - started
    assert Registration.objects.filter(pk=registration.pk, status=Registration.Status.REGISTERED).exists()
    assert "channel layer unavailable" in caplog.text
    # Nobody waits long for a live update that cannot be delivered.
    assert elapsed < 10


def test_publish_with_a_wrong_redis_url_drops_the_message_without_raising(caplog):
    with override_settings(**_broken_redis()), caplog.at_level(logging.WARNING, logger="realtime.publish"):
        with transaction.atomic():
            publish_on_commit("event:wrong:public", "thing.changed", {})
        # The seq could not be taken either; a message would have said so with "seq": null.
        assert current_seq("event:wrong:public") is None
    assert "cannot increment seq" in caplog.text or "channel layer unavailable" in caplog.text


async def test_messages_from_a_request_thread_leave_in_seq_order():
    """Sync code run for the server's loop hands messages over without waiting, in order."""
    async with Listener("event:order:public") as listener:

        @sync_to_async
        def burst() -> list[int]:
            return [send_now("event:order:public", "tick", {"n": n})["seq"] for n in range(20)]

        handed = await burst()
        received = [(await listener.next())["seq"] for _ in range(20)]
    assert received == handed == sorted(handed)


async def test_a_thread_of_the_servers_own_hands_messages_to_its_loop_at_once():
    """A thread no request started (the check-in hooks' worker, a timer) wakes the server's loop."""
    import asyncio
    import threading

    from realtime.publish import server_loop_started

    async with Listener("event:hook:public") as listener:
        server_loop_started(asyncio.get_running_loop())  # as every consumer does when a socket opens
        sent_at: list[float] = []

        def hook() -> None:
            time.sleep(0.2)  # the loop is asleep, waiting for the listener's message
            sent_at.append(time.monotonic())
            send_now("event:hook:public", "tick", {"n": 1})

        threading.Thread(target=hook).start()
        message = await listener.next(timeout=3)
        received_at = time.monotonic()
    assert message is not None and message["data"] == {"n": 1}
    # Sent from a loop of the thread's own, the message waited until something else woke this loop.
    assert received_at - sent_at[0] < 1.0
