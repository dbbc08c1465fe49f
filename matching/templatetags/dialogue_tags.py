"""The official's part of a dialogue on the event page: `{% dialogue_section event %}`.

The events app knows nothing of matching; its event page loads this library and the tag renders
nothing unless the signed-in person is an official of this dialogue (or an organiser).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from events.models import Event
from events.selectors import is_organiser
from matching import dialogue

register = template.Library()


@register.simple_tag(takes_context=True)
def dialogue_section(context: Any, event: Event) -> str:
    request = context.get("request")
    if request is None or event.kind != Event.Kind.DIALOGUE or not request.user.is_authenticated:
        return ""
    if not (is_organiser(request.user) or dialogue.official_registration(user=request.user, event=event)):
        return ""
    from matching.dialogue_views import official_context

    context = official_context(request, event, programme=False)
    return render_to_string("matching/dialogue/_section.html", context, request=request)
