"""Writes for a programme's stakeholders: the only module that creates or changes them (issue 13).

Every function checks that the actor is an organiser or programme staff (stakeholder_selectors), runs
in one transaction, validates with the models' own validators, and raises `EventsError` with a
stable code for anything a user can get wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.csv_rows import RowError, is_country_code
from events.exceptions import EventsError, PermissionDenied
from events.models import (
    FollowUp,
    Interaction,
    Programme,
    QuestionnaireInvitation,
    Stakeholder,
    StakeholderContact,
    User,
)
from events.stakeholder_csv import StakeholderRow, read_stakeholder_rows
from events.stakeholder_selectors import may_see_stakeholders
from events.text import text_problem

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
STAKEHOLDER_FIELDS = ("name", "kind", "country", "city", "website", "tags")
CONTACT_FIELDS = ("name", "role", "email", "phone", "consent_basis", "consent_given_on")
# What stands in a note where a removed contact's name was.
REMOVED_NAME = "[…]"


def _check(actor: Any, programme: Programme) -> None:
    if not may_see_stakeholders(user=actor, programme=programme):
        raise PermissionDenied(_("Only the programme's organisers and staff manage its stakeholders."))


def _invalid(exc: ValidationError) -> EventsError:
    messages = []
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for name, errors in by_field.items():
        for message in errors:
            messages.append(f"{name}: {message}" if name and name != "__all__" else message)
    error = EventsError(" ".join(messages), code="invalid", status=422)
    # The messages by field, for the API's `errors` (events/stakeholder_api.py).
    error.fields = {name: [str(m) for m in errors] for name, errors in by_field.items()}  # type: ignore[attr-defined]
    return error


def _exists() -> EventsError:
    return EventsError(_("This organisation is already in the directory."), code="exists", status=409)


def parse_tags(value: str | list[str]) -> list[str]:
    """ "ICT, curriculum" → ["ict", "curriculum"]: lower case, each once, in the order given."""
    items = value.split(",") if isinstance(value, str) else value
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH or text_problem(tag) is not None:
            raise EventsError(_("A tag is at most 40 plain characters."), code="invalid_tag", status=422)
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise EventsError(_("At most 20 tags."), code="too_many_tags", status=422)
    return tags


def _fill(stakeholder: Stakeholder, data: dict[str, Any]) -> Stakeholder:
    """Set the given fields (cleaned the same way for a new and an edited organisation) and validate."""
    if "country" in data:
        country = str(data.get("country") or "").strip().upper()
        if not is_country_code(country):
            raise EventsError(_("The country is a two-letter ISO code, such as IQ or LT."), code="country", status=422)
        stakeholder.country = country
    for name in ("name", "city", "website"):
        if name in data:
            setattr(stakeholder, name, str(data.get(name) or "").strip())
    if "kind" in data:
        stakeholder.kind = data.get("kind") or ""
    if "tags" in data:
        stakeholder.tags = parse_tags(data.get("tags") or "")
    try:
        # The one-name-per-country rule is checked by the callers, with its own code.
        stakeholder.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return stakeholder


def _stakeholder_from(programme: Programme, row: StakeholderRow | dict[str, Any]) -> Stakeholder:
    data = row if isinstance(row, dict) else row.__dict__
    return _fill(Stakeholder(programme=programme), {name: data.get(name, "") for name in STAKEHOLDER_FIELDS})


def _listed_already(stakeholder: Stakeholder) -> bool:
    """Another organisation of the programme has this name (in any case) in this country."""
    duplicates = stakeholder.programme.stakeholders.filter(name__iexact=stakeholder.name, country=stakeholder.country)
    if stakeholder.pk is not None:
        duplicates = duplicates.exclude(pk=stakeholder.pk)
    return duplicates.exists()


def _save_unique(stakeholder: Stakeholder, **kwargs: Any) -> None:
    """Save, turning the database's one-name-per-country constraint into the "already listed" error.

    The check before it answers the usual case; the constraint answers two requests that passed the
    check at the same moment (on PostgreSQL the second insert waits for the first and then fails),
    which was a 500.
    """
    if _listed_already(stakeholder):
        raise _exists()
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives the refused insert
            stakeholder.save(**kwargs)
    except IntegrityError as exc:
        raise _exists() from exc


def stakeholder_create(*, programme: Programme, actor: Any, data: dict[str, Any]) -> Stakeholder:
    """Add one organisation to the programme's directory."""
    _check(actor, programme)
    stakeholder = _stakeholder_from(programme, data)
    with transaction.atomic():
        _save_unique(stakeholder)
    return stakeholder


def stakeholder_update(*, stakeholder: Stakeholder, actor: Any, data: dict[str, Any]) -> Stakeholder:
    """Change an organisation's name, type, country, city, website or tags (fields left out keep their value)."""
    with transaction.atomic():
        locked = Stakeholder.objects.select_for_update().select_related("programme").get(pk=stakeholder.pk)
        _check(actor, locked.programme)
        _fill(locked, {k: v for k, v in data.items() if k in STAKEHOLDER_FIELDS})
        _save_unique(locked)
    return locked


def stakeholder_delete(*, stakeholder: Stakeholder, actor: Any) -> None:
    """Remove an organisation with its contacts, interactions, follow-ups (and questionnaire links)."""
    with transaction.atomic():
        _check(actor, stakeholder.programme)
        Stakeholder.objects.filter(pk=stakeholder.pk).delete()


def _contact_check(contact: StakeholderContact) -> None:
    if not contact.consent_basis or contact.consent_given_on is None:
        raise EventsError(
            _("Record how and when the person agreed to be kept as a contact."), code="consent_required", status=422
        )
    if contact.consent_given_on > timezone.localdate():
        raise EventsError(_("The consent date cannot be in the future."), code="consent_future", status=422)
    try:
        contact.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc


def contact_add(
    *,
    stakeholder: Stakeholder,
    actor: Any,
    name: str,
    consent_basis: str,
    consent_given_on: date,
    role: str = "",
    email: str = "",
    phone: str = "",
    user: User | None = None,
) -> StakeholderContact:
    """Record a contact person; refused without the basis and date of their consent."""
    with transaction.atomic():
        _check(actor, stakeholder.programme)
        contact = StakeholderContact(
            stakeholder=stakeholder,
            user=user,
            name=(name or "").strip(),
            role=(role or "").strip(),
            email=(email or "").strip(),
            phone=(phone or "").strip(),
            consent_basis=consent_basis,
            consent_given_on=consent_given_on,
            consent_recorded_by=actor,
        )
        _contact_check(contact)
        contact.save()
    return contact


def contact_update(*, contact: StakeholderContact, actor: Any, data: dict[str, Any]) -> StakeholderContact:
    """Correct a contact's name, role, email, phone or consent record (fields left out keep their value)."""
    with transaction.atomic():
        locked = StakeholderContact.objects.select_for_update().select_related("stakeholder__programme")
        locked = locked.get(pk=contact.pk)
        _check(actor, locked.stakeholder.programme)
        consent_before = (locked.consent_basis, locked.consent_given_on)
        for name in CONTACT_FIELDS:
            if name in data:
                value = data[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if (locked.consent_basis, locked.consent_given_on) != consent_before:
            locked.consent_recorded_by = actor  # who recorded the consent as it now stands
        _contact_check(locked)
        locked.save()
    return locked


def contact_remove(*, contact: StakeholderContact, actor: Any) -> None:
    """Take a person out of the directory and erase what it held of them.

    The contact row goes (and with it their place on interactions); their name leaves the stakeholder's
    interaction notes, and questionnaire links sent to them keep no address.
    """
    with transaction.atomic():
        locked = StakeholderContact.objects.select_for_update().select_related("stakeholder__programme")
        locked = locked.filter(pk=contact.pk).first()
        if locked is None:
            return  # removed already: nothing left to erase
        _check(actor, locked.stakeholder.programme)
        name = locked.name.strip()
        if len(name) >= 3:  # a shorter "name" would cut pieces out of ordinary words
            pattern = re.compile(re.escape(name), re.IGNORECASE)
            for interaction in Interaction.objects.filter(stakeholder_id=locked.stakeholder_id, notes__icontains=name):
                interaction.notes = pattern.sub(REMOVED_NAME, interaction.notes)
                interaction.save(update_fields=["notes"])
        QuestionnaireInvitation.objects.filter(contact=locked).update(email="")
        locked.delete()


def _interaction_people(
    stakeholder: Stakeholder, staff: list[User] | None, contacts: list[StakeholderContact] | None
) -> None:
    programme = stakeholder.programme
    if staff and any(not may_see_stakeholders(user=u, programme=programme) for u in staff):
        raise EventsError(_("Only the programme's organisers and staff can be listed."), code="staff", status=422)
    if contacts and any(c.stakeholder_id != stakeholder.pk for c in contacts):
        raise EventsError(_("A contact of another organisation was listed."), code="contact", status=422)


def interaction_record(
    *,
    stakeholder: Stakeholder,
    actor: Any,
    kind: str,
    happened_on: date,
    notes: str = "",
    staff: list[User] | None = None,
    contacts: list[StakeholderContact] | None = None,
    follow_ups: list[dict[str, Any]] | None = None,
) -> Interaction:
    """Log a meeting, call, visit, email or event attended, with who took part, and the follow-ups it
    gave (each {"title", "owner", "due_on"}): all or nothing."""
    with transaction.atomic():
        _check(actor, stakeholder.programme)
        staff, contacts = list(staff or []), list(contacts or [])
        _interaction_people(stakeholder, staff, contacts)
        interaction = Interaction(
            stakeholder=stakeholder, kind=kind, happened_on=happened_on, notes=(notes or "").strip(), recorded_by=actor
        )
        try:
            interaction.full_clean()
        except ValidationError as exc:
            raise _invalid(exc) from exc
        interaction.save()
        interaction.staff.set(staff)
        interaction.contacts.set(contacts)
        for item in follow_ups or []:
            follow_up_add(stakeholder=stakeholder, actor=actor, interaction=interaction, **item)
    return interaction


def interaction_update(
    *,
    interaction: Interaction,
    actor: Any,
    kind: str | None = None,
    happened_on: date | None = None,
    notes: str | None = None,
    staff: list[User] | None = None,
    contacts: list[StakeholderContact] | None = None,
) -> Interaction:
    """Correct an interaction; None leaves a field as it is (an empty list empties who took part)."""
    with transaction.atomic():
        locked = Interaction.objects.select_for_update().select_related("stakeholder__programme").get(pk=interaction.pk)
        _check(actor, locked.stakeholder.programme)
        _interaction_people(locked.stakeholder, staff, contacts)
        if kind is not None:
            locked.kind = kind
        if happened_on is not None:
            locked.happened_on = happened_on
        if notes is not None:
            locked.notes = notes.strip()
        try:
            locked.full_clean()
        except ValidationError as exc:
            raise _invalid(exc) from exc
        locked.save()
        if staff is not None:
            locked.staff.set(staff)
        if contacts is not None:
            locked.contacts.set(contacts)
    return locked


def interaction_delete(*, interaction: Interaction, actor: Any) -> None:
    """Delete an interaction from the log; its follow-ups stay, no longer tied to it."""
    with transaction.atomic():
        _check(actor, interaction.stakeholder.programme)
        Interaction.objects.filter(pk=interaction.pk).delete()


def _follow_up_check(follow_up: FollowUp, stakeholder: Stakeholder) -> None:
    if follow_up.owner is not None and not may_see_stakeholders(user=follow_up.owner, programme=stakeholder.programme):
        raise EventsError(_("The owner must be one of the programme's organisers or staff."), code="owner", status=422)
    if follow_up.interaction is not None and follow_up.interaction.stakeholder_id != stakeholder.pk:
        raise EventsError(_("That interaction is of another organisation."), code="interaction", status=422)
    try:
        follow_up.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc


def follow_up_add(
    *,
    stakeholder: Stakeholder,
    actor: Any,
    title: str,
    owner: User,
    due_on: date,
    interaction: Interaction | None = None,
) -> FollowUp:
    """Give someone of the programme something to do about a stakeholder, by a date."""
    with transaction.atomic():
        _check(actor, stakeholder.programme)
        if owner is None:
            raise EventsError(_("Choose who will do it."), code="owner", status=422)
        follow_up = FollowUp(
            stakeholder=stakeholder, interaction=interaction, title=(title or "").strip(), owner=owner, due_on=due_on
        )
        _follow_up_check(follow_up, stakeholder)
        follow_up.save()
    return follow_up


def follow_up_update(
    *, follow_up: FollowUp, actor: Any, title: str | None = None, owner: User | None = None, due_on: date | None = None
) -> FollowUp:
    """Change what to do, who does it or by when (None leaves a field as it is)."""
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().select_related("stakeholder__programme").get(pk=follow_up.pk)
        _check(actor, locked.stakeholder.programme)
        if title is not None:
            locked.title = title.strip()
        if owner is not None:
            locked.owner = owner
        if due_on is not None:
            locked.due_on = due_on
        _follow_up_check(locked, locked.stakeholder)
        locked.save()
    return locked


def follow_up_done(*, follow_up: FollowUp, actor: Any) -> FollowUp:
    """Mark a follow-up done (once: a second call changes nothing)."""
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().select_related("stakeholder__programme").get(pk=follow_up.pk)
        _check(actor, locked.stakeholder.programme)
        if locked.done_at is None:
            locked.done_at = timezone.now()
            locked.save(update_fields=["done_at"])
    return locked


def follow_up_reopen(*, follow_up: FollowUp, actor: Any) -> FollowUp:
    """Open a done follow-up again (an open one stays as it is)."""
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().select_related("stakeholder__programme").get(pk=follow_up.pk)
        _check(actor, locked.stakeholder.programme)
        if locked.done_at is not None:
            locked.done_at = None
            locked.save(update_fields=["done_at"])
    return locked


@dataclass
class StakeholderImport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def stakeholders_import(*, programme: Programme, actor: Any, data: bytes) -> StakeholderImport:
    """Import a CSV of organisations: every row checked first; any error and nothing is written."""
    _check(actor, programme)
    rows, errors = read_stakeholder_rows(data)
    report = StakeholderImport(errors=list(errors))
    existing = {(n.casefold(), c) for n, c in programme.stakeholders.values_list("name", "country")}
    seen: dict[tuple[str, str], int] = {}
    built: list[Stakeholder] = []
    for row in rows:
        try:
            stakeholder = _stakeholder_from(programme, row)
        except EventsError as exc:
            report.errors.append(RowError(row.line, exc.code, exc.message))
            continue
        key = (stakeholder.name.casefold(), stakeholder.country)
        if key in existing:
            report.errors.append(RowError(row.line, "exists", _("This organisation is already in the directory.")))
        elif key in seen:
            message = _("The same organisation as line %(line)s.") % {"line": seen[key]}
            report.errors.append(RowError(row.line, "duplicate", message))
        else:
            seen[key] = row.line
            built.append(stakeholder)
    if report.errors:
        report.errors.sort(key=lambda e: e.line)
        return report
    try:
        with transaction.atomic():
            Stakeholder.objects.bulk_create(built)
    except IntegrityError:
        # Someone added one of these organisations while the file was being checked.
        report.errors.append(RowError(0, "exists", _("One of these organisations was just added by someone else.")))
        return report
    report.created = len(built)
    return report
