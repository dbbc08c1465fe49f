"""Answering a questionnaire through a personal link: saved as you go, submitted once (issue 13).

The only writer of QuestionnaireResponse (and of an invitation's opened_at).

Saving. The page sends only what changed, `{key: value}` (null or "" clears an answer), with the
revision it last saw. The rule when two tabs or a phone that was offline send older changes:
**the last write per question wins**. Changes merge question by question into what is stored, so
a tab that saved "budget" does not undo another tab's "languages"; the answer carries the stored
answers and the new revision, and a page whose revision was behind takes the server's answers for
the questions it has no unsent change of (static/js/questionnaire.js). A 409 would have made a
phone that was offline for an hour throw away or re-ask what was typed, for no gain: an answer is
one person's, and their latest word on a question is the one they mean.

A save that changes nothing (the same changes sent again after a lost reply) leaves the revision as
it was: repeating is harmless. Submitting twice records one submission (the first time is kept).
Answers may be edited, also after submitting, while the questionnaire takes answers
(Questionnaire.accepts_answers) and the link works.

Conditions: a question shown only for some answers of an earlier one is hidden when those answers
are not given; its answer is dropped (on every save), so a changed mind leaves no stray answer.

Validation per kind is in the shapes of events/questionnaire_models.py; every problem is reported
per question key (AnswersInvalid.errors) and nothing of that request is saved.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import hooks
from events.exceptions import EventsError
from events.models import Question, Questionnaire, QuestionnaireInvitation, QuestionnaireResponse
from events.questionnaire_links import link_state
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES
from events.text import text_problem

TEXT_LIMITS = {Question.Kind.SHORT_TEXT: 300, Question.Kind.LONG_TEXT: 5000}
MAX_SKILLS = 200
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class AnswersInvalid(EventsError):
    code = "invalid_answers"
    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need another look."))
        self.errors = errors


def _refuse_link(invitation: QuestionnaireInvitation, now: datetime) -> None:
    state = link_state(invitation, now)
    if state == "revoked":
        raise EventsError(_("This link was withdrawn by the organisers."), code="revoked", status=410)
    if state == "expired":
        raise EventsError(_("This link has expired."), code="expired", status=410)
    if state == "closed":
        raise EventsError(_("This questionnaire is closed and takes no more answers."), code="closed", status=409)


def skill_slugs() -> set[str]:
    """The taxonomy's slugs, from matching through events.hooks (events may not import matching)."""
    provider = hooks.figure("skill_taxonomy")
    if provider is None:
        raise RuntimeError("no 'skill_taxonomy' provider: matching must register it in its AppConfig.ready()")
    return {row["slug"] for row in provider(language="en")}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _option_values(question: Question) -> set[str]:
    return {str(option.get("value")) for option in question.options if isinstance(option, dict)}


def clean_answer(question: Question, value: Any, *, skills: set[str] | None = None) -> Any:
    """The answer in its stored shape; ValueError with a message for the person when it cannot be."""
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in _option_values(question):
            raise ValueError(_("Choose one of the options."))
        return value
    if kind == Question.Kind.MULTIPLE:
        allowed = _option_values(question)
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            raise ValueError(_("Choose among the options."))
        return list(dict.fromkeys(value))
    if kind == Question.Kind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(_("Choose a value from 1 to 5."))
        return value
    if kind == Question.Kind.NUMBER:
        try:
            # float() too: an integer of 400 digits is valid JSON, and too large for a float (OverflowError).
            finite = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise ValueError(_("Enter a number."))
        low, high = question.settings.get("min"), question.settings.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return int(value) if float(value).is_integer() else value
    if kind in TEXT_LIMITS:
        if not isinstance(value, str):
            raise ValueError(_("Enter text."))
        value = value.strip()
        if len(value) > TEXT_LIMITS[kind]:
            raise ValueError(_("At most %(limit)s characters.") % {"limit": TEXT_LIMITS[kind]})
        problem = text_problem(value, multiline=kind == Question.Kind.LONG_TEXT)
        if problem is not None:
            raise ValueError(problem[1])
        return value
    if kind == Question.Kind.DATE:
        try:
            if not isinstance(value, str) or not ISO_DATE.match(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
        return value
    if kind == Question.Kind.SKILLS:
        return _clean_skills(value, skills if skills is not None else skill_slugs())
    raise ValueError(_("This question cannot be answered."))


def _clean_skills(value: Any, skills: set[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_SKILLS:
        raise ValueError(_("Choose skills from the list, each with a level."))
    cleaned: dict[str, int] = {}
    for item in value:
        if not isinstance(item, dict) or set(item) - {"skill", "level"}:
            raise ValueError(_("Choose skills from the list, each with a level."))
        slug, level = item.get("skill"), item.get("level")
        if not isinstance(slug, str) or slug not in skills:
            raise ValueError(_("Choose skills from the list, each with a level."))
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
            raise ValueError(_("A skill's level is from 0 to 5."))
        cleaned[slug] = level
    return [{"skill": slug, "level": level} for slug, level in cleaned.items()]


def _shows(question: Question, answer: Any) -> bool:
    wanted = {str(v) for v in question.show_if_values}
    if isinstance(answer, list):
        return any(str(v) in wanted for v in answer if not isinstance(v, dict))
    return not _empty(answer) and str(answer) in wanted


def visible_keys(questions: list[Question], answers: dict[str, Any]) -> set[str]:
    """The keys of the questions shown with these answers (a condition on a hidden question hides too)."""
    by_id = {q.pk: q for q in questions}
    memo: dict[int, bool] = {}

    def visible(question: Question, depth: int = 0) -> bool:
        if question.pk not in memo:
            parent = by_id.get(question.show_if_id) if question.show_if_id else None
            if question.show_if_id is None or parent is None:
                memo[question.pk] = True
            elif depth > len(questions):  # a cycle an editor let through: hide rather than loop
                memo[question.pk] = False
            else:
                memo[question.pk] = visible(parent, depth + 1) and _shows(question, answers.get(parent.key))
        return memo[question.pk]

    return {q.key for q in questions if visible(q)}


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.select_related("section").order_by("section__position", "position", "id"))


def _merge(
    questions: list[Question], stored: dict[str, Any], changes: Any, *, skills: set[str] | None
) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise AnswersInvalid({"": _("The answers could not be read.")})
    by_key = {q.key: q for q in questions}
    errors: dict[str, str] = {}
    merged = dict(stored)
    for key, value in changes.items():
        question = by_key.get(key)
        if question is None:
            errors[str(key)[:60]] = _("There is no such question.")
            continue
        if _empty(value):
            merged.pop(key, None)
            continue
        try:
            merged[key] = clean_answer(question, value, skills=skills)
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise AnswersInvalid(errors)
    shown = visible_keys(questions, merged)
    return {key: value for key, value in merged.items() if key in shown}


def missing_required(questions: list[Question], answers: dict[str, Any]) -> list[str]:
    shown = visible_keys(questions, answers)
    return [q.key for q in questions if q.required and q.key in shown and _empty(answers.get(q.key))]


def invitation_opened(*, invitation: QuestionnaireInvitation, now: datetime | None = None) -> bool:
    """Record the first opening of a link (the page's script posts it; a GET writes nothing)."""
    now = now or timezone.now()
    _refuse_link(invitation, now)
    return bool(QuestionnaireInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now))


def response_save(
    *,
    invitation: QuestionnaireInvitation,
    changes: Any,
    language: str = "",
    submit: bool = False,
    now: datetime | None = None,
) -> tuple[QuestionnaireResponse, bool]:
    """Merge `changes` into the invitation's answers (last write per question wins), and submit when
    asked. Returns the response and whether this call submitted it (False when it already was)."""
    now = now or timezone.now()
    questionnaire = invitation.questionnaire
    questions = questions_of(questionnaire)
    needs_skills = any(q.kind == Question.Kind.SKILLS for q in questions) and isinstance(changes, dict) and changes
    skills = skill_slugs() if needs_skills else None
    with transaction.atomic():
        invitation = (
            QuestionnaireInvitation.objects.select_for_update().select_related("questionnaire").get(pk=invitation.pk)
        )
        _refuse_link(invitation, now)
        response = QuestionnaireResponse.objects.filter(invitation=invitation).first()
        if response is None:
            response = QuestionnaireResponse(
                questionnaire=questionnaire,
                invitation=invitation,
                stakeholder_id=invitation.stakeholder_id,
                language=invitation.language,
                started_at=now,
                updated_at=now,
            )
        answers = _merge(questions, response.answers or {}, changes, skills=skills)
        submitting = submit and response.submitted_at is None
        if submit:
            missing = missing_required(questions, answers)
            if missing:
                raise AnswersInvalid(dict.fromkeys(missing, _("This question needs an answer.")))
        fields: list[str] = []
        if answers != (response.answers or {}) or response.pk is None:
            response.answers = answers
            response.revision += 1
            fields += ["answers", "revision"]
        if language in QUESTIONNAIRE_LANGUAGES and language != response.language:
            response.language = language
            fields.append("language")
        if submitting:
            response.submitted_at = now
            fields.append("submitted_at")
        if response.pk is None and not answers and not submit:
            return response, False  # nothing to keep yet: "opened", not "in progress"
        if response.pk is None:
            response.save()
        elif fields:
            response.updated_at = now
            response.save(update_fields=[*fields, "updated_at"])
        if invitation.opened_at is None:
            QuestionnaireInvitation.objects.filter(pk=invitation.pk).update(opened_at=now)
    return response, submitting
