"""Minutes of sessions and bilateral meetings: the one module that writes them.

Organisers assign a rapporteur (which creates the minutes as a draft) and may change anything;
the rapporteur writes the notes and decisions, in any of the site's languages with optional
translations into the others, and publishes them. Drafts are read by the rapporteur and
organisers only; published minutes by the participants too (events/programme_selectors.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.exceptions import EventsError, PermissionDenied
from events.models import Minutes, Session, User
from events.programme_models import MINUTES_LANGUAGES
from events.selectors import is_organiser

TEXT_FIELDS = frozenset({"language", "notes", "decisions", "translations", "status"})
ORGANISER_FIELDS = TEXT_FIELDS | {"rapporteur"}


def _check_translations(language: str, translations: dict[str, Any]) -> None:
    for code in translations:
        if code not in MINUTES_LANGUAGES or code == language:
            raise EventsError(
                _("Translations are into the other languages: %(codes)s.")
                % {"codes": ", ".join(c for c in MINUTES_LANGUAGES if c != language)},
                code="invalid_translation",
                status=422,
            )


def minutes_save(
    *, actor: Any, fields: dict[str, Any], session: Session | None = None, meeting: Any = None
) -> tuple[Minutes, bool]:
    """Create or change the minutes of one session or bilateral meeting. Returns (minutes, created)."""
    if (session is None) == (meeting is None):
        raise ValueError("minutes belong to one session or one meeting")
    unknown = set(fields) - ORGANISER_FIELDS
    if unknown:
        raise ValueError(f"not minutes fields: {sorted(unknown)}")
    organiser = is_organiser(actor)
    with transaction.atomic():
        target = {"session": session} if session is not None else {"meeting": meeting}
        minutes = Minutes.objects.select_for_update().filter(**target).first()
        if minutes is None:
            if not organiser:
                raise PermissionDenied(_("Only organisers assign a rapporteur."))
            minutes, created = Minutes(**target), True
        else:
            created = False
            if not organiser:
                if minutes.rapporteur_id is None or minutes.rapporteur_id != actor.pk:
                    raise PermissionDenied(_("Only the rapporteur and organisers write these minutes."))
                if "rapporteur" in fields:
                    raise PermissionDenied(_("Only organisers assign a rapporteur."))
        if "rapporteur" in fields and fields["rapporteur"] is not None and not isinstance(fields["rapporteur"], User):
            raise ValueError("rapporteur must be a User")
        for name, value in fields.items():
            setattr(minutes, name, value)
        _check_translations(minutes.language, minutes.translations)
        if fields.get("status") == Minutes.Status.PUBLISHED and minutes.published_at is None:
            minutes.published_at = timezone.now()
        elif fields.get("status") == Minutes.Status.DRAFT:
            minutes.published_at = None
        if minutes.status == Minutes.Status.PUBLISHED and not (minutes.notes.strip() or minutes.decisions.strip()):
            raise EventsError(_("Write the notes or decisions before publishing."), code="empty_minutes", status=422)
        minutes.updated_by = actor
        minutes.full_clean()
        minutes.save()
    return minutes, created
