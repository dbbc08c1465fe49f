"""Every list endpoint answers one page: `{"items", "count", "limit", "offset"}`, 100 by default, 500 at most."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.pagination import DEFAULT_LIMIT, MAX_LIMIT
from events.models import Registration, User
from tests.factories import EventFactory, SessionFactory

# Every GET of the API that answers a list, with the parameters its path needs.
LIST_PATHS = {
    "/api/v1/events",
    "/api/v1/events/{slug}/sessions",
    "/api/v1/events/{slug}/registrations",
    "/api/v1/events/{slug}/announcements",
    "/api/v1/matching/skills",
    "/api/v1/matching/events/{slug}/my-matches",
    "/api/v1/matching/events/{slug}/requests",
    "/api/v1/matching/events/{slug}/meetings",
    "/api/v1/matching/events/{slug}/leads",
    "/api/v1/matching/events/{slug}/wishes",
    "/api/v1/checkin/events/{slug}/search",
    "/api/v1/checkin/events/{slug}/scans",
    "/api/v1/checkin/events/{slug}/devices",
}


def _crowd(event, n: int) -> None:
    users = User.objects.bulk_create(User(email=f"p{i}@crowd.example", full_name=f"Person {i}") for i in range(n))
    Registration.objects.bulk_create(Registration(event=event, user=u) for u in users)


def test_a_five_thousand_registration_event_answers_one_page_of_the_default_size(actors, api_client, token_for):
    _crowd(actors.event, 5000)
    client = api_client(token_for(actors.organiser))
    url = f"/api/v1/events/{actors.event.slug}/registrations"
    # Warm up: the first request builds ninja's models, and a person's first read makes their feed token.
    client.get(url)
    client.get(url, {"limit": 10, "offset": 5000})
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    elapsed = time.perf_counter() - started
    body = response.json()
    assert response.status_code == 200
    assert (len(body["items"]), body["count"], body["limit"], body["offset"]) == (DEFAULT_LIMIT, 5004, 100, 0)
    assert elapsed < 2.0, f"{elapsed:.2f} s for one page"
    # The last page, and the same number of queries whatever the page's size.
    with CaptureQueriesContext(connection) as small:
        last = client.get(url, {"limit": 10, "offset": 5000}).json()
    assert [r["email"] for r in last["items"]] == [f"p{i}@crowd.example" for i in range(4996, 5000)]
    assert len(big.captured_queries) == len(small.captured_queries)
    print(f"5,004 registrations, a page of 100: {elapsed * 1000:.0f} ms, {len(big.captured_queries)} queries")


def test_pages_follow_each_other_without_overlap(db, api_client):
    event = EventFactory(slug="fair")
    for i in range(7):
        SessionFactory(event=event, title=f"S{i}")
    client = api_client()
    seen = []
    for offset in range(0, 7, 3):
        page = client.get("/api/v1/events/fair/sessions", {"limit": 3, "offset": offset}).json()
        assert page["count"] == 7
        seen += [s["title"] for s in page["items"]]
    assert sorted(seen) == [f"S{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": MAX_LIMIT + 1}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"offset": 10**30}, "offset"),
    ],
)
def test_a_page_out_of_bounds_is_a_validation_error_naming_the_parameter(db, api_client, query, field):
    response = api_client().get("/api/v1/events", query)
    assert response.status_code == 422
    body = response.json()
    assert body["reason"] == "validation" and field in body["errors"]


def test_the_openapi_documents_every_list_as_a_page_with_its_bounds(db, client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    paged = set()
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        ref = get["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        props = schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
        # A bare JSON array is a list nobody paged.
        assert get["responses"]["200"]["content"]["application/json"]["schema"].get("type") != "array", path
        if {"items", "count", "limit", "offset"} <= set(props):
            paged.add(path)
            params = {p["name"]: p["schema"] for p in get["parameters"]}
            assert params["limit"]["default"] == DEFAULT_LIMIT and params["limit"]["maximum"] == MAX_LIMIT, path
            assert params["offset"]["minimum"] == 0, path
    assert not LIST_PATHS - paged, LIST_PATHS - paged
