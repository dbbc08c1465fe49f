"""JSON API of a programme's questionnaires: list and create (blank, whole, or from a shipped template),
one questionnaire's structure, and the responses to it (issue 13).

Organisers and the programme's staff only (questionnaire_selectors.may_manage_questionnaires): anyone
else gets a 403 (the programme itself is public; its questionnaires and answers are not). Writes go
through events/questionnaires.py, which refuses bad structure with a 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError

from config.pagination import Mapped, paginated
from events import questionnaire_selectors as sel
from events import questionnaires as services
from events.exceptions import PermissionDenied
from events.models import Programme, Questionnaire
from events.programme_selectors import programme_get
from events.questionnaire_schemas import (
    QuestionnaireBriefOut,
    QuestionnaireIn,
    QuestionnaireOut,
    ResponseFilters,
    ResponseOut,
)
from events.schemas import _SLUG as SLUG_RE
from events.schemas import MAX_ID, ErrorOut

router = Router(tags=["questionnaires"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
IdPath = Path(..., ge=1, le=MAX_ID)


def _programme(request: HttpRequest, slug: str) -> Programme:
    programme = programme_get(slug=slug) if SLUG_RE.fullmatch(slug) else None
    if programme is None:
        raise HttpError(404, _("No such programme."))
    if not sel.may_manage_questionnaires(user=request.user, programme=programme):
        raise PermissionDenied(_("Only the programme's organisers and staff see its questionnaires."))
    return programme


def _questionnaire(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    questionnaire = sel.questionnaire_get(pk=questionnaire_id)
    if questionnaire is None:
        raise HttpError(404, _("No such questionnaire."))
    if not sel.may_manage_questionnaires(user=request.user, programme=questionnaire.programme):
        raise PermissionDenied(_("Only the programme's organisers and staff see its questionnaires."))
    return questionnaire


@router.get("/programmes/{slug}/questionnaires", response={200: list[QuestionnaireBriefOut], **ERRORS})
@paginated
def questionnaire_list(request: HttpRequest, slug: str) -> Mapped:
    """The programme's questionnaires, newest first, with their question and response counts."""
    programme = _programme(request, slug)
    return Mapped(
        sel.questionnaires_of(programme=programme).select_related("programme"), sel.questionnaire_summary_payload
    )


@router.post("/programmes/{slug}/questionnaires", response={201: QuestionnaireOut, **ERRORS})
def questionnaire_create(request: HttpRequest, slug: str, payload: QuestionnaireIn) -> Status[dict[str, Any]]:
    """A draft questionnaire: a whole body (title required, sections optional), or {"template": key} alone."""
    programme = _programme(request, slug)
    fields = payload.model_dump(exclude_unset=True, mode="python")
    template = fields.pop("template", None)
    if template is not None:
        if fields:
            raise services.invalid("template", _("Send the template's key alone; edit the copy afterwards."))
        questionnaire = services.questionnaire_create_from_template(
            programme=programme, actor=request.user, template=template
        )
    else:
        questionnaire = services.questionnaire_create(programme=programme, actor=request.user, body=fields)
    return Status(201, sel.questionnaire_payload(questionnaire))


@router.get("/questionnaires/{questionnaire_id}", response={200: QuestionnaireOut, **ERRORS})
def questionnaire_detail(request: HttpRequest, questionnaire_id: int = IdPath) -> dict[str, Any]:
    """The structure: settings, sections and questions in order, every text by language."""
    questionnaire = _questionnaire(request, questionnaire_id)
    counted = (
        sel.questionnaires_of(programme=questionnaire.programme).select_related("programme").get(pk=questionnaire.pk)
    )
    return sel.questionnaire_payload(counted)


@router.get("/questionnaires/{questionnaire_id}/responses", response={200: list[ResponseOut], **ERRORS})
@paginated
def questionnaire_responses(
    request: HttpRequest, filters: Query[ResponseFilters], questionnaire_id: int = IdPath
) -> Mapped:
    """Every response, latest change first: the stakeholder (organisation, never its contact person), answers by
    question key, and when it was started, last saved and submitted."""
    questionnaire = _questionnaire(request, questionnaire_id)
    return Mapped(sel.responses_of(questionnaire=questionnaire, submitted=filters.submitted), sel.response_payload)
