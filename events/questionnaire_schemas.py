"""Shapes of the questionnaire API (events/questionnaire_api.py).

Types are strict (a string is not a number, "yes" is not a boolean); the rules across fields (a text
in at least one of en/ar/lt/ckb, option values unique, keys unique, conditions on an earlier question
and its values, number bounds) are events.questionnaires' own checks, so the API and the builder page
refuse the same things with the same messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, StrictStr

from events.schemas import BodyIn, Moment

Texts = dict[StrictStr, StrictStr]
TemplateKey = Literal["ict_curriculum_review", "institutional_capacity"]


class OptionIn(BodyIn):
    value: StrictStr
    label: Texts


class QuestionIn(BodyIn):
    key: StrictStr = Field(description="Unique in the questionnaire: lower-case letters, digits, - and _.")
    kind: Literal["single", "multiple", "scale", "number", "short_text", "long_text", "date", "skills"]
    text: Texts = Field(description='By language: {"en": "…", "ar": "…", "lt": "…", "ckb": "…"}.')
    help: Texts = {}
    required: StrictBool = False
    options: list[OptionIn] = Field([], description="Choice questions: 2 to 40, each value once.")
    settings: dict[str, Any] = Field({}, description='Number: {"min", "max"}; scale: {"low", "high"} texts.')
    skill_purpose: Literal["", "taught", "needed"] = ""
    show_if: StrictStr = Field("", description="The key of an earlier single, multiple or scale question.")
    show_if_values: list[StrictStr | StrictInt] = Field([], description="Its option values (1–5 for a scale).")


class SectionIn(BodyIn):
    title: Texts
    description: Texts = {}
    questions: list[QuestionIn] = []


class QuestionnaireIn(BodyIn):
    """A whole questionnaire, or only {"template": "<key>"} for a copy of a shipped template."""

    template: TemplateKey | None = None
    title: Texts | None = None
    intro: Texts = {}
    audience: list[StrictStr] = Field([], description="Stakeholder types it is written for; empty: any.")
    closes_at: Moment | None = None
    link_days: StrictInt = 30
    reminder_days: list[StrictInt] = []
    sections: list[SectionIn] = []


class OptionOut(Schema):
    value: str
    label: dict[str, str]


class QuestionOut(Schema):
    id: int
    key: str
    kind: str
    text: dict[str, str]
    help: dict[str, str]
    required: bool
    options: list[OptionOut]
    settings: dict[str, Any]
    skill_purpose: str
    show_if: str
    show_if_values: list[str | int]


class SectionOut(Schema):
    id: int
    title: dict[str, str]
    description: dict[str, str]
    questions: list[QuestionOut]


class QuestionnaireBriefOut(Schema):
    id: int
    programme: str
    template: str
    title: dict[str, str]
    status: Literal["draft", "open", "closed"]
    audience: list[str]
    closes_at: datetime | None
    question_count: int | None
    response_count: int | None = Field(description="Responses started, submitted or not.")
    submitted_count: int | None
    created_at: datetime


class QuestionnaireOut(QuestionnaireBriefOut):
    intro: dict[str, str]
    link_days: int
    reminder_days: list[int]
    sections: list[SectionOut]


class StakeholderBriefOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    city: str


class ResponseOut(Schema):
    id: int
    stakeholder: StakeholderBriefOut
    language: str
    answers: dict[str, Any] = Field(description="By question key; shapes in docs/needs-assessment.md.")
    revision: int
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


class ResponseFilters(Schema):
    submitted: bool | None = Field(None, description="true: submitted only; false: in progress only.")
