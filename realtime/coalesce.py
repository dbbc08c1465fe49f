"""Coalescing bursts of changes into few live publications: leading edge, then one trailing.

Some live messages are snapshots that cost a query to compute (check-in counts, meeting counts).
Computing one for every change would cost more than the changes at a busy door, yet a lone change
should reach the screens at once. So, per key (an event) and per process:

- the first change after a quiet spell is published at once (on a thread of its own, so the
  request that caused it does not wait for the query), and opens a window of `interval` seconds;
- changes within the window are gathered; when it closes they are published together, once,
  which opens the next window;
- a window in which nothing happened ends the burst: the next change is a leading edge again.

So a lone change costs one publication, right away, and a burst costs at most one publication per
interval, the last of which reflects every change in it. With `interval <= 0` every change is
published at once, inline (tests).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from asgiref.sync import SyncToAsync
from django.db import connection

logger = logging.getLogger(__name__)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop on whose behalf this thread runs (a Daphne request's loop), if any."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or not loop.is_running():
        return None
    return loop


class Coalescer:
    """Calls `send(key, items)` for changes `add(key, item)`ed, coalesced per key as described above."""

    def __init__(self, send: Callable[[Any, set[Any]], None], interval: Callable[[], float], name: str) -> None:
        self._send = send
        self._interval = interval
        self._name = name
        self._lock = threading.Lock()
        # A key is here while its burst lasts; the value gathers the items of the open window.
        self._windows: dict[Hashable, set[Any]] = {}

    def add(self, key: Hashable, item: Any = None) -> None:
        """Note a change; call it after the commit (the publication reads the committed state)."""
        self.add_many(key, {item})

    def add_many(self, key: Hashable, items: set[Any]) -> None:
        """Note several changes of one key at once (they travel in the same publication)."""
        interval = self._interval()
        if interval <= 0:
            self._send_logged(key, set(items))
            return
        with self._lock:
            window = self._windows.get(key)
            if window is not None:
                window.update(items)
                return
            self._windows[key] = set()
        thread = threading.Thread(
            target=self._burst,
            args=(key, set(items), interval, _server_loop()),
            name=f"{self._name}-{key}",
            daemon=True,
        )
        thread.start()

    def busy(self, key: Hashable) -> bool:
        """Whether a burst is open for `key` (for tests and diagnostics)."""
        with self._lock:
            return key in self._windows

    def _send_logged(self, key: Hashable, items: set[Any]) -> None:
        try:
            self._send(key, items)
        except Exception:
            logger.warning("%s: cannot publish for %s", self._name, key, exc_info=True)

    def _burst(self, key: Hashable, items: set[Any], interval: float, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is not None:
            # Send as the request that started the burst would: through its server's loop
            # (realtime.publish.send_now hands messages over with call_soon_threadsafe). A loop of
            # this thread's own would put messages into the in-memory layer's queues without waking
            # the server's loop that reads them, so they would sit there until something else did.
            SyncToAsync.threadlocal.main_event_loop = loop
            SyncToAsync.threadlocal.main_event_loop_pid = os.getpid()
        try:
            while True:
                started = time.monotonic()
                self._send_logged(key, items)
                # The window counts from the start of the publication, so a burst costs at most
                # one publication per interval however long each takes.
                wait = interval - (time.monotonic() - started)
                if wait > 0:
                    time.sleep(wait)
                with self._lock:
                    items = self._windows.get(key) or set()
                    if not items:
                        self._windows.pop(key, None)
                        return
                    self._windows[key] = set()
        except BaseException:
            with self._lock:
                self._windows.pop(key, None)
            raise
        finally:
            # This thread opened its own database connection; do not leave it behind.
            connection.close()
