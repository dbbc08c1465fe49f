"""Text responses compressed with gzip: Django's GZipMiddleware, with one exception for calendar feeds.

Django's middleware pads every compressed body with up to 100 random bytes (its mitigation of
BREACH, since 4.2), so the same page compresses to a different length each time. Calendar feeds
are compressed without the padding: BREACH needs a secret in a body that also reflects what an
attacker sends, and a feed has neither (its secret is the URL, fetched by a calendar program
without cookies), while a feed's HEAD must answer the GET's Content-Length and Content-Encoding
(RFC 9110 §9.3.2; calendar programs read them to decide whether to fetch). Pages and the API keep
the padding: they carry CSRF tokens beside text people typed.

Static files are not compressed here: WhiteNoise serves them, compressed once at collectstatic.
WebSockets do not pass through HTTP middleware.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class _SteadyGZip(DjangoGZipMiddleware):
    # The same body always compresses to the same bytes (Django writes the gzip header with mtime 0).
    max_random_bytes = 0


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's GZipMiddleware; calendar feeds without BREACH padding (see the module docstring)."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        self._steady = _SteadyGZip(get_response)

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("text/calendar"):
            return self._steady.process_response(request, response)
        return super().process_response(request, response)
