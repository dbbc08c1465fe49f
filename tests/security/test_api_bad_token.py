"""A bad or revoked bearer token is a 401 on every route of the API, whatever the method.

Before, a failed token fell through to the browser session's CSRF check, and every write answered
403 "CSRF check Failed": the client learnt nothing true about its token.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern
from django.utils import timezone

from config.api import api
from events.models import ApiToken

METHODS = ("get", "post", "put", "patch", "delete")


def _routes() -> list[str]:
    """Every concrete path the API serves (its URLconf), with each parameter filled in with "1"."""
    patterns, _app, _namespace = api.urls
    paths = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern) or pattern.name in ("api-root", "api-not-found"):
            continue  # Ninja's empty root and our last catch-all answer "no such endpoint" (404)
        route = str(pattern.pattern)
        paths.append("/api/v1/" + re.sub(r"<(?:\w+:)?\w+>", "1", route))
    return list(dict.fromkeys(paths))


def _assert_every_route_refuses(client: Client, token: str) -> int:
    refused = 0
    for path in _routes():
        answered = []
        for method in METHODS:
            response = client.generic(
                method.upper(), path, "{}", "application/json", headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code == 405:
                continue  # this route does not serve the method; Ninja says so before any authentication
            answered.append(method)
            assert response.status_code == 401, (method, path, response.status_code, response.content[:200])
            body = response.json()
            assert body["status"] == "error"
            assert body["reason"] == "unauthenticated", (method, path, body)
            assert response["WWW-Authenticate"].startswith("Bearer")
            refused += 1
        assert answered, f"{path} answered no method at all"
    return refused


def test_the_api_has_the_routes_this_test_walks():
    paths = _routes()
    assert len(paths) > 40
    assert "/api/v1/openapi.json" in paths
    assert "/api/v1/events/1/registrations" in paths


@pytest.mark.django_db
def test_unknown_token_is_401_on_every_route_and_method(actors):
    # CSRF is enforced, as for a real browser or integration, and a signed-in session is present: neither
    # may stand in for the token the client sent.
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.organiser)
    assert _assert_every_route_refuses(client, "ee_not-a-real-token") > 60


@pytest.mark.django_db
def test_revoked_token_is_401_on_every_route_and_method(actors, token_for):
    raw = token_for(actors.organiser)
    ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).update(revoked_at=timezone.now())
    client = Client(enforce_csrf_checks=True)
    assert _assert_every_route_refuses(client, raw) > 60


@pytest.mark.django_db
def test_session_writes_without_a_token_still_need_csrf(actors):
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.organiser)
    response = client.post("/api/v1/events", data="{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["reason"] == "forbidden"
