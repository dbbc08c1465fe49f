"""Where a person stands in the organisation a registration names, for "my registration"."""

from __future__ import annotations

from typing import Any

from django import template

from events.memberships import membership_of
from events.models import Membership, Registration

register = template.Library()


@register.simple_tag
def membership_of_registration(registration: Registration) -> Membership | None:
    """The person's membership of the organisation their registration names (None: never asked)."""
    if registration.organisation_id is None:
        return None
    return membership_of(user=registration.user, organisation=registration.organisation)


@register.filter
def membership_status(membership: Any) -> str:
    return membership.status if membership is not None else "none"
