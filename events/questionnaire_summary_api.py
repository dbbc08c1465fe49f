"""`GET /api/v1/questionnaires/{id}/summary`: a questionnaire's answers summarised question by question.

Organisers and the programme's staff only (events.stakeholder_selectors.may_see_stakeholders): the
free-text answers name the stakeholders who gave them. Filters by stakeholder type, country and city;
labels in the caller's language. The shapes are events.questionnaire_analysis'.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from events.models import Questionnaire
from events.questionnaire_analysis import AnalysisFilters, questionnaire_summary
from events.schemas import MAX_ID, Country, ErrorOut, line
from events.stakeholder_selectors import may_see_stakeholders

router = Router(tags=["questionnaires"])

ERRORS: dict[int, Any] = dict.fromkeys((401, 403, 404, 422), ErrorOut)
StakeholderKind = Literal[
    "university", "training_provider", "tech_hub", "company", "government", "ngo", "international"
]


class SummaryFilters(Schema):
    kind: StakeholderKind | None = None
    country: Country = ""
    city: line(100) = ""


@router.get("/questionnaires/{questionnaire_id}/summary", response={200: dict[str, Any], **ERRORS})
def questionnaire_summary_get(
    request: HttpRequest,
    questionnaire_id: int = Path(..., ge=1, le=MAX_ID),
    filters: Query[SummaryFilters] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    questionnaire = Questionnaire.objects.select_related("programme").filter(pk=questionnaire_id).first()
    if questionnaire is None:
        raise HttpError(404, _("No such questionnaire."))
    if not may_see_stakeholders(user=request.user, programme=questionnaire.programme):
        raise HttpError(403, _("Only the programme's organisers and staff see its answers."))
    chosen = AnalysisFilters(kind=filters.kind or "", country=filters.country or "", city=filters.city or "")
    return questionnaire_summary(questionnaire=questionnaire, language=get_language() or "en", filters=chosen)
