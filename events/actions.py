"""Action items: the one module that creates and changes them.

Every caller goes through these functions: the API (create, PATCH, progress notes), the demo's
seed command and the admin. An item's status moves only along `TRANSITIONS`; anything else is
refused with `invalid_transition` (409), whoever asks. Dropping needs a reason
(`dropped_reason_required`, 422).

Who may do what (events/programme_selectors.py says who is who): organisers and the programme's
rapporteurs create items and change every field; granted members of the lead organisation move its
status and add progress notes, nothing else.

Each change is one transaction with the item's row locked; it writes one history entry (who, when,
field -> [old, new], comment) and, after the commit, `action.changed` (the whole item, enough to
render) on the roadmap streams that may see it, or `action.removed` on the public stream when the
item stops being public.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from events.exceptions import EventsError, InvalidTransition, PermissionDenied
from events.models import ActionItem, ActionItemUpdate, Organisation, Programme, Session
from events.programme_selectors import action_payload, is_lead, may_edit_actions, meeting_model
from realtime.groups import roadmap_stream
from realtime.publish import publish_on_commit

Status = ActionItem.Status

# What may follow what. Done and dropped are final: a roadmap that reopens what it closed reads as
# if nothing had been decided; a new item says it better.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.AGREED, Status.DROPPED}),
    Status.AGREED: frozenset({Status.IN_PROGRESS, Status.DROPPED}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.DROPPED}),
    Status.DONE: frozenset(),
    Status.DROPPED: frozenset(),
}
# An item is recorded as proposed, or as already agreed in the session that produced it.
INITIAL = frozenset({Status.PROPOSED, Status.AGREED})
# What the lead organisation's members may change.
LEAD_FIELDS = frozenset({"status", "dropped_reason"})
# Changes a calendar shows (they bump the revision, the iCalendar SEQUENCE).
CALENDAR_FIELDS = frozenset({"title", "due_date", "status", "lead_organisation"})
EDITABLE = frozenset(
    {
        "title",
        "description",
        "theme",
        "lead_country",
        "lead_organisation",
        "partners",
        "due_date",
        "visibility",
        "source_session",
        "source_meeting",
        "status",
        "dropped_reason",
    }
)


def transition_refusal(*, current: str, new: str) -> str | None:
    """Why an item with status `current` cannot take status `new`, or None when it can."""
    if new in TRANSITIONS.get(current, frozenset()):
        return None
    if current in (Status.DONE, Status.DROPPED):
        return _("This action item is closed; its status no longer changes.")
    return _("An action item moves from proposed to agreed, in progress and done, or is dropped.")


def _check_sources(programme: Programme, fields: dict[str, Any]) -> None:
    session = fields.get("source_session")
    if session is not None and session.event.programme_id != programme.pk:
        raise EventsError(_("The session is not part of this programme."), code="invalid_source", status=422)
    meeting = fields.get("source_meeting")
    if meeting is not None and (meeting.source != "bilateral" or meeting.event.programme_id != programme.pk):
        raise EventsError(
            _("The meeting is not a bilateral meeting of this programme."), code="invalid_source", status=422
        )


def _check_dropped(status: str, reason: str) -> None:
    if status == Status.DROPPED and not reason.strip():
        raise EventsError(_("Say why the action item is dropped."), code="dropped_reason_required", status=422)


def _value(name: str, value: Any) -> Any:
    """A field's value as the history records it (JSON)."""
    if name == "partners":
        return sorted(o.pk for o in value)
    if isinstance(value, Organisation | Session) or hasattr(value, "_meta"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def _current(item: ActionItem, name: str) -> Any:
    if name == "partners":
        return sorted(item.partners.values_list("pk", flat=True))
    if name in ("lead_organisation", "source_session", "source_meeting"):
        return getattr(item, f"{name}_id")
    return _value(name, getattr(item, name))


def _publish(item: ActionItem, *, was_public: bool) -> None:
    item = ActionItem.objects.select_related("programme", "lead_organisation").get(pk=item.pk)
    data = {"item": action_payload(item)}
    slug = item.programme.slug
    publish_on_commit(roadmap_stream(slug, "officials"), "action.changed", data)
    if item.visibility == ActionItem.Visibility.PUBLIC:
        publish_on_commit(roadmap_stream(slug, "public"), "action.changed", data)
    elif was_public:
        publish_on_commit(roadmap_stream(slug, "public"), "action.removed", {"id": item.pk})


def action_create(*, programme: Programme, actor: Any, fields: dict[str, Any], comment: str = "") -> ActionItem:
    """Record a new action item of `programme` (organisers and the programme's rapporteurs)."""
    if not may_edit_actions(user=actor, programme=programme):
        raise PermissionDenied(_("Only organisers and rapporteurs can add action items."))
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"not action item fields: {sorted(unknown)}")
    status = fields.get("status", Status.PROPOSED)
    if status not in INITIAL:
        raise EventsError(_("A new action item is proposed or agreed."), code="invalid_status", status=422)
    _check_sources(programme, fields)
    partners = fields.pop("partners", [])
    with transaction.atomic():
        item = ActionItem(programme=programme, created_by=actor, **fields)
        item.full_clean(exclude=["partners"])
        item.save()
        item.partners.set(partners)
        ActionItemUpdate.objects.create(
            item=item,
            author=actor,
            changes={name: [None, _current(item, name)] for name in sorted({*fields, "status", "partners"})},
            comment=comment,
        )
        _publish(item, was_public=False)
    return item


def action_update(
    *, item_id: int, actor: Any, fields: dict[str, Any], comment: str = ""
) -> tuple[ActionItem, ActionItemUpdate | None]:
    """Change an action item's fields (editors) or status (its lead too); one history entry with the comment.

    Returns the item and the history entry (None when nothing changed and there was no comment).
    """
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"not action item fields: {sorted(unknown)}")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().select_related("programme").get(pk=item_id)
        editor = may_edit_actions(user=actor, programme=item.programme)
        if not editor:
            if not is_lead(user=actor, item=item):
                raise PermissionDenied(_("Only organisers, rapporteurs and the lead organisation can change this."))
            if set(fields) - LEAD_FIELDS:
                raise PermissionDenied(_("The lead organisation changes the status and adds notes; nothing else."))
        changes = {}
        for name, value in fields.items():
            old, new = _current(item, name), _value(name, value)
            if old != new:
                changes[name] = [old, new]
        if "status" in changes:
            refusal = transition_refusal(current=item.status, new=fields["status"])
            if refusal:
                raise InvalidTransition(refusal)
        new_status = fields.get("status", item.status)
        _check_dropped(new_status, fields.get("dropped_reason", item.dropped_reason))
        if new_status != Status.DROPPED and "dropped_reason" in changes:
            changes.pop("dropped_reason")
            fields = {k: v for k, v in fields.items() if k != "dropped_reason"}
        _check_sources(item.programme, fields)
        if not changes and not comment:
            return item, None
        was_public = item.visibility == ActionItem.Visibility.PUBLIC
        for name, value in fields.items():
            if name != "partners" and name in changes:
                setattr(item, name, value)
        if CALENDAR_FIELDS & set(changes):
            item.revision += 1
        item.full_clean(exclude=["partners"])
        item.save()
        if "partners" in changes:
            item.partners.set(fields["partners"])
        entry = ActionItemUpdate.objects.create(item=item, author=actor, changes=changes, comment=comment)
        _publish(item, was_public=was_public)
    return item, entry


def action_note(
    *, item_id: int, actor: Any, comment: str, status: str | None = None, dropped_reason: str = ""
) -> tuple[ActionItem, ActionItemUpdate]:
    """A progress note, with or without a status change (the lead organisation, organisers, rapporteurs)."""
    if not comment.strip() and status is None:
        raise EventsError(_("Write a note or change the status."), code="empty_update", status=422)
    fields: dict[str, Any] = {}
    if status is not None:
        fields["status"] = status
    if dropped_reason:
        fields["dropped_reason"] = dropped_reason
    item, entry = action_update(item_id=item_id, actor=actor, fields=fields, comment=comment)
    if entry is None:  # a status already set, with no note: nothing to record
        raise EventsError(_("Nothing changed."), code="empty_update", status=422)
    return item, entry


def source_meeting_get(pk: int) -> Any | None:
    return meeting_model().objects.select_related("event").filter(pk=pk).first()
