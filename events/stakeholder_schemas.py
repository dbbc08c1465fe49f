"""Shapes of the stakeholder API (issue 13). Field names are a contract: rename nothing, add freely."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from events.models import Interaction, Stakeholder, StakeholderContact
from events.programme_schemas import IsoCountry, PersonBrief
from events.schemas import BodyIn, Day, ObjectId, Title, line, text

StakeholderKind = Annotated[
    Literal[tuple(value for value, _label in Stakeholder.Kind.choices)],  # type: ignore[valid-type]
    Field(description="university, training_provider, tech_hub, company, government, ngo or international."),
]
InteractionKind = Annotated[
    Literal[tuple(value for value, _label in Interaction.Kind.choices)],  # type: ignore[valid-type]
    Field(description="meeting, call, visit, email or event."),
]
ConsentBasis = Literal[tuple(value for value, _label in StakeholderContact.ConsentBasis.choices)]  # type: ignore[valid-type]
LastContact = Literal["never", "30", "90", "older90"]

MAX_TAGS = 20
MAX_PEOPLE = 50
MAX_FOLLOW_UPS = 20


def _website(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError:
            raise PydanticCustomError("url", "Enter a web address starting with http:// or https://.") from None
    return value


Website = Annotated[line(200), AfterValidator(_website)]
Tag = line(40, min_length=1)


def _required_country(value: str) -> str:
    if not value:
        raise PydanticCustomError("country", "Give a two-letter country code.")
    return value


RequiredCountry = Annotated[IsoCountry, AfterValidator(_required_country)]


class StakeholderFilters(Schema):
    kind: StakeholderKind | None = None
    country: IsoCountry = ""
    city: line(100) = ""
    last_contact: LastContact | None = Field(
        None, description="never; 30 or 90: within that many days; older90: longer ago than 90 days."
    )
    open_follow_ups: bool = Field(False, description="Only those with follow-ups still open.")
    tag: line(40) = ""


class StakeholderIn(BodyIn):
    name: Title
    kind: StakeholderKind
    country: RequiredCountry = Field(description="ISO 3166-1 alpha-2 code, e.g. IQ, LT.")
    city: line(100) = ""
    website: Website = ""
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)


class StakeholderPatch(BodyIn):
    name: Title = None
    kind: StakeholderKind = None
    country: RequiredCountry = None
    city: line(100) = None
    website: Website = None
    tags: list[Tag] = Field(None, max_length=MAX_TAGS)


class ContactOut(Schema):
    id: int
    name: str
    role: str
    email: str
    phone: str
    consent_basis: ConsentBasis
    consent_given_on: date
    user: int | None = Field(description="The person's account id, when they have one here.")


class StakeholderOut(Schema):
    id: int
    programme: str = Field(description="The programme's slug.")
    name: str
    kind: StakeholderKind
    country: str
    city: str
    website: str
    tags: list[str]
    last_contact: date | None = Field(description="The day of the latest interaction.")
    open_follow_ups: int
    overdue_follow_ups: int
    contact_count: int
    contacts: list[ContactOut] | None = Field(
        None, description="The contact people, on one stakeholder's answer only (not in the list)."
    )


class FollowUpIn(BodyIn):
    title: Title
    owner: ObjectId = Field(description="Account id of one of the programme's organisers or staff.")
    due_on: Day


class FollowUpOut(Schema):
    id: int
    title: str
    owner: PersonBrief | None
    due_on: date
    done_at: datetime | None
    overdue: bool


class ContactBrief(Schema):
    id: int
    name: str


class InteractionIn(BodyIn):
    kind: InteractionKind
    happened_on: Day
    notes: text(10_000) = ""
    staff: list[ObjectId] = Field(
        default_factory=list, max_length=MAX_PEOPLE, description="Account ids of the programme's people present."
    )
    contacts: list[ObjectId] = Field(
        default_factory=list, max_length=MAX_PEOPLE, description="Ids of the stakeholder's contact people present."
    )
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=MAX_FOLLOW_UPS)


class InteractionOut(Schema):
    id: int
    kind: InteractionKind
    happened_on: date
    notes: str
    staff: list[PersonBrief]
    contacts: list[ContactBrief]
    recorded_by: PersonBrief | None
    follow_ups: list[FollowUpOut]
