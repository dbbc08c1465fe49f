"""The stakeholder API: who may read and write, filters and pages, field errors, duplicates, interactions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events.models import FollowUp, Interaction, Stakeholder, StakeholderContact
from events.stakeholders import contact_add, follow_up_add, interaction_record

LIST = "/api/v1/programmes/lt-iq/stakeholders"


def _one(world, **extra):
    return {"name": "Erbil Tech Hub", "kind": "tech_hub", "country": "IQ", "city": "Erbil", **extra}


@pytest.mark.parametrize("who", ["organiser", "staff"])
def test_organisers_and_programme_staff_list_and_create(world, as_, who):
    client = as_(getattr(world, who))
    created = client.post(LIST, _one(world, tags=["ICT", "startups"], website="https://hub.example"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["tags"] == ["ict", "startups"] and body["programme"] == "lt-iq" and body["contacts"] == []
    listing = client.get(LIST).json()
    assert listing["count"] == 3
    assert [s["name"] for s in listing["items"]] == [
        "Erbil Tech Hub",
        "Ministry of Communications",
        "University of Baghdad",
    ]
    assert all(s["contacts"] is None for s in listing["items"])  # the list names no people


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_others_get_404_and_visitors_401(world, as_, who):
    client = as_(getattr(world, who))
    assert client.get(LIST).status_code == 404
    assert client.post(LIST, _one(world)).status_code == 404
    assert client.get(f"/api/v1/stakeholders/{world.uni.pk}").status_code == 404
    assert client.patch(f"/api/v1/stakeholders/{world.uni.pk}", {"city": "Basra"}).status_code == 404
    assert client.get(f"/api/v1/stakeholders/{world.uni.pk}/interactions").status_code == 404
    assert as_(None).get(LIST).status_code == 401
    assert Stakeholder.objects.count() == 2


def test_filters_as_on_the_directory_page(world, as_):
    client = as_(world.organiser)
    interaction_record(stakeholder=world.uni, actor=world.staff, kind="call", happened_on=timezone.localdate())
    follow_up_add(
        stakeholder=world.ministry,
        actor=world.staff,
        title="Send the questionnaire",
        owner=world.staff,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    names = lambda **q: [s["name"] for s in client.get(LIST, q).json()["items"]]  # noqa: E731
    assert names(kind="government") == ["Ministry of Communications"]
    assert names(city="erbil") == ["Ministry of Communications"]
    assert names(last_contact="never") == ["Ministry of Communications"]
    assert names(last_contact="30") == ["University of Baghdad"]
    assert names(open_follow_ups="true") == ["Ministry of Communications"]
    ministry = client.get(LIST, {"open_follow_ups": "true"}).json()["items"][0]
    assert ministry["overdue_follow_ups"] == 1
    assert client.get(LIST, {"kind": "castle"}).status_code == 422
    assert client.get(LIST, {"last_contact": "yesterday"}).status_code == 422
    page = client.get(LIST, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [s["name"] for s in page["items"]] == ["University of Baghdad"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "kind": "tech_hub", "country": "IQ"}, "name"),
        ({"name": "X", "kind": "castle", "country": "IQ"}, "kind"),
        ({"name": "X", "kind": "tech_hub", "country": "ZZ"}, "country"),
        ({"name": "X", "kind": "tech_hub", "country": ""}, "country"),
        ({"name": "X", "kind": "tech_hub", "country": "IQ", "website": "javascript:alert(1)"}, "website"),
        ({"name": "X", "kind": "tech_hub", "country": "IQ", "tags": ["a" * 41]}, "tags.0"),
        ({"name": "X\u202e", "kind": "tech_hub", "country": "IQ"}, "name"),
    ],
)
def test_bad_fields_are_422_with_a_message_on_the_field(world, as_, body, field):
    answer = as_(world.organiser).post(LIST, body)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()


def test_the_same_organisation_twice_is_a_409(world, as_):
    client = as_(world.organiser)
    answer = client.post(LIST, {"name": "university of baghdad", "kind": "university", "country": "IQ"})
    assert answer.status_code == 409
    assert answer.json()["reason"] == "exists"
    renamed = client.patch(f"/api/v1/stakeholders/{world.ministry.pk}", {"name": "University of Baghdad"})
    assert renamed.status_code == 409
    world.ministry.refresh_from_db()
    assert world.ministry.name == "Ministry of Communications"


def test_one_stakeholder_shows_its_contacts_as_its_page_does(world, as_):
    contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Dr Layla Hassan",
        role="Dean",
        email="layla@uob.example",
        consent_basis=StakeholderContact.ConsentBasis.IN_WRITING,
        consent_given_on=date(2026, 11, 1),
    )
    body = as_(world.staff).get(f"/api/v1/stakeholders/{world.uni.pk}").json()
    assert body["contact_count"] == 1
    assert body["contacts"] == [
        {
            "id": body["contacts"][0]["id"],
            "name": "Dr Layla Hassan",
            "role": "Dean",
            "email": "layla@uob.example",
            "phone": "",
            "consent_basis": "in_writing",
            "consent_given_on": "2026-11-01",
            "user": None,
        }
    ]
    assert as_(world.staff).get("/api/v1/stakeholders/999999").status_code == 404


def test_patch_changes_only_what_is_sent(world, as_):
    client = as_(world.staff)
    answer = client.patch(f"/api/v1/stakeholders/{world.uni.pk}", {"city": "Basra", "tags": ["Curriculum"]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["name"], body["city"], body["tags"], body["kind"]) == (
        "University of Baghdad",
        "Basra",
        ["curriculum"],
        "university",
    )
    assert client.patch(f"/api/v1/stakeholders/{world.uni.pk}", {"name": None}).status_code == 422
    assert client.patch(f"/api/v1/stakeholders/{world.uni.pk}", '"a string"').status_code == 422
    world.uni.refresh_from_db()
    assert world.uni.city == "Basra"


def test_an_interaction_with_its_follow_ups_is_recorded_and_listed(world, as_):
    contact = contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Dr Layla Hassan",
        consent_basis=StakeholderContact.ConsentBasis.IN_PERSON,
        consent_given_on=date(2026, 11, 1),
    )
    client = as_(world.staff)
    url = f"/api/v1/stakeholders/{world.uni.pk}/interactions"
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    answer = client.post(
        url,
        {
            "kind": "meeting",
            "happened_on": "2026-11-20",
            "notes": "Curriculum review agreed.",
            "staff": [world.staff.pk, world.organiser.pk],
            "contacts": [contact.pk],
            "follow_ups": [{"title": "Send the questionnaire", "owner": world.organiser.pk, "due_on": due}],
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert {p["name"] for p in body["staff"]} == {"Sara Staff", "Olga Organiser"}
    assert body["contacts"] == [{"id": contact.pk, "name": "Dr Layla Hassan"}]
    assert body["recorded_by"]["name"] == "Sara Staff"
    assert [(f["title"], f["owner"]["id"], f["due_on"], f["overdue"]) for f in body["follow_ups"]] == [
        ("Send the questionnaire", world.organiser.pk, due, False)
    ]
    listing = client.get(url).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert FollowUp.objects.get().interaction_id == body["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"staff": ["official"]}, "staff"),
        ({"contacts": [999]}, "contacts"),
        ({"follow_ups": [{"title": "X", "owner": "official", "due_on": "2026-12-24"}]}, "follow_ups"),
        ({"kind": "party"}, "kind"),
        ({"happened_on": "yesterday"}, "happened_on"),
    ],
)
def test_a_bad_interaction_is_refused_on_its_field_and_nothing_is_written(world, as_, change, field):
    def resolve(value):
        if value == "official":
            return world.official.pk
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    body = {"kind": "call", "happened_on": "2026-11-20", **{k: resolve(v) for k, v in change.items()}}
    answer = as_(world.organiser).post(f"/api/v1/stakeholders/{world.uni.pk}/interactions", body)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert Interaction.objects.count() == 0 and FollowUp.objects.count() == 0


def test_the_api_is_in_the_openapi_document(world, as_):
    paths = as_(None).get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/programmes/{slug}/stakeholders"]) == {"get", "post"}
    assert set(paths["/api/v1/stakeholders/{stakeholder_id}"]) == {"get", "patch"}
    assert set(paths["/api/v1/stakeholders/{stakeholder_id}/interactions"]) == {"get", "post"}


def test_the_list_takes_the_same_queries_for_two_or_twenty_stakeholders(world, as_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_(world.staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for n in range(18):
        Stakeholder.objects.create(programme=world.programme, name=f"Hub {n}", kind="tech_hub", country="IQ")
    assert queries() == few
