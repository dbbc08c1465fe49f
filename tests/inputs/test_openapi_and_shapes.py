"""The OpenAPI document says what the API does, and a body of the wrong shape changes nothing (issue 11)."""

from __future__ import annotations

import json

import pytest

from events.models import Event, Registration, Session
from tests.factories import SessionFactory


@pytest.fixture
def openapi(client, db) -> dict:
    return client.get("/api/v1/openapi.json").json()


def _ref(prop: dict) -> str:
    for option in [prop, *prop.get("anyOf", []), *prop.get("allOf", [])]:
        if "$ref" in option:
            return option["$ref"].rsplit("/", 1)[-1]
    raise AssertionError(f"no $ref in {prop}")


def test_each_enum_is_a_schema_of_its_own(openapi):
    schemas = openapi["components"]["schemas"]
    expected = {
        "EventKind": Event.Kind.values,
        "EventStatus": Event.Status.values,
        "SessionKind": Session.Kind.values,
        "SessionAudience": Session.Audience.values,
        "SessionStatus": Session.Status.values,
        "RegistrationRole": Registration.Role.values,
        "RegistrationStatus": Registration.Status.values,
    }
    for name, values in expected.items():
        assert schemas[name]["enum"] == values, name
    # Before, Event.Kind and Session.Kind were both "Kind", and three enums were all "Status".
    assert "Kind" not in schemas and "Status" not in schemas
    for model, field, enum in [
        ("EventIn", "kind", "EventKind"),
        ("EventOut", "kind", "EventKind"),
        ("EventPatch", "status", "EventStatus"),
        ("EventOut", "status", "EventStatus"),
        ("SessionIn", "kind", "SessionKind"),
        ("SessionOut", "kind", "SessionKind"),
        ("SessionPatch", "audience", "SessionAudience"),
        ("SessionOut", "status", "SessionStatus"),
        ("RegistrationIn", "role", "RegistrationRole"),
        ("RegistrationOut", "status", "RegistrationStatus"),
    ]:
        assert _ref(schemas[model]["properties"][field]) == enum, (model, field)


def test_every_operation_declares_the_errors_it_can_answer(openapi):
    missing = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            needed = {"404"} if "{" in path else set()
            if operation.get("security"):
                needed |= {"401"}
            if operation.get("requestBody") or operation.get("parameters"):
                needed |= {"422"}
            if operation.get("requestBody"):
                needed |= {"400"}
            if not needed <= declared:
                missing.append((method.upper(), path, sorted(needed - declared)))
    assert missing == []
    scan = openapi["paths"]["/api/v1/checkin/scan"]["post"]["responses"]
    assert {"200", "201", "400", "403", "409", "422", "429"} <= set(scan)
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert {"status", "reason", "message", "errors"} <= set(error["properties"])


WRONG_SHAPES = [
    [],
    ["title", "x"],
    0,
    "a string",
    None,
    {"title": None},
    {"title": ["Renamed"]},
    {"title": {"en": "Renamed"}},
    {"registration_open": 0},
    {"registration_open": "false"},
    {"capacity": "5"},
    {"capacity": 5.5},
    {"capacity": True},
    {"kind": "talk"},  # a session's kind, not an event's
    {"starts_at": 0},
]


@pytest.mark.parametrize("body", WRONG_SHAPES, ids=[json.dumps(b) for b in WRONG_SHAPES])
def test_a_wrong_shape_for_an_event_is_refused_and_changes_nothing(actors, api_client, token_for, body):
    organiser = api_client(token_for(actors.organiser))
    before = organiser.get("/api/v1/events/job-fair").json()

    response = organiser.patch("/api/v1/events/job-fair", json.dumps(body))

    assert response.status_code == 422, response.content
    assert response.json()["status"] == "error" and response.json()["reason"] == "validation"
    assert organiser.get("/api/v1/events/job-fair").json() == before


@pytest.mark.parametrize(
    "body",
    [[], 0, {"audience": "officialz"}, {"kind": "job_fair"}, {"capacity": "10"}, {"room": 5}, {"status": None}],
    ids=str,
)
def test_a_wrong_shape_for_a_session_is_refused_and_changes_nothing(actors, api_client, token_for, body):
    session = SessionFactory(event=actors.event, title="Opening")
    organiser = api_client(token_for(actors.organiser))
    before = organiser.get(f"/api/v1/sessions/{session.pk}").json()

    response = organiser.patch(f"/api/v1/sessions/{session.pk}", json.dumps(body))

    assert response.status_code == 422, response.content
    assert organiser.get(f"/api/v1/sessions/{session.pk}").json() == before


@pytest.mark.parametrize(
    "body", [[], {"consent_share_profile": 0}, {"status": 1}, {"language": ["ar"]}, {"role": None}], ids=str
)
def test_a_wrong_shape_for_a_registration_is_refused_and_changes_nothing(actors, api_client, token_for, body):
    registration = Registration.objects.get(event=actors.event, user=actors.candidate)
    organiser = api_client(token_for(actors.organiser))
    before = organiser.get(f"/api/v1/registrations/{registration.pk}").json()

    response = organiser.patch(f"/api/v1/registrations/{registration.pk}", json.dumps(body))

    assert response.status_code == 422, response.content
    assert organiser.get(f"/api/v1/registrations/{registration.pk}").json() == before


@pytest.mark.parametrize("body", [{"consent": 0}, {"consent": "false"}, {"consent": None}, [], [False]], ids=str)
def test_a_zero_never_withdraws_a_consent(actors, api_client, token_for, body):
    candidate = api_client(token_for(actors.candidate))

    response = candidate.post("/api/v1/matching/events/job-fair/consent", json.dumps(body))

    assert response.status_code == 422, response.content
    assert Registration.objects.get(event=actors.event, user=actors.candidate).consent_share_profile


@pytest.mark.parametrize(
    "body",
    [
        {"candidate_id": "5"},
        {"candidate_id": True},
        {"candidate_id": 5.0},
        {"kind": "shortlist", "candidate_id": [1]},
    ],
    ids=str,
)
def test_matching_bodies_take_numbers_as_numbers(actors, api_client, token_for, body):
    employer = api_client(token_for(actors.employer_a))
    response = employer.post("/api/v1/matching/events/job-fair/marks", json.dumps(body))
    assert response.status_code == 422, response.content


def test_scan_bodies_of_the_wrong_shape_are_validation_errors(actors, api_client, token_for):
    organiser = api_client(token_for(actors.organiser))
    for body in ([], {"payload": 5, "event": "job-fair"}, {"payload": "x", "event": "job-fair", "session": "3"}):
        response = organiser.post("/api/v1/checkin/scan", json.dumps(body))
        assert response.status_code == 422, (body, response.content)
        assert response.json()["reason"] == "validation"
