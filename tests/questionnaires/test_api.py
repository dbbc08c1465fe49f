"""The questionnaire API: list and create (whole body or template), structure, responses; who may call it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import questionnaires as svc
from events.models import Questionnaire
from events.questionnaire_templates import TEMPLATES
from tests.questionnaires import builder_setup
from tests.questionnaires.builder_setup import choice, en, respond

pytestmark = pytest.mark.django_db
world = builder_setup.world  # the fixture

BODY = {
    "title": {"en": "Digital skills survey", "ar": "استبيان المهارات الرقمية"},
    "audience": ["company"],
    "reminder_days": [5],
    "sections": [
        {
            "title": en("About you"),
            "questions": [
                choice("hiring", "yes", "no", required=True),
                {
                    "key": "roles",
                    "kind": "short_text",
                    "text": en("Which roles?"),
                    "show_if": "hiring",
                    "show_if_values": ["yes"],
                },
                {"key": "skills", "kind": "skills", "text": en("Skills?"), "skill_purpose": "needed"},
            ],
        }
    ],
}


@pytest.fixture
def organiser_api(world, api_client, token_for):
    return api_client(token_for(world.organiser))


def test_a_whole_questionnaire_is_created_and_read_back(world, organiser_api):
    response = organiser_api.post("/api/v1/programmes/lt-iq/questionnaires", BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["title"] == BODY["title"] and body["reminder_days"] == [5]
    assert [q["key"] for q in body["sections"][0]["questions"]] == ["hiring", "roles", "skills"]
    assert body["sections"][0]["questions"][1]["show_if"] == "hiring"
    again = organiser_api.get(f"/api/v1/questionnaires/{body['id']}")
    assert again.status_code == 200
    assert again.json()["sections"] == body["sections"] and again.json()["question_count"] == 3


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_a_template_is_created_by_its_key(world, organiser_api, key):
    response = organiser_api.post("/api/v1/programmes/lt-iq/questionnaires", {"template": key})
    assert response.status_code == 201, response.content
    assert response.json()["template"] == key and response.json()["title"] == TEMPLATES[key]["title"]
    listed = organiser_api.get("/api/v1/programmes/lt-iq/questionnaires").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == response.json()["id"]


@pytest.mark.parametrize(
    ("body", "reason", "mentions"),
    [
        ({"template": "nope"}, "validation", "template"),
        ({"template": "ict_curriculum_review", "title": en("x")}, "invalid", "template"),
        ({"title": {"fr": "Enquête"}}, "invalid", "fr"),
        ({"title": en("x"), "link_days": "30"}, "validation", "link_days"),
        ({"title": en("x"), "closes_at": "2030-01-01T10:00:00"}, "validation", "closes_at"),
        (
            {**BODY, "sections": [{**BODY["sections"][0], "questions": BODY["sections"][0]["questions"][1:]}]},
            "condition_order",
            "show_if",
        ),
        ({"title": en("x"), "sections": [{"title": en("s"), "questions": [choice("a", "x", "x")]}]}, "invalid", "x"),
        ([1, 2], "validation", ""),
        ({"title": {"en": "a\x00b"}}, "control_characters", "title.en"),
        ({"title": {"ar": "a\u202eb"}}, "bidi_controls", "title.ar"),
        ({"title": en("x"), "sections": [{"title": en("s")}] * 31}, "invalid", "sections"),
        (
            {
                "title": en("x"),
                "sections": [
                    {
                        "title": en("s"),
                        "questions": [{"key": "n", "kind": "number", "text": en("n"), "settings": {"min": True}}],
                    }
                ],
            },
            "invalid",
            "settings.min",
        ),
        (
            {
                "title": en("x"),
                "sections": [
                    {"title": en("s"), "questions": [{"key": "d", "kind": "date", "text": en("d"), "required": "yes"}]}
                ],
            },
            "validation",
            "required",
        ),
        ({"title": en("x"), "reminder_days": [1, 2, 3, 4, 5, 6]}, "invalid", "reminder_days"),
    ],
)
def test_bad_bodies_get_a_4xx_naming_the_problem(world, organiser_api, body, reason, mentions):
    response = organiser_api.post("/api/v1/programmes/lt-iq/questionnaires", body)
    assert response.status_code == 422, response.content
    assert response.json()["reason"] == reason
    assert mentions in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_only_organisers_and_programme_staff_see_or_create(world, api_client, token_for):
    q = Questionnaire.objects.create(programme=world.programme, title=en("Hidden"))
    respond(q, world.uni, {"x": 1})
    staff = api_client(token_for(world.staff))
    assert staff.get("/api/v1/programmes/lt-iq/questionnaires").json()["count"] == 1
    assert staff.get(f"/api/v1/questionnaires/{q.pk}/responses").json()["count"] == 1
    for who in ("official", "outsider"):
        client = api_client(token_for(getattr(world, who)))
        for path in (
            "/api/v1/programmes/lt-iq/questionnaires",
            f"/api/v1/questionnaires/{q.pk}",
            f"/api/v1/questionnaires/{q.pk}/responses",
        ):
            response = client.get(path)
            assert response.status_code == 403, (who, path)
            assert "Hidden" not in response.content.decode()
        assert client.post("/api/v1/programmes/lt-iq/questionnaires", BODY).status_code == 403
    assert api_client().get(f"/api/v1/questionnaires/{q.pk}").status_code == 401
    assert Questionnaire.objects.count() == 1


def test_unknown_ids_and_slugs_are_404(world, organiser_api):
    assert organiser_api.get("/api/v1/programmes/nope/questionnaires").status_code == 404
    assert organiser_api.get("/api/v1/questionnaires/999999").status_code == 404
    assert organiser_api.get("/api/v1/questionnaires/0").status_code == 422
    assert organiser_api.get("/api/v1/questionnaires/99999999999999999999999").status_code == 422


def test_responses_are_paginated_and_filtered_by_submission(world, organiser_api):
    q = Questionnaire.objects.create(programme=world.programme, title=en("S"))
    respond(q, world.uni, {"mode": "online"})
    respond(q, world.ministry, {"mode": "onsite"}, submitted=False)
    page = organiser_api.get(f"/api/v1/questionnaires/{q.pk}/responses?limit=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["limit"] == 1
    submitted = organiser_api.get(f"/api/v1/questionnaires/{q.pk}/responses?submitted=true").json()
    assert [r["stakeholder"]["name"] for r in submitted["items"]] == ["University of Baghdad"]
    assert submitted["items"][0]["answers"] == {"mode": "online"}
    assert submitted["items"][0]["stakeholder"]["kind"] == "university"
    in_progress = organiser_api.get(f"/api/v1/questionnaires/{q.pk}/responses?submitted=false").json()
    assert [r["submitted_at"] for r in in_progress["items"]] == [None]
    assert organiser_api.get(f"/api/v1/questionnaires/{q.pk}/responses?limit=501").status_code == 422
    assert organiser_api.get(f"/api/v1/questionnaires/{q.pk}/responses?submitted=maybe").status_code == 422


def test_lists_and_the_structure_take_the_same_queries_whatever_their_size(world, organiser_api):
    small = svc.questionnaire_create_from_template(
        programme=world.programme, actor=world.organiser, template="institutional_capacity"
    )
    respond(small, world.uni, {"role": "policy"})

    def counted(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert organiser_api.get(path).status_code == 200
        return len(queries)

    before = [
        counted("/api/v1/programmes/lt-iq/questionnaires"),
        counted(f"/api/v1/questionnaires/{small.pk}"),
        counted(f"/api/v1/questionnaires/{small.pk}/responses"),
    ]
    big = svc.questionnaire_create_from_template(
        programme=world.programme, actor=world.organiser, template="ict_curriculum_review"
    )
    svc.section_add(questionnaire=small, actor=world.organiser, data={"title": en("More")})
    respond(small, world.ministry, {"role": "statistics"})
    assert big.questions.count() > 10
    after = [
        counted("/api/v1/programmes/lt-iq/questionnaires"),
        counted(f"/api/v1/questionnaires/{small.pk}"),
        counted(f"/api/v1/questionnaires/{small.pk}/responses"),
    ]
    assert after == before
