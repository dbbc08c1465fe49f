"""The sign-in lockout and the rate limits hold across Daphne workers, as in production.

Two real workers on the test database; the lockout is in the database, the rate limits in Redis.
Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3) to be different addresses.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.factories import UserFactory
from tests.servers import DaphneServer, RedisServer, child_env, requires_redis_server, running

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def _client(server: DaphneServer, address: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, transport=httpx.HTTPTransport(local_address=address), timeout=20)


def _post_form(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return client.post(path, data={"csrfmiddlewaretoken": token, **data})


def test_an_account_locked_through_one_worker_is_locked_at_another(transactional_db):
    staff = UserFactory(email="door@example.org", is_staff=True)
    staff.set_password(PASSWORD)
    staff.save()
    worker_a, worker_b = DaphneServer(), DaphneServer()
    with running(worker_a, worker_b):
        with _client(worker_a, "127.0.0.2") as guesser:
            answers = [
                _post_form(guesser, "/me/sign-in/", {"username": staff.email, "password": "wrong"}).status_code
                for _ in range(5)
            ]
        with _client(worker_b, "127.0.0.3") as owner:
            refused = _post_form(owner, "/me/sign-in/", {"username": staff.email, "password": PASSWORD})
    assert answers == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert "Try again in 15 minutes." in refused.text


@requires_redis_server
def test_a_rate_limit_counts_the_attempts_every_worker_saw(actors):
    redis = RedisServer()
    env = child_env(
        REDIS_URL=redis.url, CACHE_PREFIX="limits", CHANNEL_PREFIX="limits", RATE_LIMIT_REGISTRATION_ACCOUNT="2/h"
    )
    worker_a, worker_b = DaphneServer(env=env), DaphneServer(env=env)
    form = {"email": "target@example.org", "full_name": "Rana Registrant", "role": "candidate", "language": "en"}
    with (
        running(redis, worker_a, worker_b),
        _client(worker_a, "127.0.0.2") as first,
        _client(worker_b, "127.0.0.3") as second,
    ):
        # One attempt through each worker, then a third: only a shared count refuses it.
        answers = [
            _post_form(first, "/events/job-fair/register/", form).status_code,
            _post_form(second, "/events/job-fair/register/", form).status_code,
        ]
        third = _post_form(first, "/events/job-fair/register/", form)
    assert 429 not in answers
    assert third.status_code == 429
    assert int(third.headers["Retry-After"]) > 0
    assert "Too many attempts; try again in" in third.text
