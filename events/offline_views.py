"""The offline ticket: the service worker at the site's root and the web app manifest.

The worker's code is the static file static/js/sw.js; it is served here, at /sw.js, because a
service worker controls only the pages under the path it is served from, and the ticket pages are
under /me/. The manifest makes the site installable to a phone's home screen, opening on /me/.
"""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

SW_PATH = "js/sw.js"


@cache
def _worker_code() -> bytes:
    # From the static folders (development, tests) or from what collectstatic gathered (production).
    found = finders.find(SW_PATH)
    if found:
        with open(found, "rb") as f:
            return f.read()
    with staticfiles_storage.open(SW_PATH) as f:
        return f.read()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_code(), content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on every visit; no-cache lets them revalidate it each time.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in the reader's language and direction."""
    body = {
        "name": _("Explorers Events"),
        "short_name": _("Explorers"),
        "description": _("Your registrations and tickets, also without a network."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("events:me"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Vary"] = "Accept-Language, Cookie"
    return response
