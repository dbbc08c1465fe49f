"""Staff password sign-in: five failures lock the account everywhere and the address for everyone.

django-axes keeps the failures in the database, which every Daphne worker shares; the lockout page
(429) says when to try again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.handlers import proxy as axes_proxy
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff(db):
    user = UserFactory(email="door@example.org", full_name="Dina Door", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(email: str, password: str, *, address: str = "10.0.0.1", path: str = "/me/sign-in/", client=None):
    client = client or Client()
    response = client.post(path, {"username": email, "password": password}, REMOTE_ADDR=address)
    return client, response


def _fail(times: int, email: str = "door@example.org", **kwargs) -> None:
    for _ in range(times):
        _client, response = _sign_in(email, "wrong password", **kwargs)
        assert response.status_code in (200, 429)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _assert_locked_page(response, minutes: int) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= minutes * 60
    assert f"Try again in {minutes} minutes." in response.content.decode()


def test_four_failures_still_let_the_right_password_in(staff):
    _fail(4)
    client, response = _sign_in(staff.email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_five_failures_lock_the_account_and_say_for_how_long(staff):
    _fail(4)
    _client, fifth = _sign_in(staff.email, "wrong again")
    _assert_locked_page(fifth, 15)
    client, response = _sign_in(staff.email, PASSWORD)
    _assert_locked_page(response, 15)
    assert not _signed_in(client)


def test_the_locked_account_is_refused_from_another_address_too(staff):
    _fail(5, address="10.0.0.1")
    client, response = _sign_in(staff.email, PASSWORD, address="192.0.2.77")
    assert response.status_code == 429
    assert not _signed_in(client)


def test_the_case_of_the_email_does_not_start_a_fresh_count(staff):
    for email in ("door@example.org", "Door@example.org", "DOOR@EXAMPLE.ORG", " door@Example.org", "dOOr@example.org"):
        _sign_in(email, "wrong password", address="10.0.0.9")
    _client, response = _sign_in(staff.email, PASSWORD, address="10.0.0.10")
    assert response.status_code == 429


def test_an_address_that_failed_five_times_is_locked_for_every_account(staff):
    for n in range(5):
        _sign_in(f"guess{n}@example.org", "wrong password", address="198.51.100.4")
    client, response = _sign_in(staff.email, PASSWORD, address="198.51.100.4")
    assert response.status_code == 429
    assert not _signed_in(client)
    # Elsewhere the account itself is fine: it had no failures.
    client, response = _sign_in(staff.email, PASSWORD, address="198.51.100.5")
    assert response.status_code == 302


def test_the_admin_sign_in_shares_the_count_and_the_lockout(staff):
    _fail(3)
    _fail(2, path="/admin/login/")
    client, response = _sign_in(staff.email, PASSWORD, path="/admin/login/", address="192.0.2.1")
    assert response.status_code == 429
    assert not _signed_in(client)


def test_failures_during_the_lockout_do_not_extend_it(staff, monkeypatch):
    _fail(5)
    later = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(axes_proxy, "now", lambda: later)
    _client, response = _sign_in(staff.email, "still wrong")
    _assert_locked_page(response, 5)


def test_the_lockout_lifts_after_the_cool_off(staff, monkeypatch):
    _fail(5)
    later = timezone.now() + timedelta(minutes=15, seconds=5)
    monkeypatch.setattr(axes_proxy, "now", lambda: later)
    client, response = _sign_in(staff.email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_clears_the_earlier_failures(staff):
    _fail(4)
    _sign_in(staff.email, PASSWORD)
    _fail(4)
    _client, response = _sign_in(staff.email, PASSWORD)
    assert response.status_code == 302


def test_the_limit_and_the_cool_off_are_settings(staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    _fail(1)
    _client, response = _sign_in(staff.email, "wrong again")
    _assert_locked_page(response, 3)


def test_the_lockout_page_speaks_the_persons_language(staff):
    _fail(5)
    client = Client(headers={"Accept-Language": "ar"})
    response = client.post("/me/sign-in/", {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "حاول مرة أخرى بعد 15 دقيقة." in response.content.decode()
