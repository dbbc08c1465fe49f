"""A separate server process for the concurrency test: sets Django up itself, then scans on cue."""

from __future__ import annotations

import os
from typing import Any


def scan_at_gate(
    database_url: str, slug: str, user_id: int, gate: str, payloads: list[str], barrier: Any, out: Any
) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings

    settings.CHECKIN_COUNTS_INTERVAL = 0  # no timer threads in a short-lived process
    settings.CHECKIN_HOOKS_INLINE = True

    from checkin import services
    from checkin.selectors import event_for_scanning
    from events.models import User

    user = User.objects.get(pk=user_id)
    event = event_for_scanning(slug=slug)
    for payload in payloads:
        barrier.wait(timeout=60)  # both gates scan the same ticket at the same moment
        try:
            outcome = services.checkin_scan(event=event, payload=payload, gate=gate, user=user)
            out.put((payload, gate, outcome.status, outcome.body.get("status")))
        except Exception as exc:  # reported to the test, which fails on it
            out.put((payload, gate, 500, repr(exc)))
