"""`GET /api/v1/programmes/{slug}/indicators`: the programme's indicators, the same figures as its page.

Organisers and the programme's staff only (matching.indicators.may_see_indicators): a bearer token
or a signed-in browser; anyone else 403. A figure not recorded yet is null, never a fake zero.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from events.programme_selectors import programme_get
from events.schemas import ErrorOut
from matching.indicators import may_see_indicators, programme_indicators

router = Router(tags=["programmes"])
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class MonthOut(Schema):
    month: str  # YYYY-MM, in the training's time zone
    sessions_held: int
    trainees_attended: int
    attendances: int
    rate: int | None  # percent of expected attendances (excused left out); null with nothing held


class CountOut(Schema):
    key: str
    label: str
    count: int


class PlacementsOut(Schema):
    total: int
    by_type: list[CountOut]
    by_country: list[CountOut]


class GroupOut(Schema):
    value: str
    label: str
    count: int | str  # "<5" for a group of one to four people


class StakeholdersOut(Schema):
    listed: int
    reached: int


class ActionItemsOut(Schema):
    done: int
    total: int


class ProgrammeRefOut(Schema):
    slug: str
    name: str


class IndicatorsOut(Schema):
    programme: ProgrammeRefOut
    as_of: str
    trainings: list[str]
    enrolled: int
    attended: int
    attended_by_month: list[MonthOut]
    completed: int
    certified: int | None
    met_employer: int
    interviews: int | None
    offers: int | None
    placements: PlacementsOut | None
    officials_engaged: int
    stakeholders: StakeholdersOut
    action_items: ActionItemsOut
    breakdowns: dict[str, list[GroupOut]]


@router.get(
    "/programmes/{slug}/indicators", response={200: IndicatorsOut, **dict.fromkeys((401, 403, 404, 422), ErrorOut)}
)
def programme_indicators_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Enrolled, attended by month, completed, certified, met an employer, interviews, offers, placements,
    officials engaged, stakeholders reached, action items done; breakdowns by self-declared gender and city."""
    programme = programme_get(slug=slug) if SLUG.fullmatch(slug) else None
    if programme is None:
        raise HttpError(404, _("No such programme."))
    if not may_see_indicators(user=request.user, programme=programme):
        raise HttpError(403, _("Only organisers and the programme's staff see its indicators."))
    return programme_indicators(programme=programme)
