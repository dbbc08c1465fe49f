"""`{% board_labels %}`: what static/realtime/board.js needs to draw pushed rows as
matching/_board.html does, in the reader's language (a JSON script element, #board-labels)."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.views import factor_help, factor_labels

register = template.Library()

# One count per plural category: the page picks one with Intl.PluralRules to say "n present".
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


@register.simple_tag(takes_context=True)
def board_labels(context: dict[str, Any]) -> SafeString:
    slug = context["event"].slug
    labels = {
        "factors": factor_labels(),
        "factor_help": factor_help(),
        "why_hint": _("What the points mean"),
        "request_sent": _("Request sent, open until"),
        "request_received": _("Asks to meet you, open until"),
        "withdraw": _("Withdraw the request"),
        "present": {
            category: ngettext("%(n)s candidate present", "%(n)s candidates present", n)
            for category, n in _PLURAL_SAMPLES.items()
        },
        "score_title": _("Score out of 100"),
        "candidate": _("Candidate"),
        "shortlisted": _("Shortlisted"),
        "meeting_booked": _("Meeting booked"),
        "no_meeting": _("No meeting yet"),
        "why": _("Why"),
        "related": _("related"),
        "lower_level": _("lower level"),
        "missing": _("no %(s)s"),
        "request": _("Request a meeting"),
        "shortlist": _("Shortlist"),
        "unshortlist": _("Remove from shortlist"),
        "not_now": _("Not now"),
        "empty": _("Nobody present fits this opening yet. The list updates as people arrive."),
        "lead_url": reverse("matching:lead", args=[slug, 0]),
        "action_url": reverse("matching:board_action", args=[slug]),
        "csrf": get_token(context["request"]),
    }
    return json_script(labels, "board-labels")
