"""Shapes of the JSON API: what a client sends (`…In`, `…Patch`) and what it gets back (`…Out`).

The field names are a contract with integrations (issue 2): rename nothing, add freely.
Input types are strict (a string is not a number, "yes" is not a boolean) and every string is
checked for characters no database stores (NUL, unpaired surrogates), so no body can reach a 500.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from config.auth import OPTIONAL_AUTH
from events import hooks
from events.links import person_url
from events.models import Event, Registration, Session
from events.text import PLAIN_LINE, PLAIN_TEXT

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_COUNTRY = re.compile(r"[A-Z]{2}")
# Far enough for a training programme, near enough that converting to UTC can never overflow.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
MAX_CAPACITY = 1_000_000
MAX_ID = 2**63 - 1


def _no_bad_chars(value: str) -> str:
    if _BAD_CHARS.search(value):
        raise PydanticCustomError("bad_characters", "Text must not contain NUL or unpaired surrogate characters.")
    return value


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError("slug", "Use only letters, digits, hyphens and underscores.")
    return value


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise PydanticCustomError("timezone", "Use an IANA time zone name, such as Europe/Vilnius or Asia/Baghdad.")
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("email", "Enter a valid email address.") from None
    return value.lower()


def _country(value: str) -> str:
    value = value.upper()
    if value and not _COUNTRY.fullmatch(value):
        raise PydanticCustomError("country", "Use a two-letter country code, such as LT or IQ.")
    return value


def _moment(value: datetime) -> datetime:
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise PydanticCustomError("datetime_range", "Use a date between 2000 and 2100.")
    return value


def text(max_length: int, min_length: int = 0, *, multiline: bool = True) -> Any:
    """A trimmed string of bounded length with no characters a database would refuse, and none that
    hide or reorder text (events/text.py): line breaks and tabs only where `multiline`."""
    return Annotated[
        StrictStr,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_bad_chars),
        PLAIN_TEXT if multiline else PLAIN_LINE,
    ]


def line(max_length: int, min_length: int = 0) -> Any:
    """One line of text: a name, a title, a place."""
    return text(max_length, min_length, multiline=False)


Title = line(200, min_length=1)
Slug = Annotated[StrictStr, StringConstraints(min_length=1, max_length=80), AfterValidator(_slug)]
TimeZone = Annotated[StrictStr, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Email = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=254),
    AfterValidator(_no_bad_chars),
    AfterValidator(_email),
]
Country = Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=2), AfterValidator(_country)]
Moment = Annotated[AwareDatetime, AfterValidator(_moment)]


def _iso_day(value: Any) -> Any:
    # A day is written "2027-06-30"; a bare number would be read as seconds since 1970.
    if not isinstance(value, str | date):
        raise PydanticCustomError("date_type", "Give a date as YYYY-MM-DD.")
    return value


def _day_in_range(value: date) -> date:
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise PydanticCustomError("date_range", "Use a date between 2000 and 2100.")
    return value


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_day_in_range)]
Capacity = Annotated[StrictInt, Field(ge=0, le=MAX_CAPACITY)]
ObjectId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]  # type: ignore[valid-type]


def named_enum(choices: type[models.TextChoices], name: str) -> Any:
    """The same choices as an enum of its own name. The OpenAPI document names an enum's schema after
    its class, so Event.Kind and Session.Kind (and three classes called Status) would share one schema,
    whichever came last, and a client generated from it would send a session's kind to an event."""
    return models.TextChoices(name, [(member.name, (member.value, member.label)) for member in choices])


EventKind = named_enum(Event.Kind, "EventKind")
EventStatus = named_enum(Event.Status, "EventStatus")
SessionKind = named_enum(Session.Kind, "SessionKind")
SessionAudience = named_enum(Session.Audience, "SessionAudience")
SessionStatus = named_enum(Session.Status, "SessionStatus")
RegistrationRole = named_enum(Registration.Role, "RegistrationRole")
RegistrationStatus = named_enum(Registration.Status, "RegistrationStatus")


def _ends_after_start(value: datetime | None, info: ValidationInfo) -> datetime | None:
    starts_at = info.data.get("starts_at")
    if value is not None and starts_at is not None and value < starts_at:
        raise PydanticCustomError("ends_before_start", "ends_at must not be before starts_at.")
    return value


class BodyIn(Schema):
    """A request body: a JSON object, and nothing else.

    A ninja Schema reads any other input through its attributes, as it reads a model instance: a
    PATCH whose body was the string "a string" set an event's title to "A String" (str.title), and
    `[]` or `0` passed as an empty change. Every input schema derives from this one.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value: Any, handler: Any) -> Any:
        if not isinstance(value, dict | cls):
            raise PydanticCustomError("model_type", gettext("Send a JSON object."))
        return handler(value)


def optional_auth_openapi() -> dict[str, Any]:
    """`openapi_extra` of an operation anyone may call: its credentials are optional, which OpenAPI
    says with an empty security requirement beside the schemes a client may use."""
    schemes = [{auth.__class__.__name__: []} for auth in OPTIONAL_AUTH if hasattr(auth, "openapi_security_schema")]
    return {"security": [*schemes, {}]}


class ErrorOut(Schema):
    status: Literal["error"]
    reason: str = Field(description="Stable machine code, e.g. validation, forbidden, registration_closed.")
    message: str
    errors: dict[str, list[str]] | None = Field(None, description="Messages per field, for bad input.")


# Events --------------------------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    title: str
    kind: EventKind
    timezone: str
    starts_at: datetime = Field(description="In the event's time zone, with its offset.")
    ends_at: datetime
    venue: str
    address: str
    capacity: int | None
    status: EventStatus
    registration_open: bool
    description: str
    personal_data_kept_until: date | None = Field(
        None, description="Attendees' personal data is erased after this day; null: 12 months after the end."
    )
    programme: str | None = Field(None, description="Slug of the programme the event belongs to, if any.")

    @staticmethod
    def resolve_programme(obj: Event) -> str | None:
        return obj.programme.slug if obj.programme_id else None

    @staticmethod
    def resolve_starts_at(obj: Event) -> datetime:
        return obj.starts_at.astimezone(obj.tzinfo)

    @staticmethod
    def resolve_ends_at(obj: Event) -> datetime:
        return obj.ends_at.astimezone(obj.tzinfo)


class EventIn(BodyIn):
    slug: Slug
    title: Title
    kind: EventKind
    timezone: TimeZone = "Europe/Vilnius"
    starts_at: Moment
    ends_at: Moment
    venue: line(200) = ""
    address: line(300) = ""
    capacity: Capacity | None = None
    status: EventStatus = EventStatus.DRAFT
    registration_open: StrictBool = True
    description: text(20_000) = ""
    programme: Slug | None = Field(None, description="Slug of the programme it belongs to, if any.")

    check_end = field_validator("ends_at")(_ends_after_start)


# In the Patch schemas a field left out keeps its value. Their default is None but their type is not
# optional, so a client that sends null for a required field gets a 422 instead of a crash.


class EventPatch(BodyIn):
    title: Title = None
    kind: EventKind = None
    timezone: TimeZone = None
    starts_at: Moment = None
    ends_at: Moment = None
    venue: line(200) = None
    address: line(300) = None
    capacity: Capacity | None = None
    status: EventStatus = None
    registration_open: StrictBool = None
    description: text(20_000) = None
    personal_data_kept_until: Day | None = None
    programme: Slug | None = Field(None, description="Slug of the programme it belongs to; null: none.")

    check_end = field_validator("ends_at")(_ends_after_start)


# Sessions ------------------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    title: str
    kind: SessionKind
    starts_at: datetime = Field(description="In the event's time zone, with its offset.")
    ends_at: datetime
    room: str | None = Field(description="The room's name.")
    track: str
    speakers: str
    description: str
    audience: SessionAudience
    status: SessionStatus
    capacity: int | None
    revision: int = Field(description="Grows with every change a calendar must see (the iCalendar SEQUENCE).")

    @staticmethod
    def resolve_event(obj: Session) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_room(obj: Session) -> str | None:
        return obj.room.name if obj.room_id else None

    @staticmethod
    def resolve_starts_at(obj: Session) -> datetime:
        return obj.starts_at.astimezone(obj.event.tzinfo)

    @staticmethod
    def resolve_ends_at(obj: Session) -> datetime:
        return obj.ends_at.astimezone(obj.event.tzinfo)


class SessionIn(BodyIn):
    title: Title
    kind: SessionKind = SessionKind.TALK
    starts_at: Moment
    ends_at: Moment
    room: line(120, min_length=1) | None = Field(None, description="A room name; created for the event if new.")
    track: line(100) = ""
    speakers: line(300) = ""
    description: text(20_000) = ""
    capacity: Capacity | None = None
    audience: SessionAudience = SessionAudience.PUBLIC
    status: SessionStatus = SessionStatus.SCHEDULED

    check_end = field_validator("ends_at")(_ends_after_start)


class SessionPatch(BodyIn):
    title: Title = None
    kind: SessionKind = None
    starts_at: Moment = None
    ends_at: Moment = None
    room: line(120, min_length=1) | None = None
    track: line(100) = None
    speakers: line(300) = None
    description: text(20_000) = None
    capacity: Capacity | None = None
    audience: SessionAudience = None
    status: SessionStatus = None

    check_end = field_validator("ends_at")(_ends_after_start)


# Registrations -------------------------------------------------------------------------------------


class RegistrationOut(Schema):
    """A person's registration. Computed fields use `resolve_<field>` static methods; add more the same way."""

    id: int
    event: str = Field(description="The event's slug.")
    name: str
    email: str
    role: RegistrationRole
    organisation: str | None = Field(description="The organisation's name.")
    organisation_id: int | None
    organisation_name: str = Field(
        description="The organisation as the person typed it when registering (it asked to join that "
        "organisation; `organisation` is what the request became)."
    )
    delegation: str
    language: str
    status: RegistrationStatus
    consent_share_profile: bool
    consent_attendee_list: bool
    created_at: datetime
    person_url: str = Field(description="Absolute URL of the person's own registration page.")
    ticket_payload: str | None = Field(
        None,
        description="The ticket QR's payload (registered people only; null for the moment between taking "
        "a seat and the ticket's issue just after).",
    )
    qr_url: str | None = Field(
        None, description="Absolute URL of the ticket QR as PNG (registered people only; null like ticket_payload)."
    )
    calendar_feed_url: str = Field(description="Absolute URL of the person's personal calendar feed (secret).")
    calendar_webcal_url: str = Field(description="The same feed as a webcal:// subscription link.")
    sessions: list[int] = Field(
        description="Ids of the sessions the person chose for their programme (each one is in their calendar; "
        "officials also get every officials-only session). Change it with POST or DELETE "
        "/registrations/{id}/sessions/{session_id}."
    )

    @staticmethod
    def resolve_sessions(obj: Registration) -> list[int]:
        # A prefetched `sessions` (the registration list) costs no query per registration.
        return sorted(s.pk for s in obj.sessions.all())

    @staticmethod
    def resolve_event(obj: Registration) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Registration) -> str:
        return obj.user.email

    @staticmethod
    def resolve_organisation(obj: Registration) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_created_at(obj: Registration) -> datetime:
        return obj.created_at.astimezone(obj.event.tzinfo)

    @staticmethod
    def resolve_person_url(obj: Registration) -> str:
        return person_url(obj)

    @staticmethod
    def resolve_ticket_payload(obj: Registration) -> str | None:
        ticket = hooks.registration_ticket(obj)
        return ticket["ticket_payload"] if ticket else None

    @staticmethod
    def resolve_qr_url(obj: Registration) -> str | None:
        ticket = hooks.registration_ticket(obj)
        return ticket["qr_url"] if ticket else None

    @staticmethod
    def resolve_calendar_feed_url(obj: Registration) -> str:
        from events.feeds import feed_url_for

        return feed_url_for(obj.user)

    @staticmethod
    def resolve_calendar_webcal_url(obj: Registration) -> str:
        from events.feeds import feed_url_for, webcal_url

        return webcal_url(feed_url_for(obj.user))


class RegistrationIn(BodyIn):
    name: Title
    email: Email
    role: RegistrationRole = RegistrationRole.CANDIDATE
    organisation: line(200, min_length=1) | None = Field(None, description="An existing organisation's name.")
    organisation_id: ObjectId | None = Field(None, description="Or its id.")
    language: Language = "en"
    delegation: Country = Field("", description="Organisers only: the delegation's country code.")
    consent_share_profile: StrictBool = False
    consent_attendee_list: StrictBool = False
    invite: StrictBool = Field(False, description="Organisers only: send an invitation instead of registering.")


class RegistrationPatch(BodyIn):
    status: RegistrationStatus = Field(
        None, description="People may set cancelled, or answer an invitation (registered/declined)."
    )
    language: Language = None
    consent_share_profile: StrictBool = None
    consent_attendee_list: StrictBool = None
    role: RegistrationRole = Field(None, description="Organisers only.")
    organisation: line(200, min_length=1) | None = Field(None, description="Organisers only.")
    organisation_id: ObjectId | None = Field(None, description="Organisers only.")
    delegation: Country = Field(None, description="Organisers only.")
