"""One Redis connection pool per process for Django's Redis cache, whichever thread asks.

Django keeps a cache backend instance per thread, each with a connection pool of its own, and
Daphne runs every HTTP request on a thread of its own: on Redis, every request that touched the
cache (a door scan reads its event's version counter and numbers its live messages) opened a new
connection (connect, SELECT, CLIENT SETINFO) and left it to close when its thread's instance was
collected. With this class as the cache's `pool_class` (`CACHES["default"]["OPTIONS"]`) every
instance in the process shares one pool per server and options. Figures: docs/checkin.md,
"Measured" (2026-12-05). redis-py's pools are thread-safe, and a forked child makes its own.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from redis import ConnectionPool

_lock = threading.Lock()
_pools: dict[tuple[Any, ...], ConnectionPool] = {}


class SharedConnectionPool(ConnectionPool):
    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> ConnectionPool:
        key = (os.getpid(), url, *sorted(kwargs.items(), key=lambda item: item[0]))
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = super().from_url(url, **kwargs)
            return pool
