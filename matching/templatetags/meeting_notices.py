"""`{% meeting_notices %}`: on a signed-in person's pages, the employers' meeting requests waiting
for their answer, kept live: the person's own stream (`/ws/matching/me/`) re-reads the list
(`matching:notices`, `{seq, html}`) whenever a request or meeting of theirs changes."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from matching import selectors

register = template.Library()


@register.inclusion_tag("matching/_notices.html", takes_context=True)
def meeting_notices(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "request": request,
        "waiting": list(selectors.requests_waiting_for_candidate(user=user)),
        # What templates/live/_scripts.html writes for live.js.
        "config": {"ws": "/ws/matching/me/", "snapshot": reverse("matching:notices")},
        "labels": {"region": _("Meeting requests")},
    }


def notices_html(*, user: Any) -> SafeString:
    """The list alone, for the snapshot endpoint."""
    from django.template.loader import render_to_string

    waiting = list(selectors.requests_waiting_for_candidate(user=user))
    return SafeString(render_to_string("matching/_notices_list.html", {"waiting": waiting}))
