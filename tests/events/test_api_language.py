"""The API's messages in the caller's language: Accept-Language, else the token owner's; reason codes stay."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.conftest import make_token
from tests.factories import UserFactory

EVENT = {
    "slug": "erbil-2027",
    "kind": "job_fair",
    "timezone": "Asia/Baghdad",
    "starts_at": "2027-03-10T09:00:00+03:00",
    "ends_at": "2027-03-10T17:00:00+03:00",
}


@pytest.fixture(autouse=True)
def _english_afterwards():
    # A request activates its language in the test's thread and leaves it there; the next test starts in English.
    yield
    translation.deactivate()


def _post(client, token, body, **headers):
    return client.post(
        "/api/v1/events", body, content_type="application/json", headers={"Authorization": f"Bearer {token}", **headers}
    )


@pytest.mark.parametrize(
    ("owner", "header", "invalid", "required"),
    [
        ("en", "ar", "مدخلات غير صالحة.", "هذا الحقل مطلوب."),
        ("lt", None, "Neteisingi duomenys.", "Šis laukas yra privalomas."),
        ("lt", "en", "Invalid input.", "This field is required."),
    ],
)
def test_validation_errors_read_in_the_callers_language(db, client, owner, header, invalid, required):
    token = make_token(UserFactory(is_staff=True, language=owner))
    headers = {"Accept-Language": header} if header else {}
    body = _post(client, token, EVENT, **headers).json()  # no title
    assert body["reason"] == "validation"
    assert body["errors"]["title"] == [required]
    assert body["message"] == invalid


def test_pydantic_messages_are_worded_by_type_in_the_callers_language(db, client):
    token = make_token(UserFactory(is_staff=True, language="ar"))
    body = _post(client, token, {**EVENT, "title": "x", "capacity": "many", "kind": "party"}).json()
    assert body["reason"] == "validation"
    assert body["errors"]["capacity"] == ["أدخل رقما صحيحا."]
    assert body["errors"]["kind"][0].startswith("اختر واحدًا من:")
    assert "'job_fair'" in body["errors"]["kind"][0]


def test_domain_errors_read_in_the_owners_language_with_the_same_reason(db, client):
    token = make_token(UserFactory(language="ckb"))
    response = _post(client, token, {**EVENT, "title": "x"})
    assert (response.status_code, response.json()["reason"]) == (403, "forbidden")
    assert response.json()["message"] == "تەنها ڕێکخەران دەتوانن ئەمە بکەن."


def test_a_page_of_a_list_out_of_bounds_is_explained_in_the_callers_language(db, client):
    body = client.get("/api/v1/events", {"limit": 501}, headers={"Accept-Language": "lt"}).json()
    assert body["reason"] == "validation"
    assert body["errors"]["limit"] == ["Įsitikinkite, kad reikšmė yra mažesnė arba lygi 500."]
