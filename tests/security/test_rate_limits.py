"""Registration, meeting requests and CV downloads are limited per address and per account.

The API answers 429 `{"status": "error", "reason": "rate_limited"}` with Retry-After; pages answer
the translated "try again in N minutes" page with status 429. The suite's own settings keep the
limits out of reach; these tests lower them.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.env import env_rate
from tests.conftest import make_token

HOUR = 3600


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _limit(settings, scope: str, *, address: int = 1000, account: int = 1000) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: {"address": (address, HOUR), "account": (account, HOUR)}}


def _assert_api_limited(response) -> None:
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["reason"] == "rate_limited"
    assert "try again in" in body["message"]
    assert 0 < int(response["Retry-After"]) <= HOUR


def _assert_page_limited(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= HOUR
    assert "Too many attempts; try again in" in response.content.decode()


# Registration ---------------------------------------------------------------------------------------


def _register_page(client: Client, email: str, address: str = "10.1.0.1"):
    data = {"email": email, "full_name": "Rana Registrant", "role": "candidate", "language": "en"}
    return client.post("/events/job-fair/register/", data, REMOTE_ADDR=address)


def test_registration_page_is_limited_per_email(actors, settings):
    _limit(settings, "registration", account=2)
    client = Client()
    for n in range(2):
        assert _register_page(client, "Target@example.org", address=f"10.1.0.{n}").status_code != 429
    # The same address typed differently, from yet another network: still the same account.
    _assert_page_limited(_register_page(client, " target@EXAMPLE.org ", address="10.9.9.9"))
    assert _register_page(client, "someone-else@example.org", address="10.9.9.9").status_code != 429


def test_registration_page_is_limited_per_address(actors, settings):
    _limit(settings, "registration", address=3)
    client = Client()
    for n in range(3):
        assert _register_page(client, f"person{n}@example.org").status_code != 429
    _assert_page_limited(_register_page(client, "person9@example.org"))
    assert _register_page(client, "person9@example.org", address="10.1.0.2").status_code != 429


def test_reading_the_registration_form_is_not_counted(actors, settings):
    _limit(settings, "registration", address=1)
    client = Client()
    for _ in range(3):
        assert client.get("/events/job-fair/register/").status_code == 200


def _register_api(email: str, *, token: str | None = None, address: str = "10.2.0.1"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"email": email, "name": "Rana Registrant", "role": "candidate"}
    return Client().post(
        "/api/v1/events/job-fair/registrations", body, "application/json", headers=headers, REMOTE_ADDR=address
    )


def test_registration_api_answers_429_with_retry_after(actors, settings):
    _limit(settings, "registration", account=2)
    for n in range(2):
        assert _register_api("target@example.org", address=f"10.2.0.{n}").status_code != 429
    _assert_api_limited(_register_api("TARGET@example.org", address="10.2.9.9"))


def test_registration_api_is_limited_per_address(actors, settings):
    _limit(settings, "registration", address=2)
    for n in range(2):
        assert _register_api(f"p{n}@example.org").status_code != 429
    _assert_api_limited(_register_api("p9@example.org"))


def test_organisers_registering_lists_through_the_api_are_not_limited(actors, settings):
    _limit(settings, "registration", address=1, account=1)
    token = make_token(actors.organiser)
    for n in range(3):
        assert _register_api(f"listed{n}@example.org", token=token).status_code != 429


# Meeting requests -----------------------------------------------------------------------------------


def test_meeting_requests_through_the_api_are_limited_per_account(actors, settings):
    _limit(settings, "meeting_request", account=2)
    token = make_token(actors.candidate)
    for n in range(3):
        response = Client().post(
            "/api/v1/matching/events/job-fair/requests",
            {"organisation_id": actors.org_a.pk},
            "application/json",
            headers={"Authorization": f"Bearer {token}"},
            REMOTE_ADDR=f"10.3.0.{n}",
        )
        if n < 2:
            assert response.status_code != 429
    _assert_api_limited(response)


def test_meeting_requests_from_the_page_are_limited_per_account(actors, settings):
    _limit(settings, "meeting_request", account=2)
    client = Client()
    client.force_login(actors.candidate)
    for n in range(3):
        response = client.post(
            "/matching/job-fair/me/action/", {"action": "ask", "id": actors.org_a.pk}, REMOTE_ADDR=f"10.3.1.{n}"
        )
        if n < 2:
            assert response.status_code != 429
    _assert_page_limited(response)


def test_meeting_requests_are_limited_per_address(actors, settings):
    _limit(settings, "meeting_request", address=2)
    client = Client()
    client.force_login(actors.candidate)
    for _ in range(2):
        client.post("/matching/job-fair/me/action/", {"action": "ask", "id": actors.org_a.pk})
    other = Client()
    other.force_login(actors.outsider)
    _assert_page_limited(other.post("/matching/job-fair/me/action/", {"action": "ask", "id": actors.org_b.pk}))


# CV downloads ---------------------------------------------------------------------------------------


def test_cv_downloads_are_limited_per_account_whatever_the_answer(actors, settings):
    _limit(settings, "cv_download", account=3)
    client = Client()
    client.force_login(actors.employer_a)
    for n in range(3):
        # Guessing ids costs attempts too: a 404 counts as much as a CV.
        assert client.get(f"/matching/cv/{actors.candidate.pk + n}/", REMOTE_ADDR=f"10.4.0.{n}").status_code != 429
    _assert_page_limited(client.get(f"/matching/cv/{actors.candidate.pk}/", REMOTE_ADDR="10.4.9.9"))


def test_cv_downloads_are_limited_per_address(actors, settings):
    _limit(settings, "cv_download", address=2)
    for _ in range(2):
        Client().get(f"/matching/cv/{actors.candidate.pk}/")
    _assert_page_limited(Client().get(f"/matching/cv/{actors.candidate.pk}/"))


# The limits themselves ------------------------------------------------------------------------------


def test_the_openapi_document_declares_429_where_it_can_happen(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/events/{slug}/registrations"]["post"]["responses"]
    assert "429" in paths["/api/v1/matching/events/{slug}/requests"]["post"]["responses"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("10/h", (10, 3600)), ("5/15m", (5, 900)), ("100/d", (100, 86400)), ("3/s", (3, 1))]
)
def test_limits_are_read_as_attempts_per_period(monkeypatch, raw, expected):
    monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    assert env_rate("RATE_LIMIT_TEST", "1/h") == expected


@pytest.mark.parametrize("raw", ["10", "10/x", "ten/h", "0/h", "5/0m", "-1/h"])
def test_a_limit_that_is_not_a_rate_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TEST"):
        env_rate("RATE_LIMIT_TEST", "1/h")


def test_the_limit_is_said_in_the_clients_language(actors, settings):
    _limit(settings, "registration", address=1)
    client = Client(headers={"Accept-Language": "lt"})
    _register_page(client, "first@example.org")
    page = _register_page(client, "second@example.org")
    assert page.status_code == 429
    assert "Per daug bandymų; bandykite dar kartą po" in page.content.decode()
    api = Client(headers={"Accept-Language": "ar"}).post(
        "/api/v1/events/job-fair/registrations",
        {"email": "third@example.org", "name": "Rana", "role": "candidate"},
        "application/json",
        REMOTE_ADDR="10.1.0.1",
    )
    assert api.status_code == 429
    assert api.json()["message"].startswith("محاولات كثيرة جدًا؛ حاول مرة أخرى بعد")
