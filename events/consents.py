"""Consents: given only by the person, signed in; each is a row with the text they saw; withdrawing keeps it.

This module is the only writer of `Consent` rows and of the `Registration.consent_*` flags that
mirror them (the door and the employer boards read the flags without a join). Every caller (the
registration form after the address is confirmed, the profile page, the privacy page, the API)
goes through `consent_set`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.exceptions import PermissionDenied
from events.models import Consent, Event, Registration, User


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: Promise


# The exact words a person agrees to. Changing a text means a new version: rows keep the version
# that was shown, so the history says what each person said yes to.
CONSENT_TEXTS: dict[str, ConsentText] = {
    Consent.Purpose.SHARE_PROFILE: ConsentText(
        "share_profile/2026-12",
        _(
            "Show my profile and CV to the employers at this event who have been approved by the organisers, "
            "while I am registered. I can withdraw this at any time on my privacy page."
        ),
    ),
    Consent.Purpose.ATTENDEE_LIST: ConsentText(
        "attendee_list/2026-12",
        _("Show my name on this event's public attendee list. I can withdraw this at any time."),
    ),
}

# Which registration flag mirrors each purpose.
FLAGS = {
    Consent.Purpose.SHARE_PROFILE: "consent_share_profile",
    Consent.Purpose.ATTENDEE_LIST: "consent_attendee_list",
}


def current_version(purpose: str) -> str:
    return CONSENT_TEXTS[purpose].version


def _check_person(user: Any, actor: Any) -> None:
    # Nobody gives or withdraws a consent for someone else: not an organiser, not an API client of
    # another account. The caller passes who is acting; it must be the person.
    if actor is None or getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(
            _("Only the person themself can give or withdraw their consent."), code="consent_owner_only"
        )


def consent_set(
    *,
    user: User,
    actor: Any,
    event: Event,
    purpose: str,
    given: bool,
    source: str,
    client: str = "",
    text_version: str | None = None,
) -> bool:
    """Give or withdraw one consent of `user` at `event`. Returns whether anything changed."""
    _check_person(user, actor)
    if purpose not in FLAGS:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    with transaction.atomic():
        active = (
            Consent.objects.select_for_update()
            .filter(user=user, event=event, purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        changed = False
        if given and active is None:
            Consent.objects.create(
                user=user,
                event=event,
                purpose=purpose,
                text_version=text_version or current_version(purpose),
                source=source,
                client=client[:200],
            )
            changed = True
        elif not given and active is not None:
            active.withdrawn_at = timezone.now()
            active.save(update_fields=["withdrawn_at"])
            changed = True
        flag = FLAGS[purpose]
        # The flag follows the row even when the row was already right (a registration made later
        # than the consent, or a flag an older version left behind).
        regs = Registration.objects.filter(user=user, event=event).exclude(**{flag: given})
        for registration in regs.select_for_update():
            setattr(registration, flag, given)
            registration.save(update_fields=[flag, "updated_at"])
            changed = True
    return changed


def consent_withdraw(*, user: User, actor: Any, event: Event, purpose: str, source: str, client: str = "") -> bool:
    """Withdraw one consent (the row stays, dated)."""
    return consent_set(user=user, actor=actor, event=event, purpose=purpose, given=False, source=source, client=client)


def consents_apply(
    *, user: User, actor: Any, event: Event, share_profile: bool, attendee_list: bool, source: str, client: str = ""
) -> None:
    """The person, signed in, answered a form's consent boxes: both answers take effect at once."""
    answers = ((Consent.Purpose.SHARE_PROFILE, share_profile), (Consent.Purpose.ATTENDEE_LIST, attendee_list))
    for purpose, given in answers:
        consent_set(user=user, actor=actor, event=event, purpose=purpose, given=given, source=source, client=client)


def consents_offered(*, share_profile: bool, attendee_list: bool) -> dict[str, str]:
    """What a form without a signed-in session records as pending: purpose -> text version shown."""
    offered = {}
    if share_profile:
        offered[Consent.Purpose.SHARE_PROFILE.value] = current_version(Consent.Purpose.SHARE_PROFILE)
    if attendee_list:
        offered[Consent.Purpose.ATTENDEE_LIST.value] = current_version(Consent.Purpose.ATTENDEE_LIST)
    return offered


def consents_confirm_pending(*, registration: Registration, client: str = "") -> list[str]:
    """The person confirmed their address (they opened the emailed link): what they ticked takes effect."""
    pending = dict(registration.pending_consents or {})
    if not pending:
        return []
    done = []
    for purpose, version in pending.items():
        if purpose in FLAGS:
            consent_set(
                user=registration.user,
                actor=registration.user,
                event=registration.event,
                purpose=purpose,
                given=True,
                source=Consent.Source.CONFIRMATION,
                client=client,
                text_version=str(version)[:40],
            )
            done.append(purpose)
    Registration.objects.filter(pk=registration.pk).update(pending_consents={})
    registration.pending_consents = {}
    return done


def consent_history(*, user: User) -> list[Consent]:
    """Every consent the person gave, newest first, with its event."""
    return list(Consent.objects.filter(user=user).select_related("event").order_by("-given_at", "-id"))
