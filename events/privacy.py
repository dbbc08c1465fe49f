"""Personal-data rights: erasure (by the person, an organiser, a command or retention) and what the privacy page reads.

The list of what we hold is events/personal_data.py, and what erasure does to each kind of row is
events/erasure_steps.py; this module runs them. Erasure anonymises rather than deletes: the account becomes a tombstone
(`erased-<id>@erased.invalid`, no name, no organisation, unusable password, inactive) that keeps the
person's registrations, tickets and attendance, so an event's totals and the skills-gap figures do
not move, while every name, email, note, message, CV and credential that pointed at them goes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.erasure_steps import Erasure, Terms
from events.exceptions import EventsError
from events.models import Consent, Event, Registration, User
from events.personal_data import active_entries

logger = logging.getLogger(__name__)

# Roles whose holders run events: like staff accounts, never erased by the retention sweep.
ORGANISING_ROLES = (Registration.Role.ORGANISER, Registration.Role.STAFF)


class EmailMismatch(EventsError):
    code = "email_mismatch"
    status = 422


class AlreadyErased(EventsError):
    code = "already_erased"
    status = 409


class StaffAccount(EventsError):
    code = "staff_account"
    status = 409


@dataclass
class ErasureReport:
    user_id: int
    # Entry label -> rows changed (a dry run: rows that would be looked at).
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


def person_erase(*, user: User, by: User | None) -> ErasureReport:
    """Anonymise one person everywhere in one transaction; files leave storage once it commits.

    `by` is who asked: the person, an organiser, or None for the retention sweep and commands.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            raise AlreadyErased(_("This account has already been erased."))
        erasure = Erasure(terms=Terms.of(user))
        report = ErasureReport(user_id=user.pk)
        for entry in active_entries():
            if entry.erase is not None:
                report.counts[entry.label] = entry.erase(user, erasure)
        files = list(erasure.files)
        # A rollback must not leave the rows pointing at files already gone.
        transaction.on_commit(lambda: _delete_files(files))
    logger.info("person %s erased by %s", user.pk, getattr(by, "pk", None) or "the platform")
    return report


def person_erase_preview(*, user: User) -> ErasureReport:
    """What an erasure would look at: the person's rows per kind (nothing is changed)."""
    report = ErasureReport(user_id=user.pk, dry_run=True)
    for entry in active_entries():
        count = entry.rows(user).count()
        if count:
            report.counts[entry.label] = count
    return report


def _delete_files(files: list[Any]) -> None:
    for file in files:
        try:
            file.storage.delete(file.name)
        except OSError:
            # The row no longer names the file; a leftover is found by its path (cv/<user id>/).
            logger.exception("could not delete %s after an erasure", file.name)


def erasure_request(*, user: User, confirm_email: str, by: User) -> ErasureReport:
    """The person erases their own account, confirming by typing its email address."""
    if user.erased_at is not None:
        raise AlreadyErased(_("This account has already been erased."))
    if (confirm_email or "").strip().casefold() != user.email.casefold():
        raise EmailMismatch(_("Type the email address of this account exactly to confirm."))
    if user.is_staff or user.is_superuser:
        # An organiser's account holds the keys to events: another organiser erases it in the admin.
        raise StaffAccount(_("Organiser accounts are erased by another organiser, in the admin."))
    return person_erase(user=user, by=by)


# --- Retention -------------------------------------------------------------------------------------


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def kept_until(event: Event) -> date:
    """The last day the event's attendees' personal data is kept (12 months after it ends by default)."""
    if event.personal_data_kept_until is not None:
        return event.personal_data_kept_until
    return _one_year_after(event.ends_at.astimezone(event.tzinfo).date())


def retention_due(*, today: date | None = None) -> QuerySet[User]:
    """People whose every event has passed its retention date; never staff, organisers or the erased.

    Someone with no registration at all is left alone: no event says how long to keep them.
    """
    today = today or timezone.localdate()
    kept = [
        event.pk
        for event in Event.objects.only("pk", "ends_at", "timezone", "personal_data_kept_until")
        if kept_until(event) >= today
    ]
    return (
        User.objects.filter(is_staff=False, is_superuser=False, erased_at__isnull=True, registrations__isnull=False)
        .exclude(registrations__event_id__in=kept)
        .exclude(registrations__role__in=ORGANISING_ROLES)
        .distinct()
        .order_by("pk")
    )


def retention_erase_due(*, today: date | None = None) -> list[int]:
    """Erase everyone `retention_due` lists, each in a transaction of their own. Returns their ids."""
    erased = []
    for user in retention_due(today=today):
        try:
            person_erase(user=user, by=None)
        except AlreadyErased:
            continue  # a second run of the sweep got there first
        except Exception:
            # One person's failure must not keep everyone after them past their date; tomorrow's
            # run tries again, and the log says who and why.
            logger.exception("retention: could not erase person %s", user.pk)
            continue
        erased.append(user.pk)
    return erased


# --- Reads for the privacy page --------------------------------------------------------------------


def consent_rows(*, user: User) -> list[Consent]:
    return list(Consent.objects.filter(user=user).select_related("event").order_by("-given_at", "-id"))


def cv_views(*, user: User, limit: int = 200) -> list[Any]:
    """Who opened the person's CV and when, newest first."""
    CvView = apps.get_model("matching", "CvView")
    return list(
        CvView.objects.filter(candidate=user).select_related("viewer", "organisation").order_by("-viewed_at")[:limit]
    )


def retention_dates(*, user: User) -> list[tuple[Event, date]]:
    """Each of the person's events with the day its attendees' data is kept until."""
    events = Event.objects.filter(registrations__user=user).distinct().order_by("starts_at")
    return [(event, kept_until(event)) for event in events]
