"""The questionnaire list and builder pages: who sees them, and building through their forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from events import questionnaires as svc
from events.models import Question, Questionnaire
from tests.questionnaires import builder_setup
from tests.questionnaires.builder_setup import choice, en, respond

pytestmark = pytest.mark.django_db
world = builder_setup.world  # the fixture

BASE = "/programmes/lt-iq/questionnaires/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_organisers_and_staff_see_the_pages_others_do_not(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("Hidden one")})
    for who in ("organiser", "staff"):
        client = signed_in(getattr(world, who))
        assert "Hidden one" in client.get(BASE).content.decode()
        assert client.get(f"{BASE}{q.pk}/").status_code == 200
    for who in ("official", "outsider"):
        client = signed_in(getattr(world, who))
        for path in (BASE, f"{BASE}{q.pk}/", f"{BASE}{q.pk}/questions/1"):
            assert client.get(path).status_code == 404, (who, path)
        assert client.post(f"{BASE}from-template", {"template": "institutional_capacity"}).status_code == 404
        assert client.post(f"{BASE}{q.pk}/status", {"to": "open"}).status_code == 404
    anonymous = Client().get(BASE)
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    assert Questionnaire.objects.count() == 1


def test_a_template_is_copied_from_the_list_and_shown_in_the_builder_in_arabic(world):
    client = signed_in(world.staff)
    response = client.post(f"{BASE}from-template", {"template": "ict_curriculum_review"})
    assert response.status_code == 302
    q = Questionnaire.objects.get()
    assert response["Location"] == f"{BASE}{q.pk}/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert q.title["ar"] in page
    assert Question.objects.get(questionnaire=q, key="framework_name").text["ar"] in page
    assert client.post(f"{BASE}from-template", {"template": "nope"}).status_code == 422


def test_a_blank_questionnaire_is_built_through_the_forms(world):
    client = signed_in(world.organiser)
    assert client.post(f"{BASE}new", {"title_en": ""}).status_code == 422  # a title in no language
    response = client.post(f"{BASE}new", {"title_en": "Employers", "title_ckb": "خاوەنکاران"})
    q = Questionnaire.objects.get()
    assert q.title == {"en": "Employers", "ckb": "خاوەنکاران"} and response["Location"] == f"{BASE}{q.pk}/"
    assert client.post(f"{BASE}{q.pk}/sections", {"new-section-title_en": "About you"}).status_code == 302
    section = q.sections.get()
    prefix = f"q{section.pk}-"
    options = "online | Online | عبر الإنترنت\nonsite | On site | في الموقع | Vietoje | لە شوێن"
    added = client.post(
        f"{BASE}{q.pk}/sections/{section.pk}/questions",
        {prefix + "key": "mode", prefix + "kind": "single", prefix + "text_en": "How?", prefix + "options": options},
    )
    assert added.status_code == 302, added.content.decode()
    mode = q.questions.get(key="mode")
    assert mode.options[1] == {
        "value": "onsite",
        "label": {"en": "On site", "ar": "في الموقع", "lt": "Vietoje", "ckb": "لە شوێن"},
    }
    conditional = {
        prefix + "key": "why",
        prefix + "kind": "long_text",
        prefix + "text_en": "Why?",
        prefix + "show_if": "mode",
        prefix + "show_if_values": "online, hybrid",
    }
    refused = client.post(f"{BASE}{q.pk}/sections/{section.pk}/questions", conditional)
    assert refused.status_code == 422 and "online, onsite" in refused.content.decode()
    assert 'value="why"' in refused.content.decode()  # the form keeps what was typed
    conditional[prefix + "show_if_values"] = "online"
    assert client.post(f"{BASE}{q.pk}/sections/{section.pk}/questions", conditional).status_code == 302
    why = q.questions.get(key="why")
    assert why.show_if == mode and why.show_if_values == ["online"]
    # Editing on its own page keeps the condition; the number bounds are checked.
    page = client.get(f"{BASE}{q.pk}/questions/{why.pk}").content.decode()
    assert 'value="online"' in page
    assert client.post(f"{BASE}{q.pk}/status", {"to": "open"}).status_code == 302
    q.refresh_from_db()
    assert q.status == "open"
    assert client.post(f"{BASE}{q.pk}/status", {"to": "draft"}).status_code == 422


def test_refusals_are_shown_on_the_builder(world):
    body = {"title": en("S"), "sections": [{"title": en("A"), "questions": [choice("mode", "online", "onsite")]}]}
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body=body)
    mode = q.questions.get()
    respond(q, world.uni, {"mode": "online"})
    client = signed_in(world.organiser)
    response = client.post(f"{BASE}{q.pk}/questions/{mode.pk}/remove")
    assert response.status_code == 409
    assert "questions can no longer be removed" in response.content.decode()
    assert q.questions.count() == 1
    edit = client.post(
        f"{BASE}{q.pk}/questions/{mode.pk}",
        {"key": "delivery", "kind": "single", "text_en": "How?", "options": "online\nonsite"},
    )
    assert edit.status_code == 409 and Question.objects.get(pk=mode.pk).key == "mode"
    saved = client.post(
        f"{BASE}{q.pk}/questions/{mode.pk}",
        {"key": "mode", "kind": "single", "text_en": "How?", "text_lt": "Kaip?", "options": "online\nonsite\nhybrid"},
    )
    assert saved.status_code == 302
    assert Question.objects.get(pk=mode.pk).text == {"en": "How?", "lt": "Kaip?"}


def test_settings_are_saved_from_the_form(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("S")})
    client = signed_in(world.organiser)
    form = {"title_en": "S", "audience": ["university", "tech_hub"], "link_days": "21", "reminder_days": "3, 10"}
    assert client.post(f"{BASE}{q.pk}/settings", form).status_code == 302
    q.refresh_from_db()
    assert (q.audience, q.link_days, q.reminder_days) == (["university", "tech_hub"], 21, [3, 10])
    # The closing time is read in the site's zone (UTC), which the field names.
    assert "Closes at (UTC)" in client.get(f"{BASE}{q.pk}/").content.decode()
    assert client.post(f"{BASE}{q.pk}/settings", {**form, "closes_at": "2030-01-31T18:30"}).status_code == 302
    q.refresh_from_db()
    assert q.closes_at == datetime(2030, 1, 31, 18, 30, tzinfo=UTC)
    bad = client.post(f"{BASE}{q.pk}/settings", {**form, "reminder_days": "3, 30"})
    assert bad.status_code == 422 and "reminder_days" in bad.content.decode()
    assert client.post(f"{BASE}{q.pk}/settings", {**form, "reminder_days": "soon"}).status_code == 422


def test_the_programme_page_and_the_directory_link_to_the_questionnaires_for_staff_only(world):
    link = f'href="{BASE}"'
    for who in ("organiser", "staff"):
        client = signed_in(getattr(world, who))
        assert link in client.get("/programmes/lt-iq/").content.decode(), who
        assert link in client.get("/programmes/lt-iq/stakeholders/").content.decode(), who
    for client in (signed_in(world.official), signed_in(world.outsider), Client()):
        page = client.get("/programmes/lt-iq/")
        assert page.status_code == 200 and link not in page.content.decode()


def test_the_builder_counts_the_texts_still_to_translate_per_language(world):
    body = {
        "title": {"en": "S", "ar": "س", "lt": "S", "ckb": "س"},
        "sections": [
            {
                "title": {"en": "A", "ar": "أ"},
                "questions": [choice("mode", "online", "onsite"), {"key": "d", "kind": "date", "text": {"lt": "Data"}}],
            }
        ],
    }
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body=body)
    page = signed_in(world.staff).get(f"{BASE}{q.pk}/").content.decode()
    notice = page.split("data-untranslated>", 1)[1].split("</p>", 1)[0]
    # Section title lacks lt, ckb; "mode" and its two options are English only; "d" Lithuanian only.
    assert "English</bdi> 1" in notice and "العربية</bdi> 4" in notice
    assert "Lietuvių</bdi> 4" in notice and "کوردی</bdi> 5" in notice
    template = svc.questionnaire_create_from_template(
        programme=world.programme, actor=world.organiser, template="ict_curriculum_review"
    )
    assert "data-untranslated" not in signed_in(world.staff).get(f"{BASE}{template.pk}/").content.decode()
