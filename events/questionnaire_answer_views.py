"""Answering a questionnaire at /q/<secret>/: no account, no password; the link's secret is the key.

The page is read only (GET writes nothing, tests/architecture/test_reads_never_write.py): the first
opening is posted by the page's script (`opened`), answers by its autosave (`save`) and the final
button (`submit`), all JSON. A link opens only its own invitation's questionnaire and answers: the
secret names the invitation, nothing in the request can name another.

The POSTs are exempt from Django's CSRF check, on purpose: CSRF protects requests that a browser
makes with an ambient credential (a session cookie) a forging site could borrow. These carry none;
their credential is the secret in the URL, which a forging site does not know. It also spares a
phone that was offline for hours a stale CSRF token when it sends its queue.

Language: `?lang=` when it is one of en/ar/lt/ckb (the page's switch), else the invitation's.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from events import hooks
from events import questionnaire_answers as answers_service
from events.exceptions import EventsError
from events.models import Question, QuestionnaireInvitation, QuestionnaireResponse
from events.questionnaire_links import invitation_by_token, link_state
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES, pick_text

MAX_BODY = 512 * 1024
LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "lt": "Lietuvių", "ckb": "کوردی"}


def _language(request: HttpRequest, invitation: QuestionnaireInvitation | None) -> str:
    asked = request.GET.get("lang", "")
    if asked in QUESTIONNAIRE_LANGUAGES:
        return asked
    if invitation is not None and invitation.language in QUESTIONNAIRE_LANGUAGES:
        return invitation.language
    return translation.get_language() if translation.get_language() in QUESTIONNAIRE_LANGUAGES else "en"


def _question_view(question: Question, language: str) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": question.kind,
        "text": pick_text(question.text, language),
        "help": pick_text(question.help, language),
        "required": question.required,
        "options": [
            {"value": str(o.get("value")), "label": pick_text(o.get("label"), language) or str(o.get("value"))}
            for o in question.options
            if isinstance(o, dict)
        ],
        "min": question.settings.get("min"),
        "max": question.settings.get("max"),
        "low": pick_text(question.settings.get("low"), language),
        "high": pick_text(question.settings.get("high"), language),
        "limit": answers_service.TEXT_LIMITS.get(question.kind),
        "show_if": question.show_if.key if question.show_if_id and question.show_if else "",
        "show_if_values": json.dumps([str(v) for v in question.show_if_values]),
    }


@require_GET
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    language = _language(request, invitation)
    with translation.override(language):
        if invitation is None:
            return render(
                request, "questionnaires/answer_gone.html", {"state": "unknown", **_chrome(language)}, status=404
            )
        questionnaire = invitation.questionnaire
        response = QuestionnaireResponse.objects.filter(invitation=invitation).first()
        state = link_state(invitation)
        base = {"title": pick_text(questionnaire.title, language), **_chrome(language)}
        if state != "ok":
            submitted = response is not None and response.submitted_at is not None
            context = {**base, "state": state, "submitted": submitted}
            return render(request, "questionnaires/answer_gone.html", context, status=410)
        questions = answers_service.questions_of(questionnaire)
        for question in questions:  # the condition's key without a query per question
            question.show_if = next((q for q in questions if q.pk == question.show_if_id), None)
        sections = []
        for section in questionnaire.sections.order_by("position", "id"):
            sections.append(
                {
                    "title": pick_text(section.title, language),
                    "description": pick_text(section.description, language),
                    "questions": [_question_view(q, language) for q in questions if q.section_id == section.pk],
                }
            )
        skills = []
        if any(q.kind == Question.Kind.SKILLS for q in questions):
            provider = hooks.figure("skill_taxonomy")
            skills = provider(language=language) if provider is not None else []
        context = {
            **base,
            "intro": pick_text(questionnaire.intro, language),
            "stakeholder": invitation.stakeholder.name,
            "sections": sections,
            "skills": skills,
            "levels": range(6),
            "state": {
                "invitation": invitation.pk,
                "revision": response.revision if response else 0,
                "answers": response.answers if response else {},
                "submitted": bool(response and response.submitted_at),
                "opened": invitation.opened_at is not None,
                "language": language,
                "urls": {
                    "opened": reverse("questionnaire_answer:opened", args=[token]),
                    "save": reverse("questionnaire_answer:save", args=[token]),
                    "submit": reverse("questionnaire_answer:submit", args=[token]),
                },
            },
        }
        return render(request, "questionnaires/answer.html", context)


def _chrome(language: str) -> dict[str, Any]:
    return {
        "language": language,
        "bidi": language in ("ar", "ckb"),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in QUESTIONNAIRE_LANGUAGES],
    }


def _error(exc: EventsError) -> JsonResponse:
    body: dict[str, Any] = {"error": exc.code, "message": exc.message}
    if isinstance(exc, answers_service.AnswersInvalid):
        body["errors"] = exc.errors
    return JsonResponse(body, status=exc.status)


def _body(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "too_large", "message": _("Too much at once.")}, status=413)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": "invalid", "message": _("The answers could not be read.")}, status=400)
    return body


def _invitation(token: str) -> QuestionnaireInvitation | JsonResponse:
    invitation = invitation_by_token(token)
    if invitation is None:
        return JsonResponse(
            {"error": "unknown_link", "message": _("This link does not work (a newer email may have replaced it).")},
            status=404,
        )
    return invitation


@csrf_exempt
@require_POST
def opened(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    if isinstance(invitation, JsonResponse):
        return invitation
    try:
        answers_service.invitation_opened(invitation=invitation)
    except EventsError as exc:
        return _error(exc)
    return HttpResponse(status=204)


def _save(request: HttpRequest, token: str, *, submit: bool) -> HttpResponse:
    invitation = _invitation(token)
    if isinstance(invitation, JsonResponse):
        return invitation
    body = _body(request)
    if isinstance(body, JsonResponse):
        return body
    language = body.get("language") if body.get("language") in QUESTIONNAIRE_LANGUAGES else invitation.language
    with translation.override(language):
        try:
            response, submitted_now = answers_service.response_save(
                invitation=invitation, changes=body.get("changes", {}), language=language, submit=submit
            )
        except EventsError as exc:
            return _error(exc)
    return JsonResponse(
        {
            "revision": response.revision,
            "answers": response.answers,
            "submitted": response.submitted_at is not None,
            "submitted_now": submitted_now,
        }
    )


@csrf_exempt
@require_POST
def save(request: HttpRequest, token: str) -> HttpResponse:
    return _save(request, token, submit=False)


@csrf_exempt
@require_POST
def submit(request: HttpRequest, token: str) -> HttpResponse:
    return _save(request, token, submit=True)
