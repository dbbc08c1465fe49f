"""Garbage in, a JSON error with a stable reason out: never a 500."""

from __future__ import annotations

import pytest

from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401

GARBAGE = [
    "not json",
    "[]",
    "null",
    '{"candidate_id": "DROP TABLE"}',
    '{"candidate_id": -1}',
    '{"candidate_id": 99999999999999999999}',
    '{"candidate_id": 1.5}',
    '{"organisation_id": {"$gt": 0}}',
    '{"kind": "burn"}',
    '{"rating": 9, "candidate_id": 1}',
    '{"badge": ""}',
    '{"badge": "' + "A" * 500 + '"}',
    '{"consent": "maybe"}',
    '{"skills": [{"skill": "python", "level": 7}]}',
    '{"skills": [{"skill": "no-such", "level": 3}]}',
    '{"skills": "python"}',
    '{"years_experience": -3}',
    '{"cities": ["atlantis"]}',
    '{"languages": [{"language": "xx", "level": 3}]}',
    '{"available_from": "yesterday"}',
    '{"message": ' + '"' + "x" * 400 + '"}',
    '{"candidate_id": 1, "message": "hi\\u0000there"}',
    '{"candidate_id": 1, "note": "a\\u0000b", "rating": 3}',
    '{"headline": "\\u0000", "cities": ["\\u0000"]}',
]

POSTS = [
    "/api/v1/matching/events/job-fair/requests",
    "/api/v1/matching/events/job-fair/marks",
    "/api/v1/matching/events/job-fair/stars",
    "/api/v1/matching/events/job-fair/leads",
    "/api/v1/matching/events/job-fair/consent",
    "/api/v1/matching/events/job-fair/timetable",
]


@pytest.mark.parametrize("who", ["employer_a", "candidate", "organiser"])
def test_garbage_bodies_get_json_errors(actors, client, who):
    build_fair(actors)
    client.force_login(getattr(actors, who))
    for url in POSTS:
        for body in GARBAGE:
            r = client.post(url, body, content_type="application/json")
            assert r.status_code < 500, (url, body, r.content[:200])
            if r.status_code >= 400:
                assert r.json()["status"] == "error" and r.json()["reason"], (url, body)
    for body in GARBAGE:
        r = client.put("/api/v1/matching/me/profile", body, content_type="application/json")
        assert r.status_code in (200, 400, 409, 422), (body, r.content[:200])


def test_garbage_paths_are_404_or_422(actors, client):
    build_fair(actors)
    client.force_login(actors.employer_a)
    for path in (
        "/api/v1/matching/requests/0/accept",
        "/api/v1/matching/requests/abc/accept",
        "/api/v1/matching/requests/1/explode",
        "/api/v1/matching/requests/99999999999/decline",
        "/api/v1/matching/meetings/1/no-show",
        "/api/v1/matching/meetings/-4/confirm",
        "/api/v1/matching/events/%00/board",
        "/api/v1/matching/events/" + "x" * 300 + "/requests",
        "/api/v1/matching/events/no-such/board",
        "/api/v1/matching/timetable-runs/0",
    ):
        r = client.post(path) if "/requests/" in path or "/meetings/" in path else client.get(path)
        assert r.status_code in (401, 403, 404, 405, 422), (path, r.status_code, r.content[:200])


def test_profile_api_round_trip(actors, client):
    build_fair(actors)
    client.force_login(actors.candidate)
    body = {
        "seeking": "internship",
        "years_experience": 1,
        "cities": ["basra"],
        "skills": [{"skill": "python", "level": 3}, {"skill": "sql", "level": 2}],
        "languages": [{"language": "ar", "level": 5}],
    }
    r = client.put("/api/v1/matching/me/profile", body, content_type="application/json")
    assert r.status_code == 200
    assert [s["slug"] for s in r.json()["skills"]] == ["python", "sql"]
    assert client.get("/api/v1/matching/me/profile").json()["cities"] == ["basra"]
    r = client.put(
        "/api/v1/matching/me/profile",
        {"skills": [{"skill": "cobol-9000", "level": 3}]},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["reason"]) == (422, "invalid")


def test_skills_are_public(client, db):
    r = client.get("/api/v1/matching/skills")
    assert r.status_code == 200
    python = next(s for s in r.json()["items"] if s["slug"] == "python")
    assert "بايثون" in python["aliases"] and python["esco_uri"].startswith("http://data.europa.eu/esco/skill/")
