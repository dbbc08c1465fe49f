"""The two shipped templates: whole in four languages, valid, and copied into a programme as drafts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events import questionnaires as svc
from events.exceptions import EventsError
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES
from events.questionnaire_templates import TEMPLATES, template_body
from tests.questionnaires import builder_setup

pytestmark = pytest.mark.django_db
world = builder_setup.world  # the fixture


def texts_of(body: dict) -> list[dict]:
    """Every text a respondent reads in a template body."""
    found = [body["title"], body["intro"]]
    for section in body["sections"]:
        found.append(section["title"])
        for question in section["questions"]:
            found.append(question["text"])
            found += [option["label"] for option in question.get("options", [])]
            found += [v for v in question.get("settings", {}).values() if isinstance(v, dict)]
    return found


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_text_is_written_in_the_four_languages(key):
    for text in texts_of(TEMPLATES[key]):
        assert set(text) == set(QUESTIONNAIRE_LANGUAGES), text
        assert all(value.strip() for value in text.values()), text
        # Arabic and Kurdish in Arabic script; Lithuanian not a copy of the English.
        for language in ("ar", "ckb"):
            assert any("\u0600" <= ch <= "\u06ff" for ch in text[language]), text
        if len(text["en"]) > 12:
            assert text["lt"] != text["en"], text
    # Kurdish is not Arabic copied.
    assert sum(t["ar"] == t["ckb"] for t in texts_of(TEMPLATES[key])) == 0


def test_the_curriculum_review_asks_what_the_issue_asks():
    questions = {q["key"]: q for s in TEMPLATES["ict_curriculum_review"]["sections"] for q in s["questions"]}
    assert questions["skills_taught"]["kind"] == "skills" and questions["skills_taught"]["skill_purpose"] == "taught"
    assert questions["graduates_per_year"]["kind"] == "number"
    assert questions["teaching_languages"]["kind"] == "multiple"
    assert any(q.get("show_if") for q in questions.values())
    assert TEMPLATES["ict_curriculum_review"]["audience"] == ["university", "training_provider"]


def test_the_capacity_review_asks_what_the_issue_asks():
    questions = {q["key"]: q for s in TEMPLATES["institutional_capacity"]["sections"] for q in s["questions"]}
    assert questions["staff_skills"]["kind"] == "skills" and questions["staff_skills"]["skill_purpose"] == "needed"
    assert questions["constraints"]["kind"] == "long_text"
    assert sum(q["kind"] == "scale" and q["key"].startswith("priority") for q in questions.values()) >= 3
    assert TEMPLATES["institutional_capacity"]["audience"] == ["government"]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_a_template_becomes_the_programmes_own_draft(world, key):
    q = svc.questionnaire_create_from_template(programme=world.programme, actor=world.staff, template=key)
    assert q.template == key and q.status == "draft" and q.title == TEMPLATES[key]["title"]
    expected = [q_["key"] for s in TEMPLATES[key]["sections"] for q_ in s["questions"]]
    assert list(q.questions.order_by("section__position", "position").values_list("key", flat=True)) == expected
    conditional = q.questions.exclude(show_if=None)
    assert conditional.exists()
    for question in conditional:
        assert question.show_if.questionnaire_id == q.pk
    # A copy: editing it leaves the shipped template as it is.
    svc.questionnaire_update(questionnaire=q, actor=world.staff, fields={"title": {"en": "Ours"}})
    assert template_body(key)["title"]["en"] != "Ours"
    assert svc.questionnaire_open(questionnaire=q, actor=world.staff).status == "open"


def test_an_unknown_template_is_refused(world):
    with pytest.raises(EventsError) as caught:
        svc.questionnaire_create_from_template(programme=world.programme, actor=world.staff, template="nope")
    assert caught.value.code == "unknown_template"


def test_the_command_copies_both_templates_once_in_the_name_of_staff(world):
    out = StringIO()
    call_command("load_questionnaire_templates", programme="lt-iq", by="staff@explorers.example", stdout=out)
    assert sorted(world.programme.questionnaires.values_list("template", flat=True)) == sorted(TEMPLATES)
    assert "17 questions" in out.getvalue()
    call_command("load_questionnaire_templates", programme="lt-iq", by="staff@explorers.example", stdout=out)
    assert world.programme.questionnaires.count() == 2 and "skipped" in out.getvalue()
    with pytest.raises(CommandError, match="organisers and staff"):
        call_command("load_questionnaire_templates", programme="lt-iq", by="outsider@example.org", again=True)
    with pytest.raises(CommandError, match="No programme"):
        call_command("load_questionnaire_templates", programme="nope", by="staff@explorers.example")
    assert world.programme.questionnaires.count() == 2
