"""The VTIMEZONE we emit uses yearly RRULEs and gives every parser the zone's true offsets."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from events.ical import CalendarItem, render_feed
from events.vtimezone import build_vtimezone, vtimezone_ical
from tests.calendar.parsers import parse_everywhere

ZONES = ["Europe/Vilnius", "Asia/Baghdad", "America/New_York", "Australia/Sydney"]


def _instants() -> list[datetime]:
    """Every six hours through 2026, and every 30 minutes across both Vilnius changes."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    out = [start + timedelta(hours=6 * i) for i in range(4 * 365)]
    for change in (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)):
        out += [change + timedelta(minutes=30 * i) for i in range(-6, 7)]
    return out


@pytest.mark.parametrize("tzid", ZONES)
def test_times_read_back_exactly_by_three_parsers(tzid):
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        CalendarItem(
            uid=f"t-{i}@testserver",
            sequence=0,
            summary="Probe",
            start=t,
            end=t + timedelta(minutes=45),
            tzid=tzid,
            dtstamp=stamp,
        )
        for i, t in enumerate(_instants())
    ]
    parsed = parse_everywhere(render_feed(items, name="probe"))
    assert [(p.start, p.end) for p in parsed] == [(i.start, i.end) for i in items]


def test_vilnius_has_one_standard_and_one_daylight_with_yearly_rules():
    text = vtimezone_ical("Europe/Vilnius", 2025, 2027)
    tz = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{text}END:VCALENDAR\r\n")
    tz = tz.walk("VTIMEZONE")[0]
    standard, daylight = tz.walk("STANDARD"), tz.walk("DAYLIGHT")
    assert len(standard) == 1 and len(daylight) == 1
    assert "RDATE" not in standard[0] and "RDATE" not in daylight[0]
    assert daylight[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert standard[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert daylight[0]["TZOFFSETFROM"].td == timedelta(hours=2)
    assert daylight[0]["TZOFFSETTO"].td == timedelta(hours=3)
    # DTSTART is the wall-clock time before the change: 03:00 EET on the last Sunday of March.
    assert daylight[0]["DTSTART"].dt == datetime(2025, 3, 30, 3, 0)
    assert standard[0]["DTSTART"].dt == datetime(2025, 10, 26, 4, 0)


def test_baghdad_is_one_fixed_standard_observance():
    text = vtimezone_ical("Asia/Baghdad", 2025, 2027)
    assert text.count("BEGIN:STANDARD") == 1
    assert "DAYLIGHT" not in text and "RRULE" not in text and "RDATE" not in text
    assert "TZOFFSETFROM:+0300" in text and "TZOFFSETTO:+0300" in text


def test_zone_that_changed_its_rules_stays_exact():
    # Moscow: DST until 2010, permanent +04 from 2011, back to +03 in October 2014.
    tz = build_vtimezone("Europe/Moscow", 2009, 2016).to_tz()
    zone = zoneinfo.ZoneInfo("Europe/Moscow")
    t = datetime(2010, 1, 1, tzinfo=UTC)
    while t < datetime(2016, 12, 31, tzinfo=UTC):
        assert t.astimezone(tz).utcoffset() == t.astimezone(zone).utcoffset(), t
        t += timedelta(hours=7)
