"""Reads for a programme's questionnaires: who may see and build them, the list, one structure, responses.

Least privilege, as for the stakeholder directory (events.stakeholder_selectors): questionnaires and
the answers to them are the programme's organisers' and staff's only. Respondents reach their own
questionnaire through their personal link (events.questionnaire_links), never through these.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from events.models import Programme, Question, Questionnaire, QuestionnaireResponse, QuestionnaireSection
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES, pick_text
from events.stakeholder_selectors import may_see_stakeholders


def may_manage_questionnaires(*, user: Any, programme: Programme) -> bool:
    """Organisers and the programme's staff (granted members of its lead and implementing partners)."""
    return may_see_stakeholders(user=user, programme=programme)


def questionnaires_of(*, programme: Programme) -> QuerySet[Questionnaire]:
    """The programme's questionnaires, newest first, with their question and response counts."""
    return programme.questionnaires.annotate(
        question_count=Count("questions", distinct=True),
        response_count=Count("responses", distinct=True),
        submitted_count=Count("responses", filter=Q(responses__submitted_at__isnull=False), distinct=True),
    ).order_by("-created_at", "-id")


def questionnaire_get(*, pk: int) -> Questionnaire | None:
    return Questionnaire.objects.select_related("programme").filter(pk=pk).first()


def questionnaire_sections(*, questionnaire: Questionnaire) -> list[QuestionnaireSection]:
    """Its sections in order, each with its questions in order (two queries)."""
    questions = Question.objects.select_related("show_if").order_by("position", "id")
    return list(
        questionnaire.sections.order_by("position", "id").prefetch_related(Prefetch("questions", queryset=questions))
    )


def questionnaire_questions(*, questionnaire: Questionnaire) -> list[Question]:
    """Its questions in questionnaire order (by section, then within it)."""
    return list(
        questionnaire.questions.select_related("show_if").order_by("section__position", "section_id", "position", "id")
    )


def untranslated(*, questionnaire: Questionnaire, sections: list[QuestionnaireSection]) -> dict[str, int]:
    """Per language, how many of the texts a respondent reads lack it (texts left empty everywhere not
    counted); `sections` as `questionnaire_sections` gives them, so this makes no query."""
    texts: list[dict[str, str]] = [questionnaire.title, questionnaire.intro]
    for section in sections:
        texts += [section.title, section.description]
        for question in section.questions.all():
            texts += [question.text, question.help]
            texts += [option.get("label") or {} for option in question.options]
            texts += [value for value in question.settings.values() if isinstance(value, dict)]
    written = [text for text in texts if text]
    return {lang: sum(1 for text in written if not text.get(lang)) for lang in QUESTIONNAIRE_LANGUAGES}


def question_payload(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "key": question.key,
        "kind": question.kind,
        "text": question.text,
        "help": question.help,
        "required": question.required,
        "options": question.options,
        "settings": question.settings,
        "skill_purpose": question.skill_purpose,
        "show_if": question.show_if.key if question.show_if_id else "",
        "show_if_values": question.show_if_values,
    }


def questionnaire_summary_payload(questionnaire: Questionnaire) -> dict[str, Any]:
    """What a list shows of one questionnaire (counts when annotated by `questionnaires_of`)."""
    return {
        "id": questionnaire.pk,
        "programme": questionnaire.programme.slug,
        "template": questionnaire.template,
        "title": questionnaire.title,
        "status": questionnaire.status,
        "audience": questionnaire.audience,
        "closes_at": questionnaire.closes_at,
        "question_count": getattr(questionnaire, "question_count", None),
        "response_count": getattr(questionnaire, "response_count", None),
        "submitted_count": getattr(questionnaire, "submitted_count", None),
        "created_at": questionnaire.created_at,
    }


def questionnaire_payload(questionnaire: Questionnaire) -> dict[str, Any]:
    """The whole structure: settings, sections and questions in order, every text by language."""
    return {
        **questionnaire_summary_payload(questionnaire),
        "intro": questionnaire.intro,
        "link_days": questionnaire.link_days,
        "reminder_days": questionnaire.reminder_days,
        "sections": [
            {
                "id": section.pk,
                "title": section.title,
                "description": section.description,
                "questions": [question_payload(q) for q in section.questions.all()],
            }
            for section in questionnaire_sections(questionnaire=questionnaire)
        ],
    }


def responses_of(*, questionnaire: Questionnaire, submitted: bool | None = None) -> QuerySet[QuestionnaireResponse]:
    """Its responses, latest change first; `submitted` True or False keeps only submitted or in-progress ones."""
    qs = questionnaire.responses.select_related("stakeholder")
    if submitted is not None:
        qs = qs.filter(submitted_at__isnull=not submitted)
    return qs.order_by("-updated_at", "-id")


def response_payload(response: QuestionnaireResponse) -> dict[str, Any]:
    stakeholder = response.stakeholder
    return {
        "id": response.pk,
        "stakeholder": {
            "id": stakeholder.pk,
            "name": stakeholder.name,
            "kind": stakeholder.kind,
            "country": stakeholder.country,
            "city": stakeholder.city,
        },
        "language": response.language,
        "answers": response.answers,
        "revision": response.revision,
        "started_at": response.started_at,
        "updated_at": response.updated_at,
        "submitted_at": response.submitted_at,
    }


def title_in(questionnaire: Questionnaire, language: str) -> str:
    return pick_text(questionnaire.title, language)
