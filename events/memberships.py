"""Memberships of organisations: asked for, then granted or refused, never simply claimed.

This module owns a membership's transitions (one table below) and the one question everything that
shows an organisation's data asks: `membership_granted`. Naming an organisation at registration
only asks to join it; an organiser, an admin member of the organisation, or a verified email domain
grants it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.exceptions import InvalidTransition, PermissionDenied
from events.models import Membership, Organisation, Registration, User

Status = Membership.Status


class InvalidInvitation(InvalidTransition):
    """A forged, expired or stale invitation link, or an address that is not one."""

    code = "invalid_invitation"
    status = 400


# What may follow what. A refused or removed person may ask again (back to pending), and an
# organiser may grant or remove at any point.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.GRANTED, Status.REFUSED}),
    Status.GRANTED: frozenset({Status.REMOVED}),
    Status.REFUSED: frozenset({Status.PENDING, Status.GRANTED}),
    Status.REMOVED: frozenset({Status.PENDING, Status.GRANTED}),
}


def _is_organiser(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


# --- reads ---


def membership_granted(*, user: Any, organisation: Organisation | int | None) -> bool:
    """Whether `user` is a granted member of `organisation`: the gate of every organisation's data."""
    if organisation is None or user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Membership.objects.filter(user=user, organisation_id=org_id, status=Status.GRANTED).exists()


def granted_exists(*, user: str = "user_id", organisation: str = "organisation_id") -> Exists:
    """`membership_granted` as an expression over a query's own rows, for a filter or an annotation:
    `user` and `organisation` name the row's fields (e.g. a registration's "user_id" and "organisation_id")."""
    return Exists(
        Membership.objects.filter(user_id=OuterRef(user), organisation_id=OuterRef(organisation), status=Status.GRANTED)
    )


def granted_organisation_ids(*, user: Any) -> set[int]:
    """The organisations `user` is a granted member of."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(Membership.objects.filter(user=user, status=Status.GRANTED).values_list("organisation_id", flat=True))


def membership_of(*, user: Any, organisation: Organisation) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def memberships_pending() -> QuerySet[Membership]:
    """Requests waiting for an organiser, oldest first."""
    return (
        Membership.objects.filter(status=Status.PENDING)
        .select_related("user", "organisation")
        .order_by("requested_at", "id")
    )


def members_of(*, organisation: Organisation) -> list[Membership]:
    """Everybody who asked to join or belongs, waiting requests first."""
    order = {Status.PENDING: 0, Status.GRANTED: 1, Status.REFUSED: 2, Status.REMOVED: 3}
    rows = Membership.objects.filter(organisation=organisation).select_related("user")
    return sorted(rows, key=lambda m: (order[m.status], (m.user.full_name or m.user.email).lower()))


def registrations_without_membership() -> QuerySet[Registration]:
    """Employers and officials whose registration names an organisation they never asked to join:
    registered by an organiser (admin, API, import, invitation). An organiser confirms them in one go."""
    asked = Membership.objects.filter(user_id=OuterRef("user_id"), organisation_id=OuterRef("organisation_id"))
    return (
        Registration.objects.filter(
            organisation__isnull=False,
            role__in=[Registration.Role.EMPLOYER, Registration.Role.OFFICIAL],
            status__in=[Registration.Status.REGISTERED, Registration.Status.INVITED],
        )
        .exclude(Exists(asked))
        .select_related("user", "organisation", "event")
        .order_by("created_at", "id")
    )


def organisations_pending() -> QuerySet[Organisation]:
    """Organisations somebody named that no organiser has verified yet."""
    return Organisation.objects.filter(status=Organisation.Status.PENDING).order_by("name")


def may_decide(*, actor: Any, organisation: Organisation) -> bool:
    """Organisers, and granted admin members of the organisation."""
    if _is_organiser(actor):
        return True
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=actor, organisation=organisation, status=Status.GRANTED, is_admin=True
    ).exists()


def _domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def _domain_matches(*, user: User, organisation: Organisation) -> bool:
    domain = (organisation.email_domain or "").strip().lower()
    return bool(
        domain
        and user.email_confirmed_at is not None
        and organisation.status == Organisation.Status.VERIFIED
        and _domain_of(user.email) == domain
    )


# --- writes ---


def _tell_decision(membership: Membership) -> None:
    """Email the person the decision once the transaction commits (the task is idempotent)."""
    from events.tasks import enqueue, send_membership_decision

    pk, status, occasion = membership.pk, membership.status, membership.decided_at.isoformat()
    transaction.on_commit(lambda: enqueue(send_membership_decision, pk, status, occasion), robust=True)


def _move(membership: Membership, to: str, *, by: Any) -> Membership:
    if membership.status == to:
        return membership
    if to not in TRANSITIONS[membership.status]:
        raise InvalidTransition(
            _("This membership cannot change from “%(old)s” to “%(new)s”.")
            % {
                "old": membership.get_status_display(),
                "new": Status(to).label,
            }
        )
    membership.status = to
    if to == Status.PENDING:
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
    else:
        membership.decided_at = timezone.now()
        membership.decided_by = by if getattr(by, "pk", None) else None
    if to != Status.GRANTED:
        membership.is_admin = False
    membership.save()
    return membership


@transaction.atomic
def organisation_for_request(*, name: str, kind: str = Organisation.Kind.EMPLOYER, country: str = "") -> Organisation:
    """The organisation a person names at registration: a known one (any case), or a new pending one."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).order_by("id").first()
    if existing is not None:
        return existing
    return Organisation.objects.create(
        name=name, kind=kind, country=(country or "").upper()[:2], status=Organisation.Status.PENDING
    )


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation) -> Membership:
    """`user` asks to join: pending, or granted at once when their confirmed address is on the verified domain."""
    membership = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, via=Membership.Via.REQUEST)
    elif membership.status in (Status.REFUSED, Status.REMOVED):
        # Asking again after a refusal is allowed; it waits for a person to look at it again.
        membership.via = Membership.Via.REQUEST
        _move(membership, Status.PENDING, by=None)
    if membership.status == Status.PENDING and _domain_matches(user=user, organisation=organisation):
        membership.via = Membership.Via.DOMAIN
        _move(membership, Status.GRANTED, by=None)
    return membership


@transaction.atomic
def memberships_confirm_domain(*, user: User) -> list[Membership]:
    """The person confirmed their address: pending requests to organisations on its verified domain are granted."""
    granted = []
    pending = Membership.objects.select_for_update().filter(user=user, status=Status.PENDING)
    for membership in pending.select_related("organisation"):
        if _domain_matches(user=user, organisation=membership.organisation):
            membership.via = Membership.Via.DOMAIN
            granted.append(_move(membership, Status.GRANTED, by=None))
    return granted


@transaction.atomic
def membership_decide(*, membership: Membership, status: str, by: Any, is_admin: bool | None = None) -> Membership:
    """Grant, refuse or remove a membership (organisers, or the organisation's admin members)."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    if not may_decide(actor=by, organisation=membership.organisation):
        raise PermissionDenied(_("Only organisers and the organisation's admins can decide on its members."))
    if getattr(by, "pk", None) == membership.user_id and not _is_organiser(by):
        raise PermissionDenied(_("You cannot decide on your own membership."))
    before = membership.status
    _move(membership, status, by=by)
    if is_admin is not None and membership.status == Status.GRANTED:
        membership.is_admin = is_admin
        membership.save(update_fields=["is_admin"])
    if membership.status != before and membership.status != Status.PENDING:
        _tell_decision(membership)
    return membership


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    by: Any,
    via: str = Membership.Via.ORGANISER,
    is_admin: bool = False,
    tell: bool = False,
) -> Membership:
    """Make `user` a granted member (an organiser's decision, or a member's invitation that was accepted).

    `tell` emails the person the decision; an invitee who just accepted, or demo data, need no email."""
    if not may_decide(actor=by, organisation=organisation):
        raise PermissionDenied(_("Only organisers and the organisation's admins can add members."))
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, defaults={"via": via}
    )
    if membership.status != Status.GRANTED:
        if membership.status == Status.PENDING or _is_organiser(by):
            membership.via = via
            _move(membership, Status.GRANTED, by=by)
            if tell:
                _tell_decision(membership)
        else:
            raise InvalidTransition(_("This person was refused or removed; only an organiser can add them again."))
    if is_admin and not membership.is_admin:
        membership.is_admin = True
        membership.save(update_fields=["is_admin"])
    return membership


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by: Any, email_domain: str | None = None) -> Organisation:
    """An organiser checked that the organisation exists (and, with `email_domain`, that the domain is its own)."""
    if not _is_organiser(by):
        raise PermissionDenied(_("Only organisers can verify organisations."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    fields = []
    if organisation.status != Organisation.Status.VERIFIED:
        organisation.status = Organisation.Status.VERIFIED
        fields.append("status")
    if email_domain is not None:
        organisation.email_domain = email_domain.strip().lower().lstrip("@")
        fields.append("email_domain")
    if fields:
        organisation.save(update_fields=fields)
    return organisation


# --- invitations by an organisation's admin ---

_INVITE_SALT = "events.membership-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


def membership_invite(*, organisation: Organisation, email: str, by: Any) -> str:
    """An admin member (or an organiser) invites a colleague: a signed link is emailed after commit.

    Returns the normalised address. The link itself grants nothing until it is opened, and opening it
    checks again that the inviter may still add members.
    """
    if not may_decide(actor=by, organisation=organisation):
        raise PermissionDenied(_("Only organisers and the organisation's admins can invite members."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInvitation(_("Enter a valid email address.")) from error
    from events.tasks import enqueue, send_membership_invitation

    args = (organisation.pk, email, by.pk, timezone.now().isoformat())
    transaction.on_commit(lambda: enqueue(send_membership_invitation, *args), robust=True)
    return email


def invitation_token(*, organisation_id: int, email: str, invited_by_id: int) -> str:
    return signing.dumps({"o": organisation_id, "e": email, "b": invited_by_id}, salt=_INVITE_SALT, compress=True)


def invitation_url(*, organisation_id: int, email: str, invited_by_id: int) -> str:
    from django.urls import reverse

    token = invitation_token(organisation_id=organisation_id, email=email, invited_by_id=invited_by_id)
    return settings.SITE_URL + reverse("memberships:invitation", args=[token])


def invitation_read(*, token: str) -> tuple[Organisation, str, User] | None:
    """(organisation, invited address, inviter) of a valid link, or None if forged, expired or stale."""
    try:
        data = signing.loads(token, salt=_INVITE_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(k in data for k in "oeb"):
        return None
    organisation = Organisation.objects.filter(pk=data["o"]).first()
    inviter = User.objects.filter(pk=data["b"], is_active=True).first()
    if organisation is None or inviter is None or not isinstance(data["e"], str):
        return None
    return organisation, data["e"], inviter


@transaction.atomic
def membership_accept_invitation(*, token: str) -> Membership:
    """The invitee opened their link: they become a granted member (via INVITATION).

    The person with the invited address is found or created; the inviter must still be allowed to
    add members, so an admin who lost that right cannot let anyone in with an old link.
    """
    read = invitation_read(token=token)
    if read is None:
        raise InvalidInvitation(_("This invitation link is not valid any more. Ask for a new one."))
    organisation, email, inviter = read
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, language=getattr(inviter, "language", "") or "en")
    if not user.is_active:
        raise InvalidInvitation(_("This invitation link is not valid any more. Ask for a new one."))
    return membership_grant(user=user, organisation=organisation, by=inviter, via=Membership.Via.INVITATION)
