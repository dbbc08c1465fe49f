"""Writes for a programme's stakeholders: the only module that creates or changes them (issue 13).

Every function checks that the actor is an organiser or programme staff (stakeholder_selectors), runs
in one transaction, validates with the models' own validators, and raises `EventsError` with a
stable code for anything a user can get wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.csv_rows import RowError, is_country_code
from events.exceptions import EventsError, PermissionDenied
from events.models import FollowUp, Interaction, Programme, Stakeholder, StakeholderContact, User
from events.stakeholder_csv import StakeholderRow, read_stakeholder_rows
from events.stakeholder_selectors import may_see_stakeholders
from events.text import text_problem

MAX_TAGS = 20
MAX_TAG_LENGTH = 40


def _check(actor: Any, programme: Programme) -> None:
    if not may_see_stakeholders(user=actor, programme=programme):
        raise PermissionDenied(_("Only the programme's organisers and staff manage its stakeholders."))


def _invalid(exc: ValidationError) -> EventsError:
    messages = []
    for name, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]:
        for message in errors:
            messages.append(f"{name}: {message}" if name and name != "__all__" else message)
    return EventsError(" ".join(messages), code="invalid", status=422)


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


def _stakeholder_from(programme: Programme, row: StakeholderRow | dict[str, Any]) -> Stakeholder:
    data = row if isinstance(row, dict) else row.__dict__
    country = str(data.get("country", "")).strip().upper()
    if not is_country_code(country):
        raise EventsError(_("The country is a two-letter ISO code, such as IQ or LT."), code="country", status=422)
    stakeholder = Stakeholder(
        programme=programme,
        name=str(data.get("name", "")).strip(),
        kind=data.get("kind", ""),
        country=country,
        city=str(data.get("city", "")).strip(),
        website=str(data.get("website", "")).strip(),
        tags=parse_tags(data.get("tags", "")),
    )
    try:
        # The one-name-per-country rule is checked by the callers, with its own code.
        stakeholder.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return stakeholder


@transaction.atomic
def stakeholder_create(*, programme: Programme, actor: Any, data: dict[str, Any]) -> Stakeholder:
    """Add one organisation to the programme's directory."""
    _check(actor, programme)
    stakeholder = _stakeholder_from(programme, data)
    if programme.stakeholders.filter(name__iexact=stakeholder.name, country=stakeholder.country).exists():
        raise EventsError(_("This organisation is already in the directory."), code="exists", status=409)
    stakeholder.save()
    return stakeholder


@transaction.atomic
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
    _check(actor, stakeholder.programme)
    if not consent_basis or consent_given_on is None:
        raise EventsError(
            _("Record how and when the person agreed to be kept as a contact."), code="consent_required", status=422
        )
    if consent_given_on > timezone.localdate():
        raise EventsError(_("The consent date cannot be in the future."), code="consent_future", status=422)
    contact = StakeholderContact(
        stakeholder=stakeholder,
        user=user,
        name=name.strip(),
        role=role.strip(),
        email=email.strip(),
        phone=phone.strip(),
        consent_basis=consent_basis,
        consent_given_on=consent_given_on,
        consent_recorded_by=actor,
    )
    try:
        contact.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc
    contact.save()
    return contact


@transaction.atomic
def interaction_record(
    *,
    stakeholder: Stakeholder,
    actor: Any,
    kind: str,
    happened_on: date,
    notes: str = "",
    staff: list[User] | None = None,
    contacts: list[StakeholderContact] | None = None,
) -> Interaction:
    """Log a meeting, call, visit, email or event attended, with who took part."""
    programme = stakeholder.programme
    _check(actor, programme)
    staff = list(staff or [])
    contacts = list(contacts or [])
    if any(not may_see_stakeholders(user=u, programme=programme) for u in staff):
        raise EventsError(_("Only the programme's organisers and staff can be listed."), code="staff", status=422)
    if any(c.stakeholder_id != stakeholder.pk for c in contacts):
        raise EventsError(_("A contact of another organisation was listed."), code="contact", status=422)
    interaction = Interaction(
        stakeholder=stakeholder, kind=kind, happened_on=happened_on, notes=notes.strip(), recorded_by=actor
    )
    try:
        interaction.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc
    interaction.save()
    interaction.staff.set(staff)
    interaction.contacts.set(contacts)
    return interaction


@transaction.atomic
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
    _check(actor, stakeholder.programme)
    if not may_see_stakeholders(user=owner, programme=stakeholder.programme):
        raise EventsError(_("The owner must be one of the programme's organisers or staff."), code="owner", status=422)
    if interaction is not None and interaction.stakeholder_id != stakeholder.pk:
        raise EventsError(_("That interaction is of another organisation."), code="interaction", status=422)
    follow_up = FollowUp(
        stakeholder=stakeholder, interaction=interaction, title=title.strip(), owner=owner, due_on=due_on
    )
    try:
        follow_up.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, actor: Any) -> FollowUp:
    """Mark a follow-up done (once: a second call changes nothing)."""
    locked = FollowUp.objects.select_for_update().select_related("stakeholder__programme").get(pk=follow_up.pk)
    _check(actor, locked.stakeholder.programme)
    if locked.done_at is None:
        locked.done_at = timezone.now()
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
    with transaction.atomic():
        Stakeholder.objects.bulk_create(built)
    report.created = len(built)
    return report
