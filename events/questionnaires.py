"""Writes for a programme's questionnaires: the only module that creates or changes a Questionnaire, its
sections and its questions (issue 13). Invitations and answers are events.questionnaire_links' and
events.questionnaire_answers'.

Every function checks that the actor may manage the programme's questionnaires (organisers and
programme staff), locks the questionnaire row, and runs in one transaction. Bad input raises
`EventsError` with a stable code (status 422); what the state forbids raises it with status 409:

- `has_responses`: once anyone has started answering, nothing that answers are keyed by may change or
  go away: a question cannot be removed, nor its key, type or skills purpose changed, nor an option
  value it had dropped; a section holding questions cannot be removed. Texts, new options, new
  questions and sections, order, "required" and conditions may still change.
- `invalid_transition`: the status moves only draft → open, open → closed, closed → open (reopen).
- `no_questions`: a questionnaire without questions cannot open.

Conditions: a question may show only when an EARLIER single choice, multiple choice or scale question
has one of the given values (its option values; 1–5 for a scale). Every change that reorders,
removes or edits questions re-checks every condition of the questionnaire.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from events.exceptions import EventsError, PermissionDenied
from events.models import Programme, Question, Questionnaire, QuestionnaireSection, Stakeholder
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES
from events.questionnaire_selectors import may_manage_questionnaires
from events.questionnaire_templates import template_body
from events.text import text_problem

KINDS = [value for value, _label in Question.Kind.choices]
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
CONDITION_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE)
AUDIENCE = [value for value, _label in Stakeholder.Kind.choices]
KEY_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
VALUE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_SECTIONS = 30
MAX_QUESTIONS = 200
MAX_OPTIONS = 40
MAX_REMINDERS = 5
MAX_NUMBER = 1e12
# What may follow what: reopening is closed → open.
TRANSITIONS = {
    Questionnaire.Status.DRAFT: {Questionnaire.Status.OPEN},
    Questionnaire.Status.OPEN: {Questionnaire.Status.CLOSED},
    Questionnaire.Status.CLOSED: {Questionnaire.Status.OPEN},
}
QUESTIONNAIRE_FIELDS = ("title", "intro", "audience", "closes_at", "link_days", "reminder_days")
SECTION_FIELDS = ("title", "description")
QUESTION_FIELDS = (
    "key",
    "kind",
    "text",
    "help",
    "required",
    "options",
    "settings",
    "skill_purpose",
    "show_if",
    "show_if_values",
)


def invalid(field: str, message: str, code: str = "invalid") -> EventsError:
    """A 422 naming the field: "sections[1].questions[0].key: …"."""
    return EventsError(f"{field}: {message}" if field else message, code=code, status=422)


def _refused(message: str, code: str = "has_responses") -> EventsError:
    return EventsError(message, code=code, status=409)


# --- Validation (no database) ---------------------------------------------------------------------


def clean_texts(value: Any, *, field: str, max_length: int, required: bool = True, multiline: bool = False) -> dict:
    """A text by language: a JSON object whose keys are among en/ar/lt/ckb and whose values are plain text."""
    if value in (None, "") and not required:
        return {}
    if not isinstance(value, dict):
        raise invalid(field, _('Give the text by language, such as {"en": "…", "ar": "…"}.'))
    unknown = sorted(set(value) - set(QUESTIONNAIRE_LANGUAGES))
    if unknown:
        raise invalid(field, _("Languages are en, ar, lt and ckb, not %(keys)s.") % {"keys": ", ".join(unknown)})
    texts: dict[str, str] = {}
    for language in QUESTIONNAIRE_LANGUAGES:
        text = value.get(language)
        if text is None:
            continue
        if not isinstance(text, str):
            raise invalid(f"{field}.{language}", _("A text is a string."))
        text = text.strip()
        if len(text) > max_length:
            raise invalid(f"{field}.{language}", _("At most %(n)d characters.") % {"n": max_length})
        problem = text_problem(text, multiline=multiline)
        if problem is not None:
            raise invalid(f"{field}.{language}", problem[1], code=problem[0])
        if text:
            texts[language] = text
    if required and not texts:
        raise invalid(field, _("Write it in at least one language."))
    return texts


def _number(value: Any, field: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(field, _("A number."))
    if abs(value) > MAX_NUMBER:
        raise invalid(field, _("This number is too large."))
    return value


def _clean_options(value: Any, field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_OPTIONS:
        raise invalid(field, _("A choice question has 2 to %(n)d options.") % {"n": MAX_OPTIONS})
    options, seen = [], set()
    for i, option in enumerate(value):
        where = f"{field}[{i}]"
        if not isinstance(option, dict) or set(option) - {"value", "label"}:
            raise invalid(where, _('An option is {"value": "…", "label": {"en": "…"}}.'))
        option_value = option.get("value")
        if not isinstance(option_value, str) or not VALUE_RE.fullmatch(option_value):
            raise invalid(f"{where}.value", _('Lower-case letters, digits, - and _, at most 40, such as "online".'))
        if option_value in seen:
            raise invalid(
                f"{where}.value", _("Each option needs its own value; %(v)s is there twice.") % {"v": option_value}
            )
        seen.add(option_value)
        options.append(
            {"value": option_value, "label": clean_texts(option.get("label"), field=f"{where}.label", max_length=200)}
        )
    return options


def _clean_settings(kind: str, value: Any, field: str) -> dict[str, Any]:
    value = value or {}
    if not isinstance(value, dict):
        raise invalid(field, _("Settings are a JSON object."))
    allowed = {"number": {"min", "max"}, "scale": {"low", "high"}}.get(kind, set())
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise invalid(field, _("This type of question has no setting %(keys)s.") % {"keys": ", ".join(unknown)})
    settings: dict[str, Any] = {}
    if kind == Question.Kind.NUMBER:
        for bound in ("min", "max"):
            if value.get(bound) is not None:
                settings[bound] = _number(value[bound], f"{field}.{bound}")
        if "min" in settings and "max" in settings and settings["min"] > settings["max"]:
            raise invalid(f"{field}.max", _("The largest number allowed must not be below the smallest."))
    elif kind == Question.Kind.SCALE:
        for end in ("low", "high"):
            texts = clean_texts(value.get(end), field=f"{field}.{end}", max_length=100, required=False)
            if texts:
                settings[end] = texts
    return settings


def clean_question(data: Any, *, field: str = "question") -> dict[str, Any]:
    """A question's fields checked on their own (its key's uniqueness and its condition need the others)."""
    if not isinstance(data, dict):
        raise invalid(field, _("A question is a JSON object."))
    unknown = sorted(set(data) - set(QUESTION_FIELDS))
    if unknown:
        raise invalid(field, _("Unknown fields: %(keys)s.") % {"keys": ", ".join(unknown)})
    key = data.get("key")
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise invalid(
            f"{field}.key", _('A key is lower-case letters, digits, - and _, at most 60, such as "graduates".')
        )
    kind = data.get("kind")
    if kind not in KINDS:
        raise invalid(f"{field}.kind", _("The type is one of %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise invalid(f"{field}.required", _("true or false."))
    options: list[dict[str, Any]] = []
    if kind in CHOICE_KINDS:
        options = _clean_options(data.get("options"), f"{field}.options")
    elif data.get("options"):
        raise invalid(f"{field}.options", _("Only choice questions have options."))
    purpose = data.get("skill_purpose") or ""
    if kind == Question.Kind.SKILLS and purpose not in Question.SkillPurpose.values:
        raise invalid(f"{field}.skill_purpose", _('A skills question asks for skills "taught" or "needed".'))
    if kind != Question.Kind.SKILLS and purpose:
        raise invalid(f"{field}.skill_purpose", _("Only a skills question has a skills purpose."))
    show_if = data.get("show_if") or ""
    if not isinstance(show_if, str):
        raise invalid(f"{field}.show_if", _("The key of an earlier question."))
    values = data.get("show_if_values") or []
    if not isinstance(values, list) or len(values) > MAX_OPTIONS:
        raise invalid(f"{field}.show_if_values", _("A list of the earlier question's values."))
    if bool(show_if) != bool(values):
        raise invalid(
            f"{field}.show_if_values", _("A condition names an earlier question and at least one of its values.")
        )
    return {
        "key": key,
        "kind": kind,
        "text": clean_texts(data.get("text"), field=f"{field}.text", max_length=500),
        "help": clean_texts(data.get("help"), field=f"{field}.help", max_length=1000, required=False, multiline=True),
        "required": required,
        "options": options,
        "settings": _clean_settings(kind, data.get("settings"), f"{field}.settings"),
        "skill_purpose": purpose,
        "show_if": show_if,
        "show_if_values": values,
    }


def check_structure(questions: list[dict[str, Any]]) -> None:
    """Rules across questions, given in questionnaire order (each with "field" naming it for messages):
    keys are unique, and every condition points to an earlier choice or scale question and its values."""
    earlier: dict[str, dict[str, Any]] = {}
    if len(questions) > MAX_QUESTIONS:
        raise invalid("questions", _("At most %(n)d questions.") % {"n": MAX_QUESTIONS})
    for question in questions:
        field = question.get("field", question["key"])
        if question["key"] in earlier:
            raise invalid(
                f"{field}.key", _("Another question has the key %(key)s.") % {"key": question["key"]}, "duplicate_key"
            )
        if question["show_if"]:
            target = earlier.get(question["show_if"])
            if target is None:
                raise invalid(f"{field}.show_if", _("A condition names an earlier question's key."), "condition_order")
            if target["kind"] not in CONDITION_KINDS:
                raise invalid(f"{field}.show_if", _("A condition depends on a choice or scale question."))
            allowed = (
                list(range(1, 6)) if target["kind"] == Question.Kind.SCALE else [o["value"] for o in target["options"]]
            )
            values = question["show_if_values"]
            if len(set(map(repr, values))) != len(values) or any(
                isinstance(v, bool) or v not in allowed for v in values
            ):
                raise invalid(
                    f"{field}.show_if_values",
                    _("The values must be among the earlier question's: %(values)s.")
                    % {"values": ", ".join(map(str, allowed))},
                )
        earlier[question["key"]] = question


def _clean_settings_of_questionnaire(fields: dict[str, Any], *, current_link_days: int = 30) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in fields:
        clean["title"] = clean_texts(fields["title"], field="title", max_length=200)
    if "intro" in fields:
        clean["intro"] = clean_texts(fields["intro"], field="intro", max_length=4000, required=False, multiline=True)
    if "audience" in fields:
        audience = fields["audience"] or []
        if not isinstance(audience, list) or any(kind not in AUDIENCE for kind in audience):
            raise invalid("audience", _("Stakeholder types among %(kinds)s.") % {"kinds": ", ".join(AUDIENCE)})
        clean["audience"] = list(dict.fromkeys(audience))
    if "closes_at" in fields:
        closes_at = fields["closes_at"]
        if closes_at is not None and (not isinstance(closes_at, datetime) or timezone.is_naive(closes_at)):
            raise invalid("closes_at", _("A date and time with its time zone."))
        clean["closes_at"] = closes_at
    if "link_days" in fields:
        days = fields["link_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise invalid("link_days", _("A whole number of days, 1 to 365."))
        clean["link_days"] = days
    if "reminder_days" in fields:
        days = fields["reminder_days"] or []
        link_days = clean.get("link_days", current_link_days)
        if (
            not isinstance(days, list)
            or len(days) > MAX_REMINDERS
            or any(isinstance(d, bool) or not isinstance(d, int) or not 1 <= d < link_days for d in days)
        ):
            raise invalid(
                "reminder_days",
                _("Up to %(n)d whole numbers of days, each before the link expires (%(days)d days).")
                % {"n": MAX_REMINDERS, "days": link_days},
            )
        clean["reminder_days"] = sorted(set(days))
    return clean


def clean_body(body: Any) -> dict[str, Any]:
    """A whole questionnaire (title, intro, …, sections with their questions), checked; what
    `questionnaire_create` builds from. Sections may be absent (a blank questionnaire)."""
    if not isinstance(body, dict):
        raise invalid("", _("A questionnaire is a JSON object."))
    unknown = sorted(set(body) - {*QUESTIONNAIRE_FIELDS, "sections"})
    if unknown:
        raise invalid("", _("Unknown fields: %(keys)s.") % {"keys": ", ".join(unknown)})
    clean = _clean_settings_of_questionnaire({"title": body.get("title"), **body})
    sections = body.get("sections") or []
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        raise invalid("sections", _("At most %(n)d sections.") % {"n": MAX_SECTIONS})
    clean["sections"], flat = [], []
    for s, section in enumerate(sections):
        where = f"sections[{s}]"
        if not isinstance(section, dict) or set(section) - {*SECTION_FIELDS, "questions"}:
            raise invalid(where, _("A section has a title, a description and questions."))
        questions = section.get("questions") or []
        if not isinstance(questions, list):
            raise invalid(f"{where}.questions", _("A list of questions."))
        cleaned = []
        for i, question in enumerate(questions):
            one = clean_question(question, field=f"{where}.questions[{i}]")
            cleaned.append(one)
            flat.append({**one, "field": f"{where}.questions[{i}]"})
        clean["sections"].append({**_clean_section(section, where), "questions": cleaned})
    check_structure(flat)
    return clean


def _clean_section(data: Any, field: str = "section") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise invalid(field, _("A section is a JSON object."))
    return {
        "title": clean_texts(data.get("title"), field=f"{field}.title", max_length=200),
        "description": clean_texts(
            data.get("description"), field=f"{field}.description", max_length=2000, required=False, multiline=True
        ),
    }


# --- Writes ---------------------------------------------------------------------------------------


def _check(actor: Any, programme: Programme) -> None:
    if not may_manage_questionnaires(user=actor, programme=programme):
        raise PermissionDenied(_("Only the programme's organisers and staff manage its questionnaires."))


def _locked(questionnaire: Questionnaire, actor: Any) -> Questionnaire:
    _check(actor, questionnaire.programme)
    return Questionnaire.objects.select_for_update().select_related("programme").get(pk=questionnaire.pk)


def _has_responses(questionnaire: Questionnaire) -> bool:
    return questionnaire.responses.exists()


def _ordered(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("section", "show_if").order_by("section__position", "position", "id")
    )


def _as_data(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": question.kind,
        "options": question.options,
        "show_if": question.show_if.key if question.show_if_id else "",
        "show_if_values": question.show_if_values,
    }


def _write_question(question: Question, data: dict[str, Any], by_key: dict[str, Question]) -> None:
    for name in ("key", "kind", "text", "help", "required", "options", "settings", "skill_purpose", "show_if_values"):
        setattr(question, name, data[name])
    question.show_if = by_key[data["show_if"]] if data["show_if"] else None
    try:
        # The questionnaire's row lock serialises builders, so the key check has seen every other
        # key; the constraint stays the last word, answered like the check rather than as a 500.
        with transaction.atomic():
            question.save()
    except IntegrityError as exc:
        raise _refused(_("Another question has the key %(key)s.") % {"key": question.key}, "duplicate_key") from exc


def questionnaire_create(*, programme: Programme, actor: Any, body: Any, template: str = "") -> Questionnaire:
    """A draft questionnaire from a whole body (title, intro, audience, …, sections with questions)."""
    _check(actor, programme)
    clean = clean_body(body)
    sections = clean.pop("sections")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            programme=programme, template=template, created_by=actor if actor.is_authenticated else None, **clean
        )
        by_key: dict[str, Question] = {}
        for s, section_data in enumerate(sections):
            questions = section_data.pop("questions")
            section = QuestionnaireSection.objects.create(questionnaire=questionnaire, position=s, **section_data)
            for i, data in enumerate(questions):
                question = Question(questionnaire=questionnaire, section=section, position=i)
                _write_question(question, data, by_key)
                by_key[question.key] = question
    return questionnaire


def questionnaire_create_from_template(*, programme: Programme, actor: Any, template: str) -> Questionnaire:
    """A draft copy of a shipped template ("ict_curriculum_review", "institutional_capacity")."""
    body = template_body(template)
    if body is None:
        raise invalid("template", _("No such template."), "unknown_template")
    return questionnaire_create(programme=programme, actor=actor, body=body, template=template)


def questionnaire_update(*, questionnaire: Questionnaire, actor: Any, fields: dict[str, Any]) -> Questionnaire:
    """Change the title, introduction, audience, closing time, link validity or reminder days."""
    unknown = sorted(set(fields) - set(QUESTIONNAIRE_FIELDS))
    if unknown:
        raise invalid("", _("Unknown fields: %(keys)s.") % {"keys": ", ".join(unknown)})
    with transaction.atomic():
        questionnaire = _locked(questionnaire, actor)
        clean = _clean_settings_of_questionnaire(fields, current_link_days=questionnaire.link_days)
        if "link_days" in clean and "reminder_days" not in clean:
            # Reminders after the link expired would reach no one: re-check the kept ones.
            _clean_settings_of_questionnaire(
                {"link_days": clean["link_days"], "reminder_days": questionnaire.reminder_days}
            )
        for name, value in clean.items():
            setattr(questionnaire, name, value)
        questionnaire.save()
    return questionnaire


def questionnaire_set_status(*, questionnaire: Questionnaire, actor: Any, status: str) -> Questionnaire:
    """Open (draft or closed → open), or close (open → closed). Opening needs a question and a future closing time."""
    with transaction.atomic():
        questionnaire = _locked(questionnaire, actor)
        if status not in TRANSITIONS.get(questionnaire.status, set()):
            raise EventsError(
                _("A questionnaire that is %(now)s cannot become %(to)s.")
                % {"now": questionnaire.status, "to": status},
                code="invalid_transition",
                status=409,
            )
        if status == Questionnaire.Status.OPEN:
            if not questionnaire.questions.exists():
                raise _refused(_("Add at least one question before opening the questionnaire."), "no_questions")
            if questionnaire.closes_at is not None and questionnaire.closes_at <= timezone.now():
                raise _refused(_("The closing time has passed: move it later first."), "closes_at_passed")
        questionnaire.status = status
        questionnaire.save(update_fields=["status", "updated_at"])
    return questionnaire


def questionnaire_open(*, questionnaire: Questionnaire, actor: Any) -> Questionnaire:
    return questionnaire_set_status(questionnaire=questionnaire, actor=actor, status=Questionnaire.Status.OPEN)


def questionnaire_close(*, questionnaire: Questionnaire, actor: Any) -> Questionnaire:
    return questionnaire_set_status(questionnaire=questionnaire, actor=actor, status=Questionnaire.Status.CLOSED)


# Sections -----------------------------------------------------------------------------------------


def section_add(*, questionnaire: Questionnaire, actor: Any, data: Any) -> QuestionnaireSection:
    """A new section at the end."""
    clean = _clean_section(data)
    with transaction.atomic():
        questionnaire = _locked(questionnaire, actor)
        count = questionnaire.sections.count()
        if count >= MAX_SECTIONS:
            raise invalid("sections", _("At most %(n)d sections.") % {"n": MAX_SECTIONS})
        last = questionnaire.sections.aggregate(last=Max("position"))["last"]
        return QuestionnaireSection.objects.create(
            questionnaire=questionnaire, position=0 if last is None else last + 1, **clean
        )


def section_update(*, section: QuestionnaireSection, actor: Any, data: Any) -> QuestionnaireSection:
    clean = _clean_section(data)
    with transaction.atomic():
        _locked(section.questionnaire, actor)
        for name, value in clean.items():
            setattr(section, name, value)
        section.save()
    return section


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def section_move(*, section: QuestionnaireSection, actor: Any, offset: int) -> None:
    """Move a section one place up (-1) or down (+1); refused if a condition would then point later."""
    if offset not in (-1, 1):
        raise invalid("offset", _("Move by -1 (up) or 1 (down)."))
    with transaction.atomic():
        questionnaire = _locked(section.questionnaire, actor)
        sections = list(questionnaire.sections.order_by("position", "id"))
        i = next(n for n, s in enumerate(sections) if s.pk == section.pk)
        j = i + offset
        if not 0 <= j < len(sections):
            return
        sections[i], sections[j] = sections[j], sections[i]
        _renumber(sections)
        check_structure([_as_data(q) for q in _ordered(questionnaire)])


def section_remove(*, section: QuestionnaireSection, actor: Any) -> None:
    """Remove a section and its questions (refused once answers exist, unless it is empty)."""
    with transaction.atomic():
        questionnaire = _locked(section.questionnaire, actor)
        if section.questions.exists() and _has_responses(questionnaire):
            raise _refused(_("People have started answering: a section with questions can no longer be removed."))
        _refuse_orphaned_conditions(questionnaire, set(section.questions.values_list("pk", flat=True)))
        section.delete()
        _renumber(list(questionnaire.sections.order_by("position", "id")))


def _refuse_orphaned_conditions(questionnaire: Questionnaire, removed: set[int]) -> None:
    dependent = questionnaire.questions.filter(show_if_id__in=removed).exclude(pk__in=removed).first()
    if dependent is not None:
        raise _refused(
            _("Question %(key)s shows only after this one: change its condition first.") % {"key": dependent.key},
            "has_dependents",
        )


# Questions ----------------------------------------------------------------------------------------


def question_add(*, section: QuestionnaireSection, actor: Any, data: Any) -> Question:
    """A new question at the end of the section."""
    clean = clean_question(data)
    with transaction.atomic():
        questionnaire = _locked(section.questionnaire, actor)
        existing = _ordered(questionnaire)
        question = Question(questionnaire=questionnaire, section=section)
        # In order: everything up to the section's end, the new one, then later sections.
        rows = [_as_data(q) for q in existing if q.section.position <= section.position]
        rows.append(clean)
        rows += [_as_data(q) for q in existing if q.section.position > section.position]
        check_structure(rows)
        last = section.questions.aggregate(last=Max("position"))["last"]
        question.position = 0 if last is None else last + 1
        _write_question(question, clean, {q.key: q for q in existing})
    return question


def question_update(*, question: Question, actor: Any, data: Any) -> Question:
    """Change a question; what answers are keyed by (key, type, skills purpose, option values) is kept once
    anyone has answered."""
    with transaction.atomic():
        questionnaire = _locked(question.questionnaire, actor)
        question = Question.objects.select_for_update().get(pk=question.pk)
        current = _as_data(question)
        merged = {
            **current,
            "text": question.text,
            "help": question.help,
            "required": question.required,
            "settings": question.settings,
            "skill_purpose": question.skill_purpose,
        }
        if not isinstance(data, dict):
            raise invalid("question", _("A question is a JSON object."))
        clean = clean_question({**merged, **data})
        if _has_responses(questionnaire):
            kept = [name for name in ("key", "kind", "skill_purpose") if clean[name] != merged[name]]
            dropped = {o["value"] for o in question.options} - {o["value"] for o in clean["options"]}
            if kept or dropped:
                raise _refused(
                    _(
                        "People have started answering: the key, the type, the skills purpose and existing option "
                        "values can no longer change (texts, new options and conditions still can)."
                    )
                )
        existing = _ordered(questionnaire)
        rows = [clean if q.pk == question.pk else _as_data(q) for q in existing]
        if clean["key"] != question.key:
            # Conditions name the question by key: the dependents follow it.
            for row in rows:
                if row["show_if"] == question.key and row is not clean:
                    row["show_if"] = clean["key"]
        check_structure(rows)
        by_key = {q.key: q for q in existing if q.pk != question.pk}
        _write_question(question, clean, by_key)
    return question


def question_move(*, question: Question, actor: Any, offset: int) -> None:
    """Move a question one place up (-1) or down (+1) within its section; refused if a condition would break."""
    if offset not in (-1, 1):
        raise invalid("offset", _("Move by -1 (up) or 1 (down)."))
    with transaction.atomic():
        questionnaire = _locked(question.questionnaire, actor)
        siblings = list(question.section.questions.order_by("position", "id"))
        i = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
        j = i + offset
        if not 0 <= j < len(siblings):
            return
        siblings[i], siblings[j] = siblings[j], siblings[i]
        _renumber(siblings)
        check_structure([_as_data(q) for q in _ordered(questionnaire)])


def question_remove(*, question: Question, actor: Any) -> None:
    """Remove a question (refused once anyone has answered, and while another question's condition names it)."""
    with transaction.atomic():
        questionnaire = _locked(question.questionnaire, actor)
        if _has_responses(questionnaire):
            raise _refused(_("People have started answering: questions can no longer be removed."))
        _refuse_orphaned_conditions(questionnaire, {question.pk})
        section = question.section
        question.delete()
        _renumber(list(section.questions.order_by("position", "id")))
