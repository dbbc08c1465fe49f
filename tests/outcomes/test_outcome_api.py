"""The outcomes API: the same rules as the pages, JSON errors with stable reasons, never a 500."""

from __future__ import annotations

import pytest

from matching.outcome_models import Outcome

pytestmark = pytest.mark.django_db

OFFER = {"offer_kind": "job", "offer_country": "IQ", "work_mode": "on_site"}


@pytest.fixture
def api(actors, api_client, token_for):
    def as_user(user):
        return api_client(token_for(user))

    return as_user


def _url(actors) -> str:
    return f"/api/v1/matching/events/{actors.event.slug}/outcomes"


def test_employer_records_candidate_answers_and_each_lists_only_their_own(actors, api):
    a = api(actors.employer_a)
    r = a.post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "offer", **OFFER})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["stage"], body["offer_country"], body["confirmation"]) == ("offer", "IQ", "pending")
    assert body["reached"]["interviewed"] == body["reached"]["offer"] and body["reached"]["accepted"] is None
    r = api(actors.employer_b).post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "invited"})
    assert r.status_code == 200
    assert [o["stage"] for o in a.get(_url(actors)).json()["items"]] == ["offer"]
    assert [o["stage"] for o in api(actors.employer_b).get(_url(actors)).json()["items"]] == ["invited"]
    assert api(actors.outsider).get(_url(actors)).json()["count"] == 0
    assert api(actors.organiser).get(_url(actors)).json()["count"] == 2
    mine = api(actors.candidate).get(_url(actors)).json()
    assert mine["count"] == 2
    outcome_id = body["id"]
    r = api(actors.candidate).post(
        f"/api/v1/matching/outcomes/{outcome_id}/answer", {"stage": "offer", "happened": True}
    )
    assert r.status_code == 200 and r.json()["confirmation"] == "confirmed"


def test_refusals_have_stable_reasons(actors, api):
    a = api(actors.employer_a)
    r = a.post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "started"})
    assert r.status_code == 409 and r.json()["reason"] == "invalid_transition" and r.json()["message"]
    r = api(actors.candidate).post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "invited"})
    assert r.status_code == 403 and r.json()["reason"] == "forbidden"
    r = a.post(_url(actors), {"candidate_id": actors.outsider.pk, "stage": "invited"})
    assert r.status_code == 404 and r.json()["reason"] == "not_found"
    r = a.post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "offer", "offer_kind": "job"})
    assert r.status_code == 422 and r.json()["reason"] == "invalid"
    a.post(_url(actors), {"candidate_id": actors.candidate.pk, "stage": "invited"})
    outcome = Outcome.objects.get()
    r = api(actors.candidate).post(
        f"/api/v1/matching/outcomes/{outcome.pk}/answer", {"stage": "offer", "happened": True}
    )
    assert r.status_code == 409 and r.json()["reason"] == "outcome_changed"
    r = api(actors.employer_b).post(
        f"/api/v1/matching/outcomes/{outcome.pk}/answer", {"stage": "invited", "happened": True}
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        [],
        "offer",
        {},
        {"candidate_id": "1", "stage": "invited"},
        {"candidate_id": 2**40, "stage": "invited"},
        {"candidate_id": 1, "stage": "hired"},
        {"candidate_id": 1, "stage": "offer", "offer_kind": "gig"},
        {"candidate_id": 1, "stage": "offer", "offer_country": "LTU"},
        {"candidate_id": 1, "stage": "invited", "note": "a\x00b"},
        {"candidate_id": 1, "stage": "invited", "note": "x" * 1001},
    ],
)
def test_garbage_bodies_are_4xx(actors, api, body):
    r = api(actors.employer_a).post(_url(actors), body)
    assert 400 <= r.status_code < 500 and r.json()["status"] == "error"
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/matching/outcomes/0/answer", {"stage": "offer", "happened": True}),
        ("/api/v1/matching/outcomes/99999999999999999999/answer", {"stage": "offer", "happened": True}),
        ("/api/v1/matching/outcomes/1/answer", {"stage": "offer", "happened": "yes"}),
        ("/api/v1/matching/outcomes/1/answer", {"stage": "offer"}),
        ("/api/v1/matching/events/%00/outcomes", {"candidate_id": 1, "stage": "invited"}),
    ],
)
def test_garbage_paths_are_4xx(actors, api, path, body):
    r = api(actors.candidate).post(path, body)
    assert 400 <= r.status_code < 500


def test_unauthenticated_is_401(actors, api_client):
    assert api_client().get(_url(actors)).status_code == 401
