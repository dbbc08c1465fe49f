"""The menu's role links: `{% role_menu as links %}` in templates/base.html.

Each signed-in person sees the pages of their own role at their coming events, and only those: a
candidate their matches at a job fair, a granted employer their candidate board, an official their
dialogue page. Officials are never offered a job seeker's pages.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.memberships import granted_exists
from events.models import Event, Registration

register = template.Library()

# (role, event kind, needs a granted membership of the registration's organisation, URL name, label)
_LINKS = (
    (Registration.Role.CANDIDATE, Event.Kind.JOB_FAIR, False, "matching:me", lambda: _("My matches")),
    (Registration.Role.EMPLOYER, Event.Kind.JOB_FAIR, True, "matching:board", lambda: _("Candidate board")),
    (Registration.Role.OFFICIAL, Event.Kind.DIALOGUE, False, "matching:dialogue", lambda: _("My dialogue")),
)


@register.simple_tag(takes_context=True)
def role_menu(context: Any) -> list[dict[str, str]]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    registrations = (
        Registration.objects.filter(
            user=user,
            status=Registration.Status.REGISTERED,
            role__in=[role for role, *_rest in _LINKS],
            event__ends_at__gte=timezone.now(),
            event__status__in=[Event.Status.PUBLISHED, Event.Status.LIVE],
        )
        .annotate(granted=granted_exists())
        .select_related("event")
        .order_by("event__starts_at")[:10]
    )
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    for reg in registrations:
        for role, kind, needs_membership, name, label in _LINKS:
            if reg.role != role or reg.event.kind != kind or name in seen:
                continue
            # An employer speaks for a granted organisation only; an official naming one must be granted too.
            if needs_membership and reg.organisation_id is None:
                continue
            if role != Registration.Role.CANDIDATE and reg.organisation_id is not None and not reg.granted:
                continue
            seen.add(name)
            links.append({"url": reverse(name, args=[reg.event.slug]), "label": label(), "event": reg.event.title})
    return links
