"""Rate limits per client address and per account, counted in Django's cache.

One call at the top of a handler: `ratelimit.hit("registration", request=request, account=email)`.
It counts the attempt against the address and, when given, the account (a person's email or a
signed-in user), and raises `RateLimited` once either is past its limit for the current window. The
API turns that into `429 {"status": "error", "reason": "rate_limited"}` with `Retry-After`
(config/api.py); pages get the translated "try again in N minutes" page with status 429
(config/middleware.py). Limits are settings (`RATE_LIMITS`, from `RATE_LIMIT_*` variables).

The counters live in the default cache: Redis when `REDIS_URL` is set, so every worker counts
together; the in-memory cache of `make run` serves its single process. Windows are fixed (a counter
per window that expires with it): at most twice the limit can pass around a window's edge, which is
fine for slowing abuse down and costs one cache round trip per counter.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


class RateLimited(Exception):
    """Too many attempts; `retry_after` is how many seconds until the next is allowed."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(f"rate limited: {scope}")
        self.scope = scope
        self.retry_after = max(1, retry_after)


def client_address(request: HttpRequest) -> str:
    """The client's address as the server saw it.

    Behind the proxy, Daphne's `--proxy-headers` has already put the proxy's X-Forwarded-For there
    (docs/deploy.md); reading the header here instead would let any client pick its own address.
    Also django-axes' AXES_CLIENT_IP_CALLABLE, so lockouts and limits agree on who is who.
    """
    return request.META.get("REMOTE_ADDR") or "unknown"


def _account_key(account: Any) -> str | None:
    if account is None or account == "":
        return None
    if hasattr(account, "pk"):
        return f"user:{account.pk}" if account.pk is not None else None
    # An email as typed: the same person in any case counts once. Hashed, so the cache holds no address.
    normalised = str(account).strip().lower()
    if not normalised:
        return None
    return "email:" + hashlib.sha256(normalised.encode()).hexdigest()[:32]


def _count(key: str, limit: int, window: int, now: float) -> int | None:
    """Count one attempt under `key`; the seconds until the window ends if this one is past `limit`."""
    start = int(now) // window * window
    cache_key = f"ratelimit:{key}:{start}"
    # add() is atomic on every backend: the first attempt of a window creates the counter, with an
    # expiry a little past the window's end.
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add() and incr()
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return start + window - int(now)
    return None


def hit(scope: str, *, request: HttpRequest, account: Any = None) -> None:
    """Count an attempt at `scope` by this client (and this account); raise RateLimited past a limit.

    `account` is a user, or an email as the client typed it, or None for the address alone.
    """
    limits = settings.RATE_LIMITS[scope]
    now = time.time()
    waits = []
    address_limit, address_window = limits["address"]
    waits.append(_count(f"{scope}:addr:{client_address(request)}", address_limit, address_window, now))
    account_key = _account_key(account)
    if account_key is not None:
        account_limit, account_window = limits["account"]
        waits.append(_count(f"{scope}:{account_key}", account_limit, account_window, now))
    refused = [wait for wait in waits if wait is not None]
    if refused:
        raise RateLimited(scope, max(refused))
