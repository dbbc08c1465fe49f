"""A form-encoded or multipart body sent to the JSON API is refused as not-JSON, never a 500.

Django can read a multipart body only once: a guard that parses request.POST before the API
would leave Ninja unable to read the body (RawPostDataException).
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import make_token

ENDPOINTS = [
    "/api/v1/checkin/scan",
    "/api/v1/events",
    "/api/v1/events/job-fair/announcements",
    "/api/v1/matching/events/job-fair/stars",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_multipart_body_is_refused_as_not_json(actors, path):
    client = Client(headers={"Authorization": f"Bearer {make_token(actors.organiser)}"})

    response = client.post(path, {"payload": "x", "event": "job-fair"})  # the test client sends multipart

    assert response.status_code in (400, 415, 422)
    assert response.json()["status"] == "error"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_form_encoded_body_is_refused_as_not_json(actors, path):
    client = Client(headers={"Authorization": f"Bearer {make_token(actors.organiser)}"})

    response = client.post(path, "payload=x&event=job-fair", content_type="application/x-www-form-urlencoded")

    assert response.status_code in (400, 415, 422)
    assert response.json()["status"] == "error"


def test_a_nul_in_an_api_query_string_is_still_refused(actors):
    client = Client(headers={"Authorization": f"Bearer {make_token(actors.organiser)}"})

    response = client.get("/api/v1/events/job-fair/registrations", {"role": "\x00"})

    assert response.status_code == 422
    assert response.json()["reason"] == "validation"
