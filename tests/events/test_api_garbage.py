"""Nothing anyone sends may produce a 500: a battery of garbage at every write endpoint.

Each answer must be JSON; errors must carry the documented shape. The same battery runs on
PostgreSQL in CI, which refuses NUL characters that SQLite would store.
"""

from __future__ import annotations

import json

import pytest

from tests.factories import SessionFactory

GARBAGE_VALUES = [
    None,
    True,
    0,
    -1,
    2**63,
    10**30,
    1.5,
    float("inf"),
    "",
    " ",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "\ud800",
    "ünïcødé عربي",
    "<script>alert(1)</script>",
    "'; DROP TABLE events_event; --",
    [],
    [1, "two", None],
    {},
    {"$gt": ""},
    {"nested": {"deeper": [{"deepest": None}]}},
    "2026-13-45T99:99:99+00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-12-04T10:00:00",
    "1e400",
]

RAW_BODIES = [
    b"",
    b"null",
    b"true",
    b"0",
    b"-1",
    b'"a string"',
    b"[]",
    b"[{}]",
    b"{",
    b"}",
    b"{'single': 'quotes'}",
    b"\xff\xfe\x00\x00",
    b"\x80\x81\x82",
    b'{"title": "\xff\xfe"}',
    b'{"title": "\\ud800"}',
    b'{"name": "\\udfff", "email": "a@example.org"}',
    b'{"title": "nul \\u0000 byte"}',
    b'{"capacity": NaN}',
    b'{"capacity": Infinity}',
    b'{"capacity": 1' + b"0" * 5000 + b"}",
    b'{"starts_at": 1e400}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b'{"title": "' + b"t" * 2_000_000 + b'"}',
    b'{"title": "dup", "title": "licate"}',
]


def _valid_bodies(actors, session_id: int, registration_id: int) -> list[tuple[str, str, dict]]:
    """Every write endpoint with a body that would be accepted, to be spoiled one field at a time."""
    return [
        (
            "post",
            "/api/v1/events",
            {
                "slug": "garbage-fair",
                "title": "T",
                "kind": "workshop",
                "timezone": "Asia/Baghdad",
                "starts_at": "2027-01-01T09:00:00+03:00",
                "ends_at": "2027-01-01T17:00:00+03:00",
                "venue": "V",
                "address": "A",
                "capacity": 10,
                "status": "published",
                "registration_open": True,
                "description": "D",
            },
        ),
        (
            "patch",
            "/api/v1/events/job-fair",
            {"title": "T", "timezone": "Europe/Vilnius", "capacity": 5, "ends_at": "2030-01-01T00:00:00+00:00"},
        ),
        (
            "post",
            "/api/v1/events/job-fair/sessions",
            {
                "title": "S",
                "kind": "panel",
                "starts_at": "2027-01-01T09:00:00+03:00",
                "ends_at": "2027-01-01T10:00:00+03:00",
                "room": "Hall",
                "track": "T",
                "speakers": "P",
                "description": "D",
                "capacity": 3,
                "audience": "officials",
                "status": "scheduled",
            },
        ),
        (
            "patch",
            f"/api/v1/sessions/{session_id}",
            {"title": "S", "room": "Hall", "starts_at": "2027-01-01T09:00:00+03:00", "audience": "registered"},
        ),
        ("delete", f"/api/v1/sessions/{session_id}", {}),
        (
            "post",
            "/api/v1/events/job-fair/registrations",
            {
                "name": "N",
                "email": "garbage@example.org",
                "role": "employer",
                "organisation": actors.org_a.name,
                "organisation_id": actors.org_a.pk,
                "language": "ar",
                "delegation": "LT",
                "consent_share_profile": True,
                "consent_attendee_list": False,
                "invite": False,
            },
        ),
        (
            "patch",
            f"/api/v1/registrations/{registration_id}",
            {
                "status": "cancelled",
                "language": "lt",
                "consent_share_profile": True,
                "consent_attendee_list": True,
                "role": "speaker",
                "organisation": actors.org_b.name,
                "delegation": "IQ",
            },
        ),
    ]


def _assert_json_answer(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), what
    body = json.loads(response.content)
    if response.status_code >= 400:
        assert body["status"] == "error", what
        assert isinstance(body["reason"], str) and body["reason"], what
        assert isinstance(body["message"], str), what


@pytest.fixture
def targets(actors):
    session = SessionFactory(event=actors.event)
    registration = actors.candidate.registrations.get()
    return _valid_bodies(actors, session.pk, registration.pk)


@pytest.mark.parametrize("who", ["organiser", "candidate"])
def test_every_field_of_every_write_endpoint_survives_garbage(actors, api_client, token_for, targets, who):
    client = api_client(token_for(getattr(actors, who)))
    for method, url, valid in targets:
        for field in valid:
            for value in GARBAGE_VALUES:
                what = (who, method, url, field, repr(value)[:60])
                body = json.dumps({**valid, field: value}).encode()
                response = getattr(client, method)(url, body, content_type="application/json")
                _assert_json_answer(response, what)


@pytest.mark.parametrize("who", ["organiser", "candidate", None])
def test_raw_garbage_bodies_never_cause_a_500(actors, api_client, token_for, targets, who):
    client = api_client(token_for(getattr(actors, who)) if who else None)
    for method, url, _valid in targets:
        for raw in RAW_BODIES:
            for content_type in ("application/json", "text/plain", "application/x-www-form-urlencoded"):
                response = getattr(client, method)(url, raw, content_type=content_type)
                _assert_json_answer(response, (who, method, url, raw[:40], content_type))


def test_whole_body_garbage_gets_the_right_status(actors, api_client, token_for):
    client = api_client(token_for(actors.organiser))
    url = "/api/v1/events"
    assert client.post(url, b"{", content_type="application/json").json()["reason"] == "malformed_json"
    assert client.post(url, b"\x80\x81", content_type="application/json").status_code == 400
    assert client.post(url, b"[" * 100_000, content_type="application/json").status_code == 400
    assert client.post(url, b"[]", content_type="application/json").status_code == 422
    assert client.post(url, b"null", content_type="application/json").status_code == 422
    too_big = client.post(url, b'{"title": "' + b"t" * 3_000_000 + b'"}', content_type="application/json")
    assert (too_big.status_code, too_big.json()["reason"]) == (413, "too_large")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sessions/abc",
        "/api/v1/sessions/-1",
        "/api/v1/sessions/0",
        "/api/v1/sessions/99999999999999999999999999",
        "/api/v1/sessions/1e3",
        "/api/v1/registrations/%00",
        "/api/v1/registrations/1.0",
        "/api/v1/events/%00",
        "/api/v1/events/%00/sessions",
        "/api/v1/events/%FF%FE/registrations",
        "/api/v1/events/%F0%9F%92%A9/dashboard",
        "/api/v1/events/" + "x" * 5000,
        "/api/v1/events/job-fair/registrations?status=%00",
        "/api/v1/events/job-fair/registrations?role=king&role=queen",
        "/api/v1/events/job-fair/registrations?status[]=registered",
    ],
)
def test_garbage_paths_and_queries_answer_in_json(actors, api_client, token_for, path):
    client = api_client(token_for(actors.organiser))
    for method in ("get", "patch", "delete", "post"):
        _assert_json_answer(getattr(client, method)(path), (method, path))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer " + "x" * 10_000, "Bearer ünïcødé", "Basic dXNlcjpwYXNz", "bearer ee_x", "ee_x"],
)
def test_garbage_authorization_headers_are_401_not_500(actors, client, header):
    response = client.get("/api/v1/events/job-fair/registrations", headers={"Authorization": header})
    _assert_json_answer(response, header)
    assert response.status_code == 401
