"""Programmes: creating and changing them, with their partner list (organisers only; callers check)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from events.exceptions import EventsError
from events.models import Organisation, Programme, ProgrammePartner


def _partners(programme: Programme, partners: list[dict[str, Any]]) -> None:
    ids = [p["organisation"] for p in partners]
    if len(set(ids)) != len(ids):
        raise EventsError(_("List each partner organisation once."), code="duplicate_partner", status=422)
    known = set(Organisation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in known]
    if missing:
        raise EventsError(
            _("No organisation with id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            code="unknown_organisation",
            status=422,
        )
    programme.partnerships.all().delete()
    ProgrammePartner.objects.bulk_create(
        ProgrammePartner(programme=programme, organisation_id=p["organisation"], country=p["country"], role=p["role"])
        for p in partners
    )


@transaction.atomic
def programme_create(*, partners: list[dict[str, Any]] | None = None, **fields: Any) -> Programme:
    """Create a programme with its partners: [{"organisation": id, "country": "LT", "role": "lead"}, …]."""
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    _partners(programme, partners or [])
    return programme


def programme_update(*, programme: Programme, partners: list[dict[str, Any]] | None = None, **fields: Any) -> Programme:
    """Change a programme; `partners`, when given, replaces its partner list."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        for name, value in fields.items():
            setattr(programme, name, value)
        programme.full_clean()
        programme.save()
        if partners is not None:
            _partners(programme, partners)
    return programme
