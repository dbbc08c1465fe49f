"""{% calendar_feed_links person as feed %}: a person's feed URL, webcal:// link and one-click subscribe links."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import gettext as _

from events.feeds import feed_url_for, webcal_url

register = template.Library()


@register.simple_tag
def calendar_feed_links(person: object) -> dict[str, str]:
    if person is None or not getattr(person, "is_authenticated", False):
        return {}
    url = feed_url_for(person)  # type: ignore[arg-type]
    webcal = webcal_url(url)
    name = _("My programme")
    return {
        "url": url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": url, "name": name}),
    }
