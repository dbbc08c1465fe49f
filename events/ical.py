"""Building iCalendar text: feeds (no METHOD) and iTIP messages (METHOD:REQUEST / CANCEL).

Items arrive as plain `CalendarItem`s, so this module needs no database. We write content lines
ourselves rather than through icalendar's component tree: for a large feed that tree alone costs
more than the feed's whole time budget, while these few lines of escaping and octet-exact folding
cost a tenth of it (docs/calendar.md, "Performance"). The VTIMEZONE still comes from icalendar (see
events/vtimezone.py), and every calendar the tests emit is parsed back by icalendar, vobject and
libical to prove the text is right.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from events.vtimezone import vtimezone_for

PRODID = "-//Explorers Events//Calendar 1.0//EN"
REFRESH = "PT1H"

# Control characters other than TAB may not appear in iCalendar text; user input may hold them.
_CONTROL = {c: None for c in [*range(0, 9), *range(10, 32), 127] if c not in (10, 13)}


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One VEVENT. `start`/`end` are aware; `tzid` is the zone the item is shown in."""

    uid: str
    sequence: int
    summary: str
    start: datetime
    end: datetime
    tzid: str
    dtstamp: datetime
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    all_day: bool = False
    location: str = ""
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    last_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Invitation:
    """Who sends an iTIP message and to whom."""

    organizer: Person
    attendee: Person
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True


def uid_host(site_url: str) -> str:
    """The domain part of every UID: the host of the site's URL, fixed per installation."""
    return (urlsplit(site_url).hostname or "localhost").lower()


def session_uid(session_id: int, host: str) -> str:
    return f"session-{session_id}@{host}"


def registration_uid(event_id: int, registration_id: int, host: str) -> str:
    return f"event-{event_id}-reg-{registration_id}@{host}"


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping; line breaks become a literal \\n."""
    return (
        value.translate(_CONTROL)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def param(value: str) -> str:
    """A quoted parameter value. A double quote cannot appear inside one; Outlook ignores RFC 6868's
    escapes, so it becomes a single quote, and line breaks become spaces."""
    cleaned = value.translate(_CONTROL).replace("\r", " ").replace("\n", " ").replace('"', "'")
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character or a backslash escape."""
    if len(line) <= 75 and line.isascii():
        return line
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        if end < len(raw):
            while raw[end] & 0xC0 == 0x80:  # inside a multi-byte character
                end -= 1
            slashes = 0
            while end - 1 - slashes > start and raw[end - 1 - slashes] == 0x5C:
                slashes += 1
            if slashes % 2:  # would separate "\" from the character it escapes
                end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space, which counts
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    v = value.astimezone(UTC)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}Z"


def _local(value: datetime) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}T{value.hour:02d}{value.minute:02d}{value.second:02d}"


def _zoned(name: str, value: datetime, tzid: str, tz: zoneinfo.ZoneInfo) -> str:
    local = value.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        # 03:30 on an autumn night happens twice. RFC 5545 says a TZID time means the first, but
        # libical reads the second: state such an instant in UTC, which no one misreads.
        return f"{name}:{_utc(value)}"
    return f"{name};TZID={tzid}:{_local(local)}"


def _date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def all_day_dates(item: CalendarItem) -> tuple[date, date]:
    """First day and the exclusive end day of an all-day item, in the item's zone."""
    tz = zoneinfo.ZoneInfo(item.tzid)
    start = item.start.astimezone(tz)
    end = item.end.astimezone(tz)
    last = end.date()
    # An item ending at midnight does not occupy the day that begins then.
    if end.time() == datetime.min.time() and last > start.date():
        return start.date(), last
    return start.date(), last + timedelta(days=1)


def vevent_lines(
    item: CalendarItem, zones: dict[str, zoneinfo.ZoneInfo], invitation: Invitation | None = None
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        fold(f"UID:{escape_text(item.uid)}"),
        f"SEQUENCE:{int(item.sequence)}",
        f"DTSTAMP:{_utc(item.dtstamp)}",
    ]
    if item.all_day:
        first, after = all_day_dates(item)
        lines.append(f"DTSTART;VALUE=DATE:{_date(first)}")
        lines.append(f"DTEND;VALUE=DATE:{_date(after)}")
    else:
        tz = zones.get(item.tzid) or zones.setdefault(item.tzid, zoneinfo.ZoneInfo(item.tzid))
        lines.append(_zoned("DTSTART", item.start, item.tzid, tz))
        lines.append(_zoned("DTEND", item.end, item.tzid, tz))
    lines.append(fold(f"SUMMARY:{escape_text(item.summary)}"))
    if item.location:
        lines.append(fold(f"LOCATION:{escape_text(item.location)}"))
    if item.description:
        lines.append(fold(f"DESCRIPTION:{escape_text(item.description)}"))
    if item.url:
        lines.append(fold(f"URL:{item.url}"))
    if item.categories:
        lines.append(fold("CATEGORIES:" + ",".join(escape_text(c) for c in item.categories)))
    lines.append(f"STATUS:{item.status}")
    # A cancelled entry should not block time in anyone's free/busy view.
    lines.append("TRANSP:TRANSPARENT" if item.status == "CANCELLED" or item.all_day else "TRANSP:OPAQUE")
    if item.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc(item.last_modified)}")
    if invitation is not None:
        org, att = invitation.organizer, invitation.attendee
        # Bare "mailto:" with the address alone: what Outlook and Google match replies against.
        lines.append(fold(f"ORGANIZER;CN={param(org.name or org.email)}:mailto:{org.email}"))
        lines.append(
            fold(
                f"ATTENDEE;CN={param(att.name or att.email)};ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL"
                f";PARTSTAT={invitation.partstat};RSVP={'TRUE' if invitation.rsvp else 'FALSE'}:mailto:{att.email}"
            )
        )
    lines.append("END:VEVENT")
    return lines


def render_calendar(
    items: Sequence[CalendarItem],
    *,
    method: str | None = None,
    name: str = "",
    description: str = "",
    feed: bool = False,
    invitation: Invitation | None = None,
    empty_zone: str = "",
) -> bytes:
    """A VCALENDAR holding `items`, one VTIMEZONE per zone they use.

    `feed=True` adds the refresh hints subscribed calendars read. iTIP messages (`method`) carry
    ORGANIZER and ATTENDEE from `invitation` and hold one UID, as RFC 5546 requires.
    """
    if method is not None and invitation is None:
        raise ValueError("An iTIP message needs an organizer and an attendee")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(fold(f"X-WR-CALNAME:{escape_text(name)}"))
        lines.append(fold(f"NAME:{escape_text(name)}"))
    if description:
        lines.append(fold(f"X-WR-CALDESC:{escape_text(description)}"))
    if feed:
        lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}")
        lines.append(f"X-PUBLISHED-TTL:{REFRESH}")
    body: list[str] = []
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    spans: dict[str, list[datetime]] = {}
    for item in items:
        if not item.all_day:
            span = spans.setdefault(item.tzid, [item.start, item.end])
            if item.start < span[0]:
                span[0] = item.start
            if item.end > span[1]:
                span[1] = item.end
        body.extend(vevent_lines(item, zones, invitation))
    text = "\r\n".join(lines) + "\r\n"
    if not items and empty_zone:
        # RFC 5545 §3.6 wants at least one component: an empty feed (a new room, a quiet track)
        # carries the zone it will be shown in, which strict parsers accept and others ignore.
        spans[empty_zone] = []
    for tzid in sorted(spans):
        text += vtimezone_for(tzid, spans[tzid])
    text += "\r\n".join(body)
    text += "\r\nEND:VCALENDAR\r\n" if body else "END:VCALENDAR\r\n"
    return text.encode()


def render_feed(items: Iterable[CalendarItem], *, name: str, description: str = "", zone: str = "UTC") -> bytes:
    """A subscription feed: no METHOD, refresh hints, cancelled items as STATUS:CANCELLED.

    `zone` is the VTIMEZONE an empty feed carries so that it is still a valid calendar."""
    return render_calendar(list(items), name=name, description=description, feed=True, empty_zone=zone)
