"""JSON API of a programme's stakeholder directory and relationship log (issue 13).

Organisers and programme staff only (stakeholder_selectors.may_see_stakeholders), as on the pages:
anyone else gets a 404, as if there were no directory. The list carries no contact people; one
stakeholder's answer lists them as its page does. Writes go through events/stakeholders.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError, ValidationError

from config.pagination import Mapped, paginated
from events import stakeholder_selectors as sel
from events import stakeholders as services
from events.exceptions import EventsError
from events.models import Interaction, Programme, Stakeholder, User
from events.programme_selectors import programme_get
from events.schemas import _SLUG as SLUG_RE
from events.schemas import MAX_ID, ErrorOut
from events.stakeholder_schemas import (
    InteractionIn,
    InteractionOut,
    StakeholderFilters,
    StakeholderIn,
    StakeholderOut,
    StakeholderPatch,
)

router = Router(tags=["stakeholders"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
IdPath = Path(..., ge=1, le=MAX_ID)
T = TypeVar("T")
# The field a service's error code is about, for the 422's `errors`.
CODE_FIELDS = {"country": "country", "invalid_tag": "tags", "too_many_tags": "tags", "staff": "staff"}
CODE_FIELDS |= {"contact": "contacts", "owner": "follow_ups", "interaction": "follow_ups"}


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": "value_error"}])


def _write(call: Callable[[], T]) -> T:
    """Run one service; its bad-input errors become 422s with messages by field, like the schema's own."""
    try:
        return call()
    except EventsError as exc:
        fields = getattr(exc, "fields", None)
        if fields is None and exc.code in CODE_FIELDS:
            fields = {CODE_FIELDS[exc.code]: [exc.message]}
        if exc.status != 422 or not fields:
            raise
        raise ValidationError(
            [
                {"loc": ("body", "payload", name), "msg": message, "type": "value_error"}
                for name, messages in fields.items()
                for message in messages
            ]
        ) from exc


def _programme(request: HttpRequest, slug: str) -> Programme:
    programme = programme_get(slug=slug) if SLUG_RE.fullmatch(slug) else None
    if programme is None or not sel.may_see_stakeholders(user=request.user, programme=programme):
        raise HttpError(404, _("No such programme."))
    return programme


def _stakeholder(request: HttpRequest, stakeholder_id: int) -> Stakeholder:
    stakeholder = Stakeholder.objects.select_related("programme").filter(pk=stakeholder_id).first()
    if stakeholder is None or not sel.may_see_stakeholders(user=request.user, programme=stakeholder.programme):
        raise HttpError(404, _("No such stakeholder."))
    return stakeholder


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.get_full_name() or user.email}


def _stakeholder_out(stakeholder: Stakeholder, *, with_contacts: bool = False) -> dict[str, Any]:
    out = {
        "id": stakeholder.pk,
        "programme": stakeholder.programme.slug,
        "name": stakeholder.name,
        "kind": stakeholder.kind,
        "country": stakeholder.country,
        "city": stakeholder.city,
        "website": stakeholder.website,
        "tags": list(stakeholder.tags or []),
        "last_contact": stakeholder.last_contact,
        "open_follow_ups": stakeholder.open_follow_ups,
        "overdue_follow_ups": stakeholder.overdue_follow_ups,
        "contact_count": stakeholder.contact_count,
        "contacts": None,
    }
    if with_contacts:
        out["contacts"] = [
            {
                "id": c.pk,
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "phone": c.phone,
                "consent_basis": c.consent_basis,
                "consent_given_on": c.consent_given_on,
                "user": c.user_id,
            }
            for c in stakeholder.contacts.all()
        ]
    return out


def _annotated(stakeholder: Stakeholder) -> Stakeholder:
    return (
        sel.stakeholders_annotated(programme=stakeholder.programme).select_related("programme").get(pk=stakeholder.pk)
    )


def _interaction_out(interaction: Interaction) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": interaction.pk,
        "kind": interaction.kind,
        "happened_on": interaction.happened_on,
        "notes": interaction.notes,
        "staff": [_person(u) for u in interaction.staff.all()],
        "contacts": [{"id": c.pk, "name": c.name} for c in interaction.contacts.all()],
        "recorded_by": _person(interaction.recorded_by),
        "follow_ups": [
            {
                "id": f.pk,
                "title": f.title,
                "owner": _person(f.owner),
                "due_on": f.due_on,
                "done_at": f.done_at,
                "overdue": f.done_at is None and f.due_on < today,
            }
            for f in interaction.follow_ups.all()
        ],
    }


# The directory --------------------------------------------------------------------------------------


@router.get("/programmes/{slug}/stakeholders", response={200: list[StakeholderOut], **ERRORS})
@paginated
def stakeholder_list(request: HttpRequest, slug: str, filters: Query[StakeholderFilters]) -> list[dict[str, Any]]:
    """The programme's stakeholders by name, filtered as on the directory page (no contact people here)."""
    programme = _programme(request, slug)
    found = sel.directory(
        programme=programme,
        filters=sel.DirectoryFilters(
            kind=filters.kind or "",
            country=filters.country,
            city=filters.city,
            last_contact=filters.last_contact or "",
            open_follow_ups=filters.open_follow_ups,
            tag=filters.tag.lower(),
        ),
    )
    for stakeholder in found:
        stakeholder.programme = programme  # one programme for all: no query per row
    return [_stakeholder_out(s) for s in found]


@router.post("/programmes/{slug}/stakeholders", response={201: StakeholderOut, **ERRORS})
def stakeholder_create(request: HttpRequest, slug: str, payload: StakeholderIn) -> Status[dict[str, Any]]:
    """Add an organisation; one with the same name and country already listed is a 409 `exists`."""
    programme = _programme(request, slug)
    created = _write(
        lambda: services.stakeholder_create(programme=programme, actor=request.user, data=payload.model_dump())
    )
    return Status(201, _stakeholder_out(_annotated(created), with_contacts=True))


@router.get("/stakeholders/{stakeholder_id}", response={200: StakeholderOut, **ERRORS})
def stakeholder_detail(request: HttpRequest, stakeholder_id: int = IdPath) -> dict[str, Any]:
    """One stakeholder with its contact people (name, role, email, phone and the consent recorded)."""
    return _stakeholder_out(_annotated(_stakeholder(request, stakeholder_id)), with_contacts=True)


@router.patch("/stakeholders/{stakeholder_id}", response={200: StakeholderOut, **ERRORS})
def stakeholder_update(request: HttpRequest, payload: StakeholderPatch, stakeholder_id: int = IdPath) -> dict:
    """Change fields of the organisation; fields left out keep their value."""
    stakeholder = _stakeholder(request, stakeholder_id)
    fields = payload.model_dump(exclude_unset=True)
    for name, value in fields.items():
        if value is None:
            raise _invalid(name, _("This field cannot be null."))
    updated = _write(lambda: services.stakeholder_update(stakeholder=stakeholder, actor=request.user, data=fields))
    return _stakeholder_out(_annotated(updated), with_contacts=True)


# The relationship log -------------------------------------------------------------------------------


@router.get("/stakeholders/{stakeholder_id}/interactions", response={200: list[InteractionOut], **ERRORS})
@paginated
def interaction_list(request: HttpRequest, stakeholder_id: int = IdPath) -> Mapped:
    """The stakeholder's interactions, newest first, each with who took part and the follow-ups it gave."""
    stakeholder = _stakeholder(request, stakeholder_id)
    qs = (
        Interaction.objects.filter(stakeholder=stakeholder)
        .select_related("recorded_by")
        .prefetch_related("staff", "contacts", "follow_ups__owner")
        .order_by("-happened_on", "-id")
    )
    return Mapped(qs, _interaction_out)


@router.post("/stakeholders/{stakeholder_id}/interactions", response={201: InteractionOut, **ERRORS})
def interaction_create(request: HttpRequest, payload: InteractionIn, stakeholder_id: int = IdPath) -> Status[dict]:
    """Record an interaction and the follow-ups it gave, all or nothing."""
    stakeholder = _stakeholder(request, stakeholder_id)
    people = {u.pk: u for u in sel.programme_people(programme=stakeholder.programme)}
    staff_ids = set(payload.staff) | {f.owner for f in payload.follow_ups}
    if set(payload.staff) - set(people):
        raise _invalid("staff", _("Only the programme's organisers and staff can be listed."))
    if staff_ids - set(people):
        raise _invalid("follow_ups", _("The owner must be one of the programme's organisers or staff."))
    contacts = {c.pk: c for c in stakeholder.contacts.filter(pk__in=payload.contacts)}
    if set(payload.contacts) - set(contacts):
        raise _invalid("contacts", _("No contact person of this organisation has this id."))
    follow_ups = [{"title": f.title, "owner": people[f.owner], "due_on": f.due_on} for f in payload.follow_ups]
    interaction = _write(
        lambda: services.interaction_record(
            stakeholder=stakeholder,
            actor=request.user,
            kind=payload.kind,
            happened_on=payload.happened_on,
            notes=payload.notes,
            staff=[people[pk] for pk in dict.fromkeys(payload.staff)],
            contacts=[contacts[pk] for pk in dict.fromkeys(payload.contacts)],
            follow_ups=follow_ups,
        )
    )
    saved = (
        Interaction.objects.select_related("recorded_by")
        .prefetch_related("staff", "contacts", "follow_ups__owner")
        .get(pk=interaction.pk)
    )
    return Status(201, _interaction_out(saved))
