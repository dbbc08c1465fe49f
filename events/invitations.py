"""Organisers invite officials, speakers and other guests by email, many at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from events import services
from events.exceptions import AlreadyRegistered
from events.models import Event, Organisation, Registration

# Who is invited rather than registering on their own.
INVITABLE_ROLES = (Registration.Role.OFFICIAL, Registration.Role.SPEAKER, Registration.Role.EMPLOYER)
MAX_INVITEES = 500


@dataclass(frozen=True)
class Invitee:
    email: str
    full_name: str


@dataclass
class InvitationReport:
    invited: list[Registration] = field(default_factory=list)
    # (email, reason) of people left out, e.g. already registered.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def parse_invitees(text: str) -> tuple[list[Invitee], list[str]]:
    """One person a line: "Name <email>", "email, Name", "Name, email" or just "email".

    Returns the people and a message per unreadable line; a repeated email is read once.
    """
    invitees: list[Invitee] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "<" in line:
            name, email = parseaddr(line)
        else:
            parts = [p.strip() for p in re.split(r"[,;\t]", line) if p.strip()]
            email = next((p for p in parts if "@" in p), "")
            name = " ".join(p for p in parts if p != email)
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: no valid email address in “%(text)s”.") % {"line": number, "text": line[:80]}
            )
            continue
        if email in seen:
            continue
        seen.add(email)
        invitees.append(Invitee(email=email, full_name=" ".join(name.split())[:200]))
    if len(invitees) > MAX_INVITEES:
        errors.append(_("At most %(max)s people at once.") % {"max": MAX_INVITEES})
    return invitees, errors


@transaction.atomic
def invitation_create_many(
    *,
    event: Event,
    invitees: list[Invitee],
    role: str,
    delegation: str = "",
    organisation: Organisation | None = None,
    language: str = "en",
) -> InvitationReport:
    """Invite each person (an email with accept/decline goes out after commit); skip those already registered."""
    report = InvitationReport()
    for invitee in invitees:
        try:
            registration = services.registration_create(
                event=event,
                email=invitee.email,
                full_name=invitee.full_name,
                role=role,
                organisation=organisation,
                language=language,
                delegation=delegation,
                invited=True,
                by_organiser=True,
            )
        except AlreadyRegistered:
            report.skipped.append((invitee.email, _("already registered or invited")))
            continue
        report.invited.append(registration)
    return report
