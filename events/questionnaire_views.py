"""Questionnaire pages for organisers and programme staff: the list (create blank or from a template) and
the builder (settings, status, sections and questions), at /programmes/<slug>/questionnaires/.

Organisers and programme staff only (questionnaire_selectors.may_manage_questionnaires); anyone else
signed in gets a 404, as on the stakeholder pages, and a visitor is sent to sign in. Forms only turn
the page's fields into the shapes events/questionnaires.py takes (a text by language from four
fields, options from "value | English | Arabic | Lithuanian | Kurdish" lines); that module checks
everything and its refusals are shown on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import questionnaire_selectors as sel
from events import questionnaires as services
from events.exceptions import EventsError
from events.models import Programme, Question, Questionnaire, QuestionnaireSection
from events.programme_selectors import programme_get
from events.questionnaire_forms import (
    LANGUAGE_NAMES,
    MoveForm,
    NewForm,
    QuestionForm,
    SectionForm,
    SettingsForm,
    StatusForm,
    TemplateForm,
    texts_initial,
    texts_of,
)
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES, pick_text

# --- Access ---------------------------------------------------------------------------------------


def _allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        programme = programme_get(slug=slug)
        if programme is None or not sel.may_manage_questionnaires(user=request.user, programme=programme):
            raise Http404(_("No such programme."))
        return view(request, programme, *args, **kwargs)

    return wrapper


def _questionnaire(programme: Programme, pk: int) -> Questionnaire:
    questionnaire = programme.questionnaires.select_related("programme").filter(pk=pk).first()
    if questionnaire is None:
        raise Http404(_("No such questionnaire."))
    return questionnaire


def _section(questionnaire: Questionnaire, section_id: int) -> QuestionnaireSection:
    section = questionnaire.sections.select_related("questionnaire__programme").filter(pk=section_id).first()
    if section is None:
        raise Http404(_("No such section."))
    return section


def _question(questionnaire: Questionnaire, question_id: int) -> Question:
    question = (
        questionnaire.questions.select_related("section", "show_if", "questionnaire__programme")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404(_("No such question."))
    return question


def _builder_url(questionnaire: Questionnaire, anchor: str = "") -> str:
    url = reverse("questionnaires:builder", args=[questionnaire.programme.slug, questionnaire.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The list -------------------------------------------------------------------------------------


def _list(request: HttpRequest, programme: Programme, status: int = 200, **extra: Any) -> HttpResponse:
    language = get_language() or "en"
    rows = [
        {"questionnaire": q, "title": pick_text(q.title, language)} for q in sel.questionnaires_of(programme=programme)
    ]
    context = {
        "programme": programme,
        "rows": rows,
        "new_form": extra.pop("new_form", None) or NewForm(),
        "template_form": extra.pop("template_form", None) or TemplateForm(),
        **extra,
    }
    return render(request, "questionnaires/list.html", context, status=status)


@require_GET
@_allowed
def questionnaire_list(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _list(request, programme)


@require_POST
@_allowed
def questionnaire_new(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = NewForm(request.POST)
    if form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                programme=programme, actor=request.user, body={"title": texts_of(form.cleaned_data, "title")}
            )
        except EventsError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(_builder_url(questionnaire))
    return _list(request, programme, status=422, new_form=form)


@require_POST
@_allowed
def questionnaire_from_template(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = TemplateForm(request.POST)
    if form.is_valid():
        questionnaire = services.questionnaire_create_from_template(
            programme=programme, actor=request.user, template=form.cleaned_data["template"]
        )
        messages.success(request, _("A draft copy of the template: edit it, then open it for answers."))
        return redirect(_builder_url(questionnaire))
    return _list(request, programme, status=422, template_form=form)


# --- The builder ----------------------------------------------------------------------------------


def _structure(questionnaire: Questionnaire, language: str, rows: list[QuestionnaireSection]) -> list[dict[str, Any]]:
    sections = []
    for section in rows:
        questions = []
        for question in section.questions.all():
            questions.append(
                {
                    "question": question,
                    "text": pick_text(question.text, language),
                    "languages": [lang for lang in QUESTIONNAIRE_LANGUAGES if question.text.get(lang)],
                    "options": [pick_text(o["label"], language) for o in question.options],
                    "condition": (
                        {"key": question.show_if.key, "values": ", ".join(map(str, question.show_if_values))}
                        if question.show_if_id
                        else None
                    ),
                }
            )
        sections.append(
            {
                "section": section,
                "title": pick_text(section.title, language),
                "description": pick_text(section.description, language),
                "questions": questions,
                "edit_form": SectionForm(
                    initial={
                        **texts_initial("title", section.title),
                        **texts_initial("description", section.description),
                    },
                    prefix=f"s{section.pk}",
                ),
            }
        )
    return sections


def _builder(
    request: HttpRequest, questionnaire: Questionnaire, status: int = 200, error: str = "", **extra: Any
) -> HttpResponse:
    language = get_language() or "en"
    rows = sel.questionnaire_sections(questionnaire=questionnaire)
    sections = _structure(questionnaire, language, rows)
    missing = sel.untranslated(questionnaire=questionnaire, sections=rows)
    earlier = [q["question"] for s in sections for q in s["questions"]]
    add_question = extra.pop("question_form", None)
    add_question_section = extra.pop("question_section", None)
    for s in sections:
        if add_question is not None and s["section"].pk == add_question_section:
            s["question_form"] = add_question
        else:
            s["question_form"] = QuestionForm(earlier=earlier, prefix=f"q{s['section'].pk}")
    settings_form = extra.pop("settings_form", None) or SettingsForm(
        initial={
            "audience": questionnaire.audience,
            "closes_at": questionnaire.closes_at,
            "link_days": questionnaire.link_days,
            "reminder_days": ", ".join(map(str, questionnaire.reminder_days)),
            **texts_initial("title", questionnaire.title),
            **texts_initial("intro", questionnaire.intro),
        }
    )
    context = {
        "programme": questionnaire.programme,
        "questionnaire": questionnaire,
        "title": pick_text(questionnaire.title, language),
        "intro": pick_text(questionnaire.intro, language),
        "sections": sections,
        "question_count": len(earlier),
        "untranslated": [(LANGUAGE_NAMES[lang], n) for lang, n in missing.items() if n],
        "has_responses": questionnaire.responses.exists(),
        "settings_form": settings_form,
        "section_form": extra.pop("section_form", None) or SectionForm(prefix="new-section"),
        "error": error,
        **extra,
    }
    return render(request, "questionnaires/builder.html", context, status=status)


@require_GET
@_allowed
def builder(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _builder(request, _questionnaire(programme, pk))


def _attempt(
    request: HttpRequest, questionnaire: Questionnaire, write: Callable[[], Any], anchor: str = "", **forms_: Any
) -> HttpResponse:
    """Run one service call; on success back to the builder, else the builder with the refusal."""
    try:
        write()
    except EventsError as exc:
        return _builder(request, questionnaire, status=exc.status, error=exc.message, **forms_)
    return redirect(_builder_url(questionnaire, anchor))


def _form_error(request: HttpRequest, questionnaire: Questionnaire, **forms_: Any) -> HttpResponse:
    return _builder(request, questionnaire, status=422, error=_("Please correct the form below."), **forms_)


@require_POST
@_allowed
def settings_save(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _form_error(request, questionnaire, settings_form=form)
    return _attempt(
        request,
        questionnaire,
        lambda: services.questionnaire_update(
            questionnaire=questionnaire, actor=request.user, fields=form.fields_for_service()
        ),
        "settings",
        settings_form=form,
    )


@require_POST
@_allowed
def status_change(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _form_error(request, questionnaire)
    return _attempt(
        request,
        questionnaire,
        lambda: services.questionnaire_set_status(
            questionnaire=questionnaire, actor=request.user, status=form.cleaned_data["to"]
        ),
    )


@require_POST
@_allowed
def section_add(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    form = SectionForm(request.POST, prefix="new-section")
    if not form.is_valid():
        return _form_error(request, questionnaire, section_form=form)
    return _attempt(
        request,
        questionnaire,
        lambda: services.section_add(questionnaire=questionnaire, actor=request.user, data=form.data_for_service()),
        "sections",
        section_form=form,
    )


@require_POST
@_allowed
def section_edit(request: HttpRequest, programme: Programme, pk: int, section_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    section = _section(questionnaire, section_id)
    form = SectionForm(request.POST, prefix=f"s{section.pk}")
    if not form.is_valid():
        return _form_error(request, questionnaire)
    return _attempt(
        request,
        questionnaire,
        lambda: services.section_update(section=section, actor=request.user, data=form.data_for_service()),
        f"section-{section.pk}",
    )


@require_POST
@_allowed
def section_move(request: HttpRequest, programme: Programme, pk: int, section_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    section = _section(questionnaire, section_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _form_error(request, questionnaire)
    return _attempt(
        request,
        questionnaire,
        lambda: services.section_move(section=section, actor=request.user, offset=form.offset),
        f"section-{section.pk}",
    )


@require_POST
@_allowed
def section_remove(request: HttpRequest, programme: Programme, pk: int, section_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    section = _section(questionnaire, section_id)
    return _attempt(
        request, questionnaire, lambda: services.section_remove(section=section, actor=request.user), "sections"
    )


@require_POST
@_allowed
def question_add(request: HttpRequest, programme: Programme, pk: int, section_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    section = _section(questionnaire, section_id)
    form = QuestionForm(
        request.POST, earlier=sel.questionnaire_questions(questionnaire=questionnaire), prefix=f"q{section.pk}"
    )
    forms_ = {"question_form": form, "question_section": section.pk}
    if not form.is_valid():
        return _form_error(request, questionnaire, **forms_)
    return _attempt(
        request,
        questionnaire,
        lambda: services.question_add(section=section, actor=request.user, data=form.data_for_service()),
        f"section-{section.pk}",
        **forms_,
    )


@require_http_methods(["GET", "POST"])
@_allowed
def question_edit(request: HttpRequest, programme: Programme, pk: int, question_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    question = _question(questionnaire, question_id)
    earlier = sel.questionnaire_questions(questionnaire=questionnaire)
    earlier = earlier[: next(i for i, q in enumerate(earlier) if q.pk == question.pk)]
    error, status = "", 200
    if request.method == "POST":
        form = QuestionForm(request.POST, earlier=earlier)
        if form.is_valid():
            try:
                services.question_update(question=question, actor=request.user, data=form.data_for_service())
            except EventsError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect(_builder_url(questionnaire, f"question-{question.pk}"))
        else:
            error, status = _("Please correct the form below."), 422
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question), earlier=earlier)
    context = {
        "programme": programme,
        "questionnaire": questionnaire,
        "question": question,
        "title": pick_text(questionnaire.title, get_language() or "en"),
        "form": form,
        "error": error,
        "has_responses": questionnaire.responses.exists(),
    }
    return render(request, "questionnaires/builder_question.html", context, status=status)


@require_POST
@_allowed
def question_move(request: HttpRequest, programme: Programme, pk: int, question_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    question = _question(questionnaire, question_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _form_error(request, questionnaire)
    return _attempt(
        request,
        questionnaire,
        lambda: services.question_move(question=question, actor=request.user, offset=form.offset),
        f"question-{question.pk}",
    )


@require_POST
@_allowed
def question_remove(request: HttpRequest, programme: Programme, pk: int, question_id: int) -> HttpResponse:
    questionnaire = _questionnaire(programme, pk)
    question = _question(questionnaire, question_id)
    anchor = f"section-{question.section_id}"
    return _attempt(
        request, questionnaire, lambda: services.question_remove(question=question, actor=request.user), anchor
    )
