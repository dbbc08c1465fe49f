"""Programmes, action items and the roadmap through the API: who may read and change what."""

from __future__ import annotations

import pytest

from events.models import ActionItem, ActionItemUpdate

ACTION_FIELDS = {
    "id",
    "title",
    "description",
    "theme",
    "lead_country",
    "lead_organisation",
    "partners",
    "due_date",
    "status",
    "visibility",
    "source_session",
    "source_meeting",
    "updated_at",
}


def test_anyone_reads_a_programme_with_its_partners_and_visible_events(prog, as_):
    body = as_(None).get("/api/v1/programmes/dex-iraq").json()
    assert body["name"] == "Digital Explorers – Iraq Edition"
    assert {(p["country"], p["organisation"]["name"], p["role"]) for p in body["partners"]} == {
        ("LT", "Ministry of Social Security and Labour", "lead"),
        ("IQ", "Ministry of Labour and Social Affairs", "partner"),
    }
    assert body["events"] == ["job-fair", "dialogue"] or set(body["events"]) == {"job-fair", "dialogue"}
    listing = as_(None).get("/api/v1/programmes").json()
    assert [p["slug"] for p in listing["items"]] == ["dex-iraq"]
    assert as_(None).get("/api/v1/programmes/nope").status_code == 404


def test_an_event_names_its_programme(prog, as_):
    assert as_(None).get("/api/v1/events/dialogue").json()["programme"] == "dex-iraq"


def test_only_organisers_create_and_change_programmes(prog, as_):
    body = {
        "slug": "second",
        "name": "Second programme",
        "starts_on": "2027-01-01",
        "ends_on": "2027-06-30",
        "partners": [{"organisation": prog.ministry_lt.pk, "country": "LT", "role": "lead"}],
    }
    assert as_("lead_lt").post("/api/v1/programmes", body).status_code == 403
    assert as_(None).post("/api/v1/programmes", body).status_code == 401
    created = as_("organiser").post("/api/v1/programmes", body)
    assert created.status_code == 201, created.content
    assert created.json()["partners"][0]["organisation"]["id"] == prog.ministry_lt.pk
    assert as_("organiser").post("/api/v1/programmes", body).json()["reason"] == "validation"
    patched = as_("organiser").patch("/api/v1/programmes/second", {"name": "Renamed", "partners": []})
    assert patched.status_code == 200 and patched.json()["name"] == "Renamed" and patched.json()["partners"] == []
    assert as_("rapporteur").patch("/api/v1/programmes/second", {"name": "x"}).status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"slug": "a b", "name": "x"}, "slug"),
        ({"slug": "ok", "name": ""}, "name"),
        ({"slug": "ok", "name": "x", "starts_on": "2027-02-01", "ends_on": "2027-01-01"}, "ends_on"),
        ({"slug": "ok", "name": "x", "languages": ["fr"]}, "languages.0"),
        ({"slug": "ok", "name": "x", "partners": [{"organisation": 1, "country": "Lithuania"}]}, "partners.0.country"),
    ],
)
def test_bad_programme_bodies_are_422_naming_the_field(prog, as_, body, field):
    response = as_("organiser").post("/api/v1/programmes", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_an_unknown_partner_organisation_is_422(prog, as_):
    body = {"slug": "ok", "name": "x", "partners": [{"organisation": 999999, "country": "LT"}]}
    response = as_("organiser").post("/api/v1/programmes", body)
    assert response.status_code == 422 and response.json()["reason"] == "unknown_organisation"


# Who sees which action items: officials (partner members, dialogue officials), rapporteurs and
# organisers see officials-only items; everyone else public ones (and items their organisation leads).
SEES_ALL = {"organiser", "lead_lt", "delegate_iq", "rapporteur"}


@pytest.mark.parametrize(
    "who", [None, "outsider", "candidate", "official", "organiser", "lead_lt", "delegate_iq", "rapporteur"]
)
def test_each_actor_sees_the_action_items_their_role_allows(prog, as_, who):
    client = as_(who)
    titles = {i["title"] for i in client.get("/api/v1/programmes/dex-iraq/actions").json()["items"]}
    expected = {"Joint recognition of ICT qualifications"}
    if who in SEES_ALL:
        expected.add("Data exchange memorandum")
    assert titles == expected
    detail = client.get(f"/api/v1/actions/{prog.officials_item.pk}")
    assert detail.status_code == (200 if who in SEES_ALL else 404)
    assert client.get(f"/api/v1/actions/{prog.public_item.pk}").status_code == 200


def test_action_json_has_the_documented_fields(prog, as_):
    body = as_(None).get(f"/api/v1/actions/{prog.public_item.pk}").json()
    assert set(body) >= ACTION_FIELDS
    assert body["lead_organisation"]["name"] == "Ministry of Social Security and Labour"
    assert len(body["due_date"]) == 10 and body["due_date"][4] == "-"


def test_action_list_filters_by_country_theme_and_status(prog, as_):
    client = as_("organiser")
    by = lambda q: {i["id"] for i in client.get(f"/api/v1/programmes/dex-iraq/actions?{q}").json()["items"]}  # noqa: E731
    assert by("country=IQ") == {prog.officials_item.pk}
    assert by("theme=Recognition of qualifications") == {prog.public_item.pk}
    assert by("status=agreed") == {prog.officials_item.pk}
    assert client.get("/api/v1/programmes/dex-iraq/actions?status=finished").status_code == 422
    assert client.get("/api/v1/programmes/dex-iraq/actions?limit=0").status_code == 422


def _new_action(prog, **extra):
    return {
        "title": "Pilot of circular migration for ICT specialists",
        "theme": "Labour migration management",
        "lead_organisation": prog.ministry_lt.pk,
        "partners": [prog.ministry_iq.pk],
        "due_date": "2027-03-31",
        "source_session": prog.session.pk,
        "visibility": "public",
        **extra,
    }


@pytest.mark.parametrize(
    "who, status", [("organiser", 201), ("rapporteur", 201), ("lead_lt", 403), ("delegate_iq", 403), ("outsider", 403)]
)
def test_organisers_and_rapporteurs_create_action_items(prog, as_, who, status):
    response = as_(who).post("/api/v1/programmes/dex-iraq/actions", _new_action(prog))
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["lead_country"] == "LT"  # from the lead organisation when not given
        assert body["status"] == "proposed" and body["source_session"] == prog.session.pk
        assert [p["id"] for p in body["partners"]] == [prog.ministry_iq.pk]
        history = as_(who).get(f"/api/v1/actions/{body['id']}/updates").json()["items"]
        assert history[0]["changes"]["status"] == [None, "proposed"]


def test_creating_needs_a_token(prog, as_):
    assert as_(None).post("/api/v1/programmes/dex-iraq/actions", _new_action(prog)).status_code == 401


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"title": ""}, "title"),
        ({"due_date": "31/03/2027"}, "due_date"),
        ({"due_date": 20270331}, "due_date"),
        ({"status": "done"}, None),
        ({"visibility": "secret"}, "visibility"),
        ({"lead_country": "Lithuania"}, "lead_country"),
        ({"lead_country": "ZZ"}, "lead_country"),
        ({"lead_organisation": 999999}, "lead_organisation"),
        ({"partners": [999999]}, "partners"),
        ({"source_session": 999999}, "source_session"),
        ({"source_meeting": 999999}, "source_meeting"),
    ],
)
def test_bad_action_bodies_are_422(prog, as_, extra, field):
    response = as_("organiser").post("/api/v1/programmes/dex-iraq/actions", _new_action(prog, **extra))
    assert response.status_code == 422, response.content
    if field:
        assert field in response.json()["errors"]


def test_a_session_of_another_programme_cannot_be_the_source(prog, as_, actors):
    from tests.factories import SessionFactory

    elsewhere = SessionFactory()
    response = as_("organiser").post(
        "/api/v1/programmes/dex-iraq/actions", _new_action(prog, source_session=elsewhere.pk)
    )
    assert response.status_code == 422 and response.json()["reason"] == "invalid_source"


def test_the_lead_moves_the_status_along_and_nothing_else(prog, as_):
    item = prog.public_item
    lead = as_("lead_lt")
    assert lead.patch(f"/api/v1/actions/{item.pk}", {"title": "Mine now"}).status_code == 403
    moved = lead.patch(f"/api/v1/actions/{item.pk}", {"status": "agreed", "comment": "Signed off by the minister"})
    assert moved.status_code == 200 and moved.json()["status"] == "agreed"
    entry = ActionItemUpdate.objects.filter(item=item).latest("id")
    assert entry.author == prog.lead_lt
    assert entry.changes == {"status": ["proposed", "agreed"]}
    assert entry.comment == "Signed off by the minister"
    # The other ministry's member is not the lead: they may not move it.
    assert as_("delegate_iq").patch(f"/api/v1/actions/{item.pk}", {"status": "in_progress"}).status_code == 403


@pytest.mark.parametrize(
    "current, new",
    [
        ("proposed", "done"),
        ("proposed", "in_progress"),
        ("agreed", "proposed"),
        ("done", "in_progress"),
        ("in_progress", "agreed"),
    ],
)
def test_illegal_transitions_are_409_with_a_stable_reason(prog, as_, current, new):
    ActionItem.objects.filter(pk=prog.public_item.pk).update(status=current)
    response = as_("organiser").patch(f"/api/v1/actions/{prog.public_item.pk}", {"status": new})
    assert response.status_code == 409
    assert response.json()["reason"] == "invalid_transition"
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == current


def test_a_dropped_item_needs_a_reason_and_stays_dropped(prog, as_):
    url = f"/api/v1/actions/{prog.public_item.pk}"
    lead = as_("lead_lt")
    refused = lead.patch(url, {"status": "dropped"})
    assert refused.status_code == 422 and refused.json()["reason"] == "dropped_reason_required"
    dropped = lead.patch(url, {"status": "dropped", "dropped_reason": "Superseded by the EU talent partnership"})
    assert dropped.status_code == 200 and dropped.json()["dropped_reason"].startswith("Superseded")
    again = as_("organiser").patch(url, {"status": "agreed"})
    assert again.status_code == 409 and again.json()["reason"] == "invalid_transition"


def test_progress_notes_are_the_history(prog, as_):
    url = f"/api/v1/actions/{prog.public_item.pk}/updates"
    lead = as_("lead_lt")
    assert lead.post(url, {}).json()["reason"] == "empty_update"
    note = lead.post(url, {"comment": "Draft text shared with Baghdad"})
    assert note.status_code == 201 and note.json()["author"]["name"] == "Rūta Kazlauskienė"
    moved = lead.post(url, {"status": "agreed", "comment": "Agreed at the dialogue"})
    assert moved.status_code == 201 and moved.json()["changes"] == {"status": ["proposed", "agreed"]}
    assert lead.post(url, {"status": "done"}).status_code == 409
    assert as_("outsider").post(url, {"comment": "hello"}).status_code == 403
    assert (
        as_("delegate_iq").post(f"/api/v1/actions/{prog.officials_item.pk}/updates", {"comment": "x"}).status_code
        == 403
    )
    history = as_(None).get(url).json()
    assert [h["comment"] for h in history["items"]] == ["Draft text shared with Baghdad", "Agreed at the dialogue"]
    assert as_(None).get(f"/api/v1/actions/{prog.officials_item.pk}/updates").status_code == 404


def test_editors_change_every_field_and_the_history_says_what(prog, as_):
    url = f"/api/v1/actions/{prog.officials_item.pk}"
    response = as_("rapporteur").patch(
        url, {"due_date": "2027-05-01", "visibility": "public", "partners": [prog.ministry_lt.pk], "comment": "moved"}
    )
    assert response.status_code == 200, response.content
    entry = ActionItemUpdate.objects.filter(item=prog.officials_item).latest("id")
    assert entry.changes["due_date"][1] == "2027-05-01"
    assert entry.changes["visibility"] == ["officials", "public"]
    assert entry.changes["partners"] == [[], [prog.ministry_lt.pk]]
    assert as_(None).get(url).status_code == 200  # public now
    assert as_("organiser").patch(url, {"title": None}).status_code == 422
    assert as_("organiser").patch(url, '"a string"').status_code == 422


def test_roadmap_groups_by_theme_with_counts_and_overdue(prog, as_):
    body = as_("organiser").get("/api/v1/programmes/dex-iraq/roadmap").json()
    assert [t["theme"] for t in body["themes"]] == ["Data exchange", "Recognition of qualifications"]
    assert body["counts"]["proposed"] == 1 and body["counts"]["agreed"] == 1 and body["counts"]["done"] == 0
    assert body["overdue"] == 1
    assert body["themes"][0]["items"][0]["overdue"] is True
    assert body["themes"][0]["counts"]["agreed"] == 1
    assert body["stream"] == "programme:dex-iraq:roadmap:officials"
    public = as_(None).get("/api/v1/programmes/dex-iraq/roadmap").json()
    assert [t["theme"] for t in public["themes"]] == ["Recognition of qualifications"]
    assert public["overdue"] == 0 and public["stream"] == "programme:dex-iraq:roadmap:public"
    filtered = as_("organiser").get("/api/v1/programmes/dex-iraq/roadmap?country=LT").json()
    assert filtered["counts"]["agreed"] == 0
    assert as_(None).get("/api/v1/programmes/dex-iraq/roadmap?country=Iraq").status_code == 422


def test_organisers_put_an_event_into_a_programme_or_take_it_out(prog, as_):
    organiser = as_("organiser")
    assert organiser.patch("/api/v1/events/job-fair", {"programme": None}).json()["programme"] is None
    assert organiser.patch("/api/v1/events/job-fair", {"programme": "dex-iraq"}).json()["programme"] == "dex-iraq"
    unknown = organiser.patch("/api/v1/events/job-fair", {"programme": "nope"})
    assert unknown.status_code == 422 and "programme" in unknown.json()["errors"]
    assert organiser.patch("/api/v1/events/job-fair", {"programme": "a b"}).status_code == 422


def test_the_roadmap_reads_in_the_same_few_queries_however_many_items(prog, as_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_("delegate_iq")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/programmes/dex-iraq/roadmap").status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        item = ActionItem.objects.create(
            programme=prog.programme, title=f"Item {n}", theme=f"Theme {n % 4}", lead_organisation=prog.ministry_lt
        )
        item.partners.set([prog.ministry_iq])
    assert queries() == few <= 15
