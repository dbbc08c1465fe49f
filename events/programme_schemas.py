"""Shapes of the programme, minutes and action-item API (issue 12). Field names are a contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from events.csv_rows import is_country_code
from events.models import ActionItem, Minutes, ProgrammePartner
from events.programme_models import MINUTES_LANGUAGES
from events.schemas import MAX_ID, BodyIn, Country, Day, Language, ObjectId, Slug, Title, line, named_enum, text

ActionStatus = named_enum(ActionItem.Status, "ActionStatus")
ActionVisibility = named_enum(ActionItem.Visibility, "ActionVisibility")
MinutesStatus = named_enum(Minutes.Status, "MinutesStatus")
PartnerRole = named_enum(ProgrammePartner.Role, "PartnerRole")

MAX_PARTNERS = 100


def _iso_country(value: str) -> str:
    if value and not is_country_code(value):
        raise PydanticCustomError("country", "Use an ISO 3166-1 alpha-2 country code, such as LT or IQ.")
    return value


# Country (events.schemas) checks the shape; this also checks that the code names a country.
IsoCountry = Annotated[Country, AfterValidator(_iso_country)]


class OrganisationBrief(Schema):
    id: int
    name: str
    country: str


class PartnerOut(Schema):
    organisation: OrganisationBrief
    country: str
    role: PartnerRole


class PartnerIn(BodyIn):
    organisation: ObjectId = Field(description="The organisation's id.")
    country: IsoCountry = Field(description="ISO 3166-1 alpha-2 code of the country it represents, e.g. LT, IQ.")
    role: PartnerRole = PartnerRole.PARTNER

    @field_validator("country")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("Give a two-letter country code.")
        return value


class ProgrammeOut(Schema):
    slug: str
    name: str
    description: str
    starts_on: date | None
    ends_on: date | None
    languages: list[str]
    partners: list[PartnerOut]
    events: list[str] = Field(description="Slugs of the programme's events this caller may see.")


def _unique_languages(value: list[str] | None) -> list[str] | None:
    if value is not None and len(set(value)) != len(value):
        raise ValueError("List each language once.")
    return value


def _ends_after_start(value: date | None, info: Any) -> date | None:
    starts = info.data.get("starts_on")
    if value is not None and starts is not None and value < starts:
        raise ValueError("ends_on must not be before starts_on.")
    return value


class ProgrammeIn(BodyIn):
    slug: Slug
    name: Title
    description: text(20_000) = ""
    starts_on: Day | None = None
    ends_on: Day | None = None
    languages: list[Language] = Field(default_factory=lambda: ["en", "ar", "lt"], max_length=10)
    partners: list[PartnerIn] = Field(default_factory=list, max_length=MAX_PARTNERS)

    check_languages = field_validator("languages")(_unique_languages)
    check_end = field_validator("ends_on")(_ends_after_start)


class ProgrammePatch(BodyIn):
    name: Title = None
    description: text(20_000) = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    languages: list[Language] = Field(None, max_length=10)
    partners: list[PartnerIn] = Field(None, max_length=MAX_PARTNERS, description="Replaces the partner list.")

    check_languages = field_validator("languages")(_unique_languages)
    check_end = field_validator("ends_on")(_ends_after_start)


# Action items -----------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    programme: str
    title: str
    description: str
    theme: str
    lead_country: str
    lead_organisation: OrganisationBrief | None
    partners: list[OrganisationBrief]
    due_date: date | None = Field(description="YYYY-MM-DD")
    status: ActionStatus
    dropped_reason: str
    visibility: ActionVisibility
    source_session: int | None
    source_meeting: int | None
    overdue: bool
    updated_at: datetime


class ActionIn(BodyIn):
    title: Title
    description: text(5_000) = ""
    theme: line(100) = ""
    lead_country: IsoCountry = ""
    lead_organisation: ObjectId | None = Field(None, description="The lead organisation's id.")
    partners: list[ObjectId] = Field(default_factory=list, max_length=MAX_PARTNERS, description="Organisation ids.")
    due_date: Day | None = Field(None, description="YYYY-MM-DD")
    status: ActionStatus = ActionStatus.PROPOSED
    visibility: ActionVisibility = ActionVisibility.OFFICIALS
    source_session: ObjectId | None = None
    source_meeting: ObjectId | None = None
    comment: text(2_000) = ""


class ActionPatch(BodyIn):
    title: Title = None
    description: text(5_000) = None
    theme: line(100) = None
    lead_country: IsoCountry = None
    lead_organisation: ObjectId | None = None
    partners: list[ObjectId] = Field(None, max_length=MAX_PARTNERS)
    due_date: Day | None = None
    status: ActionStatus = None
    dropped_reason: text(2_000) = None
    visibility: ActionVisibility = None
    source_session: ObjectId | None = None
    source_meeting: ObjectId | None = None
    comment: text(2_000) = Field("", description="Recorded with the change in the item's history.")


class ActionUpdateIn(BodyIn):
    comment: text(2_000) = ""
    status: ActionStatus | None = None
    dropped_reason: text(2_000) = ""


class PersonBrief(Schema):
    id: int
    name: str


class ActionUpdateOut(Schema):
    id: int
    author: PersonBrief | None
    created_at: datetime
    changes: dict[str, list[Any]] = Field(description="field -> [old, new]")
    comment: str


# Minutes ----------------------------------------------------------------------------------------


class MinutesTranslation(BodyIn):
    notes: text(50_000) = ""
    decisions: text(20_000) = ""


class MinutesOut(Schema):
    id: int
    session: int | None
    meeting: int | None
    rapporteur: PersonBrief | None
    language: str
    notes: str
    decisions: str
    translations: dict[str, MinutesTranslation]
    status: MinutesStatus
    published_at: datetime | None
    updated_at: datetime


class MinutesIn(BodyIn):
    """Fields left out keep their value. `rapporteur` (a person's id, or null) is for organisers only."""

    rapporteur: StrictInt | None = Field(None, ge=1, le=MAX_ID)
    language: Language = None
    notes: text(50_000) = None
    decisions: text(20_000) = None
    translations: dict[Language, MinutesTranslation] = Field(None, max_length=len(MINUTES_LANGUAGES))
    status: MinutesStatus = None
