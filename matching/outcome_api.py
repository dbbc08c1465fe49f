"""JSON API of "what the fair led to" (mounted under /api/v1/matching/...), through matching/outcomes.py.

- `GET matching/events/{slug}/outcomes`: organisers all, a granted employer its own, a candidate their own.
- `POST matching/events/{slug}/outcomes`: the employer records a stage (409 `invalid_transition`).
- `POST matching/outcomes/{id}/answer`: the candidate's "Did this happen?" (409 `outcome_changed`).
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router
from pydantic import StrictBool, StrictInt

from config.pagination import Mapped, paginated
from events.schemas import BodyIn
from matching import exceptions as exc
from matching import outcomes
from matching.api import ERRORS, MAX_ID, Id, Line, Text, _event
from matching.outcome_models import Outcome

router = Router(tags=["matching"])

StageName = Literal["invited", "interviewed", "offer", "accepted", "started", "declined"]


class OutcomeIn(BodyIn):
    candidate_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    stage: StageName
    offer_kind: Literal["internship", "job", ""] = ""
    offer_country: Line = Field("", max_length=2)
    work_mode: Literal["on_site", "remote", ""] = ""
    note: Text = Field("", max_length=outcomes.NOTE_MAX)


class AnswerIn(BodyIn):
    stage: StageName
    happened: StrictBool
    note: Text = Field("", max_length=outcomes.NOTE_MAX)


def _out(outcome: Outcome) -> dict:
    def when(value) -> str | None:  # type: ignore[no-untyped-def]
        return value.isoformat() if value else None

    return {
        "id": outcome.pk,
        "event": outcome.event_id,
        "candidate_id": outcome.candidate_id,
        "organisation_id": outcome.organisation_id,
        "stage": outcome.stage,
        "offer_kind": outcome.offer_kind or None,
        "offer_country": outcome.offer_country or None,
        "work_mode": outcome.work_mode or None,
        "confirmation": outcome.confirmation,
        "reached": {stage: when(getattr(outcome, field)) for stage, field in outcomes.MILESTONE.items()},
        "updated_at": outcome.updated_at.isoformat(),
    }


@router.get("/matching/events/{slug}/outcomes", response={200: list[dict], **ERRORS})
@paginated
def outcome_list(request: HttpRequest, slug: str) -> Mapped:
    event = _event(request, slug)
    if not request.user.is_authenticated:
        raise exc.NotAllowed(_("Sign in to see outcomes."))
    return Mapped(outcomes.outcomes_visible(user=request.user, event=event).order_by("-updated_at", "-id"), _out)


@router.post("/matching/events/{slug}/outcomes", response={200: dict, **ERRORS})
def outcome_record(request: HttpRequest, slug: str, payload: OutcomeIn) -> dict:
    event = _event(request, slug)
    outcome = outcomes.outcome_record(
        event=event,
        actor=request.user,
        candidate_id=payload.candidate_id,
        stage=payload.stage,
        offer_kind=payload.offer_kind,
        offer_country=payload.offer_country,
        work_mode=payload.work_mode,
        note=payload.note,
    )
    return _out(outcome)


@router.post("/matching/outcomes/{outcome_id}/answer", response={200: dict, **ERRORS})
def outcome_answer(request: HttpRequest, payload: AnswerIn, outcome_id: int = Id) -> dict:
    outcome = outcomes.outcome_answer(
        outcome_id=outcome_id, actor=request.user, stage=payload.stage, happened=payload.happened, note=payload.note
    )
    return _out(outcome)
