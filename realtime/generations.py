"""Generation counters in the shared cache: how processes learn that something they keep has changed.

A process keeps a copy of something it reads often (the door's event, the boards' roster), with
the counter's value read *before* the copy was. Whoever changes the original bumps the counter;
a process whose copy carries another value reads again. A counter that is lost (the cache cleared,
Redis restarted empty) starts again from the current time in milliseconds, above every value it had
before, so no stale copy can match it by chance; a cache that cannot be reached reads as None,
which matches nothing.

With the embedded defaults the cache is the process's own memory (LocMemCache), which no other
process sees: the counters then live in a plain dict of the process, without the cache's lock,
pickling and key checks on every read (the door reads one on every scan).

Why in `realtime/`: like the rest of it, this is plumbing that tells other processes something
changed, and it knows no domain model. Its users sit on every floor (the door's event in checkin,
the boards in matching, the stream sequence numbers in `realtime.publish`), so it lives on the
lowest one, which depends on no domain app: every import of it runs downwards.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

logger = logging.getLogger(__name__)

_local: dict[str, int] = {}
_local_lock = threading.Lock()


def cache_is_process_local() -> bool:
    """Whether the default cache is this process's own memory (the embedded defaults)."""
    return isinstance(caches["default"], LocMemCache)


def _start() -> int:
    return int(time.time() * 1000)


def read(key: str) -> int | None:
    """The counter's value now (starting it if it is missing), or None when the cache is down."""
    if cache_is_process_local():
        value = _local.get(key)
        if value is None:
            with _local_lock:
                value = _local.setdefault(key, _start())
        return value
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, _start(), timeout=None)
            value = cache.get(key)
    except Exception:
        return None
    return None if value is None else int(value)


def read_many(keys: list[str]) -> dict[str, int | None]:
    """Several counters in one round trip (missing ones are started as in `read`)."""
    if cache_is_process_local():
        return {key: read(key) for key in keys}
    try:
        got = cache.get_many(keys)
    except Exception:
        return dict.fromkeys(keys)
    return {key: int(got[key]) if got.get(key) is not None else read(key) for key in keys}


def bump(key: str) -> bool:
    """Tell every process that what this counter guards changed. Never raises; False when the
    cache could not be reached (its readers then read None, which matches no copy)."""
    if cache_is_process_local():
        with _local_lock:
            _local[key] = _local.get(key, _start()) + 1
        return True
    for _attempt in range(2):
        try:
            cache.incr(key)
            return True
        except ValueError:  # missing: start it (above any earlier value), then count
            try:
                cache.add(key, _start(), timeout=None)
            except Exception:
                break
        except Exception:
            break
    logger.warning("cannot bump the version counter %s", key)
    return False


def bump_around_commit(key: str) -> None:
    """`bump` now and again once the current transaction commits (for model signals, which fire
    before the commit): a copy read between the two saw the old rows."""
    bump(key)
    transaction.on_commit(lambda: bump(key), robust=True)
