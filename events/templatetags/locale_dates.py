"""Day and month names in the page's language, for scripts whose browser cannot name them.

Chromium's built-in locale data has no Kurdish (Sorani): `Intl.DateTimeFormat("ckb", …)` falls back
to English ("Sat, Dec 26"). Django's own catalogues name every day and month in all four languages,
so the live pages carry these names and `static/realtime/pages.js` uses them whenever the browser
does not support the page's language.
"""

from __future__ import annotations

from django import template
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def date_names() -> dict[str, object]:
    """Monday-first weekday abbreviations, January-first month names and the short date's word order."""
    return {
        "weekdays": [str(WEEKDAYS_ABBR[i]) for i in range(7)],
        "months": [str(MONTHS[i]) for i in range(1, 13)],
        # Translators: a short date on the live pages, e.g. "Sat 26 December".
        "pattern": pgettext("short date", "%(weekday)s %(day)s %(month)s"),
    }
