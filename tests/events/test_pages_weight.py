"""Light pages for a phone on a slow network: small, self-hosted, few queries (with the demo data).

Run with -s to see the figures: `pytest tests/events/test_pages_weight.py -s`.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.links import magic_token
from events.models import Event, Registration

# Budgets, gzipped as a server sends them: a page under ~15 KB loads in about a second on 2G EDGE.
PAGE_BUDGET = 15_000
CSS_BUDGET = 6_000
QUERY_BUDGET = 20


def _weigh(client, path: str) -> tuple[int, int, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    body = response.content
    return len(body), len(gzip.compress(body)), len(queries.captured_queries), body.decode()


def test_attendee_pages_are_small_self_hosted_and_cheap(client, db):
    call_command("seed_demo", verbosity=0)
    fair = Event.objects.get(slug="digital-explorers-job-fair-baghdad")  # the weeks-away fair
    registration = Registration.objects.filter(event=fair, role=Registration.Role.CANDIDATE).first()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    client.get(f"/me/link/{magic_token(registration)}/")
    paths = ["/", f"/events/{fair.slug}/", f"/events/{fair.slug}/register/", f"/me/registrations/{registration.pk}/"]

    over = []
    for path in paths:
        raw, zipped, queries, body = _weigh(client, path)
        print(f"{path}: {raw} B, {zipped} B gzipped, {queries} queries")
        if zipped > PAGE_BUDGET or queries > QUERY_BUDGET:
            over.append((path, zipped, queries))
        # No CDN, no web fonts, no third-party scripts: everything comes from this server.
        assert not re.search(r'<(?:link|script)[^>]+(?:href|src)="(?:https?:)?//', body), path
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_bytes()
    print(f"site.css: {len(css)} B, {len(gzip.compress(css))} B gzipped")

    assert over == []
    assert len(gzip.compress(css)) <= CSS_BUDGET
