"""Every channel-layer group name is built here and nowhere else.

A stream is the public name a client sees (`event:<slug>:dashboard`); its group is the
channel-layer name (ASCII letters, digits, hyphens, underscores and periods, under 100 characters).
"""

from __future__ import annotations

import hashlib
import re

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _safe(part: str) -> str:
    cleaned = _SAFE.sub("_", part)
    if len(cleaned) > 40 or cleaned != part:
        # Hash anything unusual so two different names never collide after cleaning.
        cleaned = cleaned[:24] + "." + hashlib.sha1(part.encode()).hexdigest()[:12]
    return cleaned


def group_for_stream(stream: str) -> str:
    """The channel-layer group that carries one stream."""
    return "s." + ".".join(_safe(p) for p in stream.split(":"))


def event_dashboard_stream(slug: str) -> str:
    return f"event:{slug}:dashboard"


def event_public_stream(slug: str) -> str:
    return f"event:{slug}:public"


def employer_board_stream(slug: str, organisation_id: int) -> str:
    return f"event:{slug}:employer:{organisation_id}"


def user_stream(user_id: int) -> str:
    return f"user:{user_id}"


def checkin_gate_stream(slug: str, gate: str) -> str:
    return f"event:{slug}:gate:{gate}"


def event_control_stream(slug: str) -> str:
    """The organisers' control room: every session change and announcement of an event."""
    return f"event:{slug}:control"


def event_attendees_stream(slug: str) -> str:
    """Everyone registered at an event: changes to sessions for registered attendees."""
    return f"event:{slug}:attendees"


def event_role_stream(slug: str, role: str) -> str:
    """Everyone registered at an event in one role: announcements to that role, officials-only sessions."""
    return f"event:{slug}:role:{role}"


def roadmap_stream(programme_slug: str, audience: str) -> str:
    """A programme's roadmap: `public` carries its public action items, `officials` every item."""
    return f"programme:{programme_slug}:roadmap:{audience}"
