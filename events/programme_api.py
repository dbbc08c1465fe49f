"""JSON API of programmes, their action items and roadmap, and the minutes of sessions and meetings.

Who may do what (docs/dialogue.md): anyone reads programmes, public action items and the public
roadmap; organisers create and change programmes; organisers and the programme's rapporteurs create
and edit action items; granted members of an item's lead organisation move its status and add
progress notes; officials of the programme read officials-only items. Minutes: organisers assign a
rapporteur; the rapporteur and organisers write and read drafts; participants read published ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from config.auth import OPTIONAL_AUTH, ORGANISER_AUTH
from config.pagination import Mapped, paginated
from events import actions, minutes, programmes
from events import programme_selectors as sel
from events.exceptions import PermissionDenied
from events.models import ActionItem, Minutes, Organisation, Programme, Session, User
from events.programme_schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    ActionStatus,
    ActionUpdateIn,
    ActionUpdateOut,
    MinutesIn,
    MinutesOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
)
from events.schemas import _SLUG as SLUG_RE
from events.schemas import MAX_ID, Country, ErrorOut, line, optional_auth_openapi
from events.selectors import is_organiser

router = Router(tags=["programmes"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
IdPath = Path(..., ge=1, le=MAX_ID)
PUBLIC = optional_auth_openapi()


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("body", "payload", field), "msg": message, "type": "value_error"}])


def _programme(slug: str) -> Programme:
    programme = sel.programme_get(slug=slug) if SLUG_RE.fullmatch(slug) else None
    if programme is None:
        raise HttpError(404, _("No such programme."))
    return programme


def _programme_out(programme: Programme, user: Any) -> dict[str, Any]:
    return {
        "slug": programme.slug,
        "name": programme.name,
        "description": programme.description,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "languages": programme.languages,
        "partners": [
            {"organisation": sel.organisation_brief(p.organisation), "country": p.country, "role": p.role}
            for p in programme.partnerships.select_related("organisation").order_by("country", "organisation__name")
        ],
        "events": [e.slug for e in sel.programme_events(programme=programme, user=user)],
    }


# Programmes --------------------------------------------------------------------------------------


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
@paginated
def programme_list(request: HttpRequest) -> Mapped:
    return Mapped(sel.programme_list(), lambda p: _programme_out(p, request.user))


@router.post("/programmes", response={201: ProgrammeOut, **ERRORS}, auth=ORGANISER_AUTH)
def programme_create(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    fields = payload.model_dump()
    if sel.programme_get(slug=fields["slug"]) is not None:
        raise _invalid("slug", _("A programme with this slug exists already."))
    programme = programmes.programme_create(**fields)
    return Status(201, _programme_out(programme, request.user))


@router.get("/programmes/{slug}", response={200: ProgrammeOut, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
def programme_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _programme_out(_programme(slug), request.user)


@router.patch("/programmes/{slug}", response={200: ProgrammeOut, **ERRORS}, auth=ORGANISER_AUTH)
def programme_update(request: HttpRequest, slug: str, payload: ProgrammePatch) -> dict[str, Any]:
    programme = _programme(slug)
    fields = payload.model_dump(exclude_unset=True)
    for required in ("name", "languages", "partners"):
        if required in fields and fields[required] is None:
            raise _invalid(required, _("This field cannot be null."))
    starts, ends = fields.get("starts_on", programme.starts_on), fields.get("ends_on", programme.ends_on)
    if starts and ends and ends < starts:
        raise _invalid("ends_on", _("ends_on must not be before starts_on."))
    return _programme_out(programmes.programme_update(programme=programme, **fields), request.user)


# Action items ------------------------------------------------------------------------------------


class ActionFilters(Schema):
    country: Country = ""
    theme: line(100) = ""
    status: ActionStatus | None = None


def _resolve(programme: Programme | None, fields: dict[str, Any]) -> dict[str, Any]:
    """Replace the ids of a body with the rows they name; an unknown id is a 422 on its field."""
    if fields.get("lead_organisation") is not None:
        org = Organisation.objects.filter(pk=fields["lead_organisation"]).first()
        if org is None:
            raise _invalid("lead_organisation", _("No organisation with this id."))
        fields["lead_organisation"] = org
        if not fields.get("lead_country"):  # the lead organisation's country unless told otherwise
            fields["lead_country"] = org.country
    if fields.get("partners") is not None:
        ids = set(fields["partners"])
        orgs = list(Organisation.objects.filter(pk__in=ids))
        if len(orgs) != len(ids):
            raise _invalid("partners", _("No organisation with this id."))
        fields["partners"] = orgs
    elif "partners" in fields:
        raise _invalid("partners", _("This field cannot be null."))
    if fields.get("source_session") is not None:
        session = Session.objects.select_related("event").filter(pk=fields["source_session"]).first()
        if session is None:
            raise _invalid("source_session", _("No session with this id."))
        fields["source_session"] = session
    if fields.get("source_meeting") is not None:
        meeting = actions.source_meeting_get(fields["source_meeting"])
        if meeting is None:
            raise _invalid("source_meeting", _("No meeting with this id."))
        fields["source_meeting"] = meeting
    for required in ("title", "status", "visibility", "description", "theme", "lead_country", "dropped_reason"):
        if required in fields and fields[required] is None:
            raise _invalid(required, _("This field cannot be null."))
    return fields


def _visible_action(request: HttpRequest, action_id: int) -> ActionItem:
    item = sel.action_visible(user=request.user, pk=action_id)
    if item is None:
        raise HttpError(404, _("No such action item."))
    return item


def _action_out(item: ActionItem) -> dict[str, Any]:
    item = ActionItem.objects.select_related("programme", "lead_organisation").get(pk=item.pk)
    return sel.action_payload(item)


@router.get(
    "/programmes/{slug}/actions",
    response={200: list[ActionOut], **ERRORS},
    auth=OPTIONAL_AUTH,
    openapi_extra=PUBLIC,
)
@paginated
def action_list(request: HttpRequest, slug: str, filters: Query[ActionFilters]) -> Mapped:
    """The programme's action items this caller may see, soonest due first; filter by lead country, theme, status."""
    programme = _programme(slug)
    qs: QuerySet[ActionItem] = sel.actions_visible(user=request.user, programme=programme)
    if filters.country:
        qs = qs.filter(lead_country=filters.country)
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return Mapped(qs.order_by("due_date", "id"), sel.action_payload)


@router.post("/programmes/{slug}/actions", response={201: ActionOut, **ERRORS})
def action_create(request: HttpRequest, slug: str, payload: ActionIn) -> Status[dict[str, Any]]:
    programme = _programme(slug)
    if not sel.may_edit_actions(user=request.user, programme=programme):
        raise PermissionDenied(_("Only organisers and rapporteurs can add action items."))
    fields = payload.model_dump()
    comment = fields.pop("comment")
    item = actions.action_create(
        programme=programme, actor=request.user, fields=_resolve(programme, fields), comment=comment
    )
    return Status(201, _action_out(item))


@router.get("/actions/{action_id}", response={200: ActionOut, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
def action_detail(request: HttpRequest, action_id: int = IdPath) -> dict[str, Any]:
    return sel.action_payload(_visible_action(request, action_id))


@router.patch("/actions/{action_id}", response={200: ActionOut, **ERRORS})
def action_update(request: HttpRequest, payload: ActionPatch, action_id: int = IdPath) -> dict[str, Any]:
    item = _visible_action(request, action_id)
    fields = payload.model_dump(exclude_unset=True)
    comment = fields.pop("comment", "") or ""
    item, _entry = actions.action_update(
        item_id=item.pk, actor=request.user, fields=_resolve(item.programme, fields), comment=comment
    )
    return _action_out(item)


def _update_out(entry: Any) -> dict[str, Any]:
    author = entry.author
    return {
        "id": entry.pk,
        "author": None if author is None else {"id": author.pk, "name": author.get_full_name()},
        "created_at": entry.created_at,
        "changes": entry.changes,
        "comment": entry.comment,
    }


@router.get(
    "/actions/{action_id}/updates",
    response={200: list[ActionUpdateOut], **ERRORS},
    auth=OPTIONAL_AUTH,
    openapi_extra=PUBLIC,
)
@paginated
def action_update_list(request: HttpRequest, action_id: int = IdPath) -> Mapped:
    """The item's history, oldest first: who changed what when, and their notes."""
    return Mapped(sel.action_updates(item=_visible_action(request, action_id)), _update_out)


@router.post("/actions/{action_id}/updates", response={201: ActionUpdateOut, **ERRORS})
def action_update_add(request: HttpRequest, payload: ActionUpdateIn, action_id: int = IdPath) -> Status[dict]:
    """A progress note, optionally with a status change (the lead organisation's members, organisers, rapporteurs)."""
    item = _visible_action(request, action_id)
    _item, entry = actions.action_note(
        item_id=item.pk,
        actor=request.user,
        comment=payload.comment,
        status=payload.status,
        dropped_reason=payload.dropped_reason,
    )
    return Status(201, _update_out(entry))


class RoadmapFilters(ActionFilters):
    pass


@router.get("/programmes/{slug}/roadmap", response={200: dict, **ERRORS}, auth=OPTIONAL_AUTH, openapi_extra=PUBLIC)
def roadmap(request: HttpRequest, slug: str, filters: Query[RoadmapFilters]) -> dict[str, Any]:
    """`{"themes": [{"theme", "items", "counts"}], "counts", "overdue", "seqs", "stream"}`: also the snapshot of
    the roadmap stream this caller gets (`programme:<slug>:roadmap:officials` or `…:public`)."""
    return sel.roadmap(
        programme=_programme(slug),
        user=request.user,
        country=filters.country,
        theme=filters.theme,
        status=filters.status or "",
    )


# Minutes ---------------------------------------------------------------------------------------------


def _minutes_out(m: Minutes) -> dict[str, Any]:
    r = m.rapporteur
    return {
        "id": m.pk,
        "session": m.session_id,
        "meeting": m.meeting_id,
        "rapporteur": None if r is None else {"id": r.pk, "name": r.get_full_name()},
        "language": m.language,
        "notes": m.notes,
        "decisions": m.decisions,
        "translations": m.translations,
        "status": m.status,
        "published_at": m.published_at,
        "updated_at": m.updated_at,
    }


def _session(session_id: int) -> Session:
    session = Session.objects.select_related("event").filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, _("No such session."))
    return session


def _meeting(meeting_id: int) -> Any:
    meeting = sel.bilateral_meeting(pk=meeting_id)
    if meeting is None:
        raise HttpError(404, _("No such bilateral meeting."))
    return meeting


def _read_minutes(request: HttpRequest, found: Minutes | None, participant: bool) -> dict[str, Any]:
    if found is None or not sel.minutes_readable(user=request.user, minutes=found, participant=participant):
        raise HttpError(404, _("No minutes here yet."))
    return _minutes_out(found)


def _write_minutes(request: HttpRequest, payload: MinutesIn, **target: Any) -> Any:
    fields = payload.model_dump(exclude_unset=True)
    for required in ("language", "notes", "decisions", "translations", "status"):
        if required in fields and fields[required] is None:
            raise _invalid(required, _("This field cannot be null."))
    if "rapporteur" in fields and fields["rapporteur"] is not None:
        if not is_organiser(request.user):
            raise PermissionDenied(_("Only organisers assign a rapporteur."))
        person = User.objects.filter(pk=fields["rapporteur"], is_active=True).first()
        if person is None:
            raise _invalid("rapporteur", _("No person with this id."))
        fields["rapporteur"] = person
    saved, created = minutes.minutes_save(actor=request.user, fields=fields, **target)
    saved = Minutes.objects.select_related("rapporteur").get(pk=saved.pk)
    return Status(201 if created else 200, _minutes_out(saved))


@router.get("/sessions/{session_id}/minutes", response={200: MinutesOut, **ERRORS})
def session_minutes(request: HttpRequest, session_id: int = IdPath) -> dict[str, Any]:
    session = _session(session_id)
    found = Minutes.objects.select_related("rapporteur").filter(session=session).first()
    return _read_minutes(request, found, sel.session_participant(user=request.user, session=session))


@router.put("/sessions/{session_id}/minutes", response={200: MinutesOut, 201: MinutesOut, **ERRORS})
def session_minutes_put(request: HttpRequest, payload: MinutesIn, session_id: int = IdPath) -> Any:
    """Create (organisers: assign the rapporteur) or change the minutes; fields left out keep their value."""
    return _write_minutes(request, payload, session=_session(session_id))


@router.get("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS})
def meeting_minutes(request: HttpRequest, meeting_id: int = IdPath) -> dict[str, Any]:
    meeting = _meeting(meeting_id)
    found = Minutes.objects.select_related("rapporteur").filter(meeting=meeting).first()
    return _read_minutes(request, found, sel.meeting_participant(user=request.user, meeting=meeting))


@router.put("/meetings/{meeting_id}/minutes", response={200: MinutesOut, 201: MinutesOut, **ERRORS})
def meeting_minutes_put(request: HttpRequest, payload: MinutesIn, meeting_id: int = IdPath) -> Any:
    """As for a session's minutes, for a bilateral meeting."""
    return _write_minutes(request, payload, meeting=_meeting(meeting_id))
