"""config/redis_pool.py: every thread's Redis cache shares one connection pool per process."""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache

from config.redis_pool import SharedConnectionPool

URL = "redis://127.0.0.1:1/3"  # never connected to: pools connect lazily


def test_the_same_server_and_options_give_the_same_pool():
    first = SharedConnectionPool.from_url(URL, socket_timeout=1)
    assert SharedConnectionPool.from_url(URL, socket_timeout=1) is first
    assert SharedConnectionPool.from_url(URL, socket_timeout=2) is not first
    assert SharedConnectionPool.from_url("redis://127.0.0.1:1/4", socket_timeout=1) is not first


def test_cache_instances_of_different_threads_share_it():
    """Django keeps a cache instance per thread, and Daphne runs each request on its own thread."""
    options = {"socket_connect_timeout": 1, "pool_class": "config.redis_pool.SharedConnectionPool"}
    pools = []

    def request() -> None:
        cache = RedisCache(URL, {"OPTIONS": options})
        client = cache._cache.get_client(write=True)
        pools.append(client.connection_pool)

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pools) == 3 and pools[0] is pools[1] is pools[2]
    assert isinstance(pools[0], SharedConnectionPool)
