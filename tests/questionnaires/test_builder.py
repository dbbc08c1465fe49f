"""Building a questionnaire: what is checked, who may build, and what is refused once people answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import questionnaires as svc
from events.exceptions import EventsError, PermissionDenied
from events.models import Question, Questionnaire
from tests.questionnaires import builder_setup
from tests.questionnaires.builder_setup import choice, en, respond

pytestmark = pytest.mark.django_db
world = builder_setup.world  # the fixture


def build(world, *questions, **fields) -> Questionnaire:
    body = {"title": en("Survey"), "sections": [{"title": en("One"), "questions": list(questions)}], **fields}
    return svc.questionnaire_create(programme=world.programme, actor=world.organiser, body=body)


def refused(code: str, fn, **kwargs) -> EventsError:
    with pytest.raises(EventsError) as caught:
        fn(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_a_blank_questionnaire_needs_a_title_in_an_allowed_language(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.staff, body={"title": {"ar": "استبيان"}})
    assert q.status == "draft" and q.title == {"ar": "استبيان"} and q.created_by == world.staff
    error = refused(
        "invalid", svc.questionnaire_create, programme=world.programme, actor=world.staff, body={"title": {}}
    )
    assert "title" in error.message
    error = refused(
        "invalid", svc.questionnaire_create, programme=world.programme, actor=world.staff, body={"title": {"fr": "x"}}
    )
    assert "fr" in error.message
    refused(
        "invalid", svc.questionnaire_create, programme=world.programme, actor=world.staff, body={"title": {"en": 3}}
    )


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_only_organisers_and_programme_staff_build(world, who):
    with pytest.raises(PermissionDenied):
        svc.questionnaire_create(programme=world.programme, actor=getattr(world, who), body={"title": en("x")})
    assert not Questionnaire.objects.exists()


def test_kinds_options_and_settings_are_checked(world):
    bad = [
        ({"key": "a", "kind": "essay", "text": en("a")}, "kind"),
        ({"key": "A b", "kind": "short_text", "text": en("a")}, "key"),
        (choice("a", "x"), "options"),  # one option
        (choice("a", "x", "x"), "value"),  # twice the same value
        ({"key": "a", "kind": "short_text", "text": en("a"), "options": [{"value": "x", "label": en("x")}]}, "options"),
        ({"key": "a", "kind": "number", "text": en("a"), "settings": {"min": 5, "max": 1}}, "max"),
        ({"key": "a", "kind": "number", "text": en("a"), "settings": {"min": "1"}}, "min"),
        ({"key": "a", "kind": "skills", "text": en("a")}, "skill_purpose"),
        ({"key": "a", "kind": "short_text", "text": en("a"), "skill_purpose": "taught"}, "skill_purpose"),
        ({"key": "a", "kind": "date", "text": {}}, "text"),
    ]
    for question, field in bad:
        with pytest.raises(EventsError) as caught:
            build(world, question)
        assert field in caught.value.message, (question, caught.value.message)
    assert not Questionnaire.objects.exists()
    q = build(world, {"key": "n", "kind": "number", "text": en("n"), "settings": {"min": 0, "max": 0}})
    assert q.questions.get().settings == {"min": 0, "max": 0}


def test_keys_are_unique_in_a_questionnaire(world):
    with pytest.raises(EventsError) as caught:
        build(world, {"key": "a", "kind": "date", "text": en("a")}, {"key": "a", "kind": "date", "text": en("b")})
    assert caught.value.code == "duplicate_key"


def test_a_condition_points_to_an_earlier_choice_or_scale_question_and_its_values(world):
    later = {"key": "why", "kind": "long_text", "text": en("why"), "show_if": "mode", "show_if_values": ["online"]}
    with pytest.raises(EventsError) as caught:  # pointing forward
        build(world, later, choice("mode", "online", "onsite"))
    assert caught.value.code == "condition_order"
    with pytest.raises(EventsError) as caught:  # a value the question does not have
        build(world, choice("mode", "online", "onsite"), {**later, "show_if_values": ["hybrid"]})
    assert "online, onsite" in caught.value.message
    with pytest.raises(EventsError) as caught:  # on a text question
        build(world, {"key": "mode", "kind": "short_text", "text": en("m")}, later)
    assert "show_if" in caught.value.message
    with pytest.raises(EventsError):  # a condition without values
        build(world, choice("mode", "online", "onsite"), {**later, "show_if_values": []})
    scale = {"key": "s", "kind": "scale", "text": en("s")}
    with pytest.raises(EventsError):
        build(world, scale, {**later, "show_if": "s", "show_if_values": [6]})
    q = build(world, scale, {**later, "show_if": "s", "show_if_values": [4, 5]})
    why = q.questions.get(key="why")
    assert why.show_if.key == "s" and why.show_if_values == [4, 5]


def test_sections_and_questions_are_added_edited_moved_and_removed(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("Survey")})
    first = svc.section_add(questionnaire=q, actor=world.organiser, data={"title": en("First")})
    second = svc.section_add(questionnaire=q, actor=world.organiser, data={"title": en("Second")})
    mode = svc.question_add(section=first, actor=world.organiser, data=choice("mode", "online", "onsite"))
    why = svc.question_add(
        section=second,
        actor=world.organiser,
        data={"key": "why", "kind": "long_text", "text": en("Why?"), "show_if": "mode", "show_if_values": ["online"]},
    )
    assert why.show_if == mode
    # Moving the second section above the first would put the condition before its question.
    refused("condition_order", svc.section_move, section=second, actor=world.organiser, offset=-1)
    assert list(q.sections.values_list("title", flat=True)) == [en("First"), en("Second")]
    # Removing the question a condition names is refused; the dependent goes first.
    refused("has_dependents", svc.question_remove, question=mode, actor=world.organiser)
    svc.question_update(question=why, actor=world.organiser, data={"text": {"en": "Why?", "ar": "لماذا؟"}})
    why.refresh_from_db()
    assert why.text == {"en": "Why?", "ar": "لماذا؟"} and why.show_if == mode
    # Renaming the key keeps the condition on the same question.
    svc.question_update(question=mode, actor=world.organiser, data={"key": "delivery"})
    why.refresh_from_db()
    assert why.show_if.key == "delivery"
    extra = svc.question_add(section=first, actor=world.organiser, data={"key": "d", "kind": "date", "text": en("d")})
    svc.question_move(question=extra, actor=world.organiser, offset=-1)
    assert list(first.questions.order_by("position").values_list("key", flat=True)) == ["d", "delivery"]
    svc.question_remove(question=why, actor=world.organiser)
    svc.section_move(section=second, actor=world.organiser, offset=-1)
    assert list(q.sections.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    svc.section_remove(section=first, actor=world.organiser)
    assert list(q.sections.values_list("position", flat=True)) == [0]
    assert not q.questions.exists()


def test_open_needs_a_question_and_status_moves_only_as_allowed(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("S")})
    refused("no_questions", svc.questionnaire_open, questionnaire=q, actor=world.organiser)
    refused("invalid_transition", svc.questionnaire_close, questionnaire=q, actor=world.organiser)
    section = svc.section_add(questionnaire=q, actor=world.organiser, data={"title": en("A")})
    svc.question_add(section=section, actor=world.organiser, data={"key": "d", "kind": "date", "text": en("d")})
    svc.questionnaire_update(
        questionnaire=q, actor=world.organiser, fields={"closes_at": timezone.now() - timedelta(minutes=1)}
    )
    refused("closes_at_passed", svc.questionnaire_open, questionnaire=q, actor=world.organiser)
    svc.questionnaire_update(questionnaire=q, actor=world.organiser, fields={"closes_at": None})
    assert svc.questionnaire_open(questionnaire=q, actor=world.organiser).status == "open"
    refused("invalid_transition", svc.questionnaire_open, questionnaire=q, actor=world.organiser)
    assert svc.questionnaire_close(questionnaire=q, actor=world.organiser).status == "closed"
    assert svc.questionnaire_open(questionnaire=q, actor=world.organiser).status == "open"  # reopened


def test_settings_are_checked(world):
    q = svc.questionnaire_create(programme=world.programme, actor=world.organiser, body={"title": en("S")})
    for fields, name in [
        ({"audience": ["university", "club"]}, "audience"),
        ({"link_days": 0}, "link_days"),
        ({"link_days": True}, "link_days"),
        ({"reminder_days": [3, 40]}, "reminder_days"),  # after the 30-day link expired
        ({"closes_at": "tomorrow"}, "closes_at"),
        ({"status": "open"}, "status"),
    ]:
        with pytest.raises(EventsError) as caught:
            svc.questionnaire_update(questionnaire=q, actor=world.organiser, fields=fields)
        assert name in caught.value.message, fields
    svc.questionnaire_update(questionnaire=q, actor=world.organiser, fields={"reminder_days": [14, 7, 7]})
    refused("invalid", svc.questionnaire_update, questionnaire=q, actor=world.organiser, fields={"link_days": 10})
    q.refresh_from_db()
    assert q.reminder_days == [7, 14] and q.link_days == 30 and q.status == "draft"


def test_once_answers_exist_nothing_they_are_keyed_by_changes(world):
    q = build(world, choice("mode", "online", "onsite"), {"key": "n", "kind": "number", "text": en("n")})
    mode, number = q.questions.get(key="mode"), q.questions.get(key="n")
    respond(q, world.uni, {"mode": "online", "n": 3}, submitted=False)
    refused("has_responses", svc.question_remove, question=number, actor=world.organiser)
    refused("has_responses", svc.question_update, question=number, actor=world.organiser, data={"key": "count"})
    refused("has_responses", svc.question_update, question=number, actor=world.organiser, data={"kind": "short_text"})
    fewer = {"options": [{"value": "onsite", "label": en("Onsite")}, {"value": "hybrid", "label": en("Hybrid")}]}
    refused("has_responses", svc.question_update, question=mode, actor=world.organiser, data=fewer)
    refused("has_responses", svc.section_remove, section=mode.section, actor=world.organiser)
    # Texts, a new option, new questions still may change.
    more = {"options": [*mode.options, {"value": "hybrid", "label": en("Hybrid")}], "text": en("How?")}
    svc.question_update(question=mode, actor=world.organiser, data=more)
    svc.question_add(section=mode.section, actor=world.organiser, data={"key": "d", "kind": "date", "text": en("d")})
    assert [o["value"] for o in Question.objects.get(pk=mode.pk).options] == ["online", "onsite", "hybrid"]
    assert q.questions.count() == 3
