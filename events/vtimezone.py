"""VTIMEZONE components that describe daylight saving time with yearly RRULEs.

icalendar 7 writes each transition as an RDATE, a form Outlook is reported to mishandle. Calendar
programs (Outlook above all) expect what tzurl.org and Outlook itself publish: one STANDARD and one
DAYLIGHT observance, each with `RRULE:FREQ=YEARLY;BYMONTH=..;BYDAY=..`. We find the transitions of
an IANA zone from zoneinfo over the years a calendar covers and compress each observance into such
a rule. A zone without daylight saving (Asia/Baghdad) gets a single STANDARD observance. If a zone
changed its rules inside the window, each rule gets its own observance bounded by UNTIL, and a
transition that follows no yearly pattern keeps its own DTSTART, so the result stays exact.

No Django imports: this is pure computation, cached per zone and year range.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = timedelta(hours=6)  # no zone changes offset twice within six hours


@dataclass(frozen=True)
class Transition:
    utc: datetime  # the first instant of the new observance
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool

    @property
    def onset(self) -> datetime:
        # iCalendar states an observance's DTSTART in the wall-clock time in force before it.
        return (self.utc + self.offset_from).replace(tzinfo=None)


def _state(zone: zoneinfo.ZoneInfo, instant: datetime) -> tuple[timedelta, bool, str]:
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(), bool(local.dst()), local.tzname() or ""


def transitions(tzid: str, first_year: int, last_year: int) -> list[Transition]:
    """Every change of offset, DST flag or abbreviation from 1 January `first_year` to the end of `last_year`."""
    zone = zoneinfo.ZoneInfo(tzid)
    instant = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    state = _state(zone, instant)
    found: list[Transition] = []
    while instant < end:
        nxt = instant + _STEP
        nxt_state = _state(zone, nxt)
        if nxt_state != state:
            # Bisect to the second: zoneinfo answers in O(log n), so ~15 probes per transition.
            lo, hi = instant, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _state(zone, mid) == state:
                    lo = mid
                else:
                    hi = mid
            hi = hi.replace(microsecond=0)
            found.append(Transition(hi, state[0], nxt_state[0], nxt_state[2], nxt_state[1]))
            state = nxt_state
        instant = nxt
    return found


def _bydays(onset: datetime) -> set[str]:
    """The BYDAY values (e.g. "2SU", "-1SU") that select this day within its month."""
    weekday = _WEEKDAYS[onset.weekday()]
    days_in_month = calendar.monthrange(onset.year, onset.month)[1]
    values = {f"{(onset.day - 1) // 7 + 1}{weekday}"}
    if onset.day + 7 > days_in_month:
        values.add(f"-1{weekday}")
    return values


@dataclass
class _Run:
    items: list[Transition]
    bydays: set[str]


def _runs(items: list[Transition]) -> list[_Run]:
    """Split one observance's transitions into runs that one yearly rule describes."""
    runs: list[_Run] = []
    for item in sorted(items, key=lambda t: t.utc):
        onset, bydays = item.onset, _bydays(item.onset)
        if runs:
            last = runs[-1].items[-1].onset
            common = runs[-1].bydays & bydays
            if onset.year == last.year + 1 and (onset.month, onset.time()) == (last.month, last.time()) and common:
                runs[-1].items.append(item)
                runs[-1].bydays = common
                continue
        runs.append(_Run([item], bydays))
    return runs


def _observance(item: Transition, offset_from: timedelta) -> TimezoneStandard | TimezoneDaylight:
    component = TimezoneDaylight() if item.is_dst else TimezoneStandard()
    component.add("TZNAME", item.name)
    component.add("TZOFFSETFROM", offset_from)
    component.add("TZOFFSETTO", item.offset_to)
    return component


def build_vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE exact for times from 1 January `first_year` to the end of `last_year`."""
    found = transitions(tzid, first_year, last_year)
    tz = Timezone()
    tz.add("TZID", tzid)
    zone = zoneinfo.ZoneInfo(tzid)
    start = datetime(first_year, 1, 1)
    if not found or found[0].onset >= datetime(first_year + 1, 1, 1):
        # The observance in force at the start of the window, for a zone that has no regular
        # transitions inside it (or only late ones): a fixed offset from 1 January.
        offset, is_dst, name = _state(zone, start.replace(tzinfo=zone).astimezone(UTC))
        initial = Transition(start.replace(tzinfo=UTC), offset, offset, name, is_dst)
        component = _observance(initial, offset)
        component.add("DTSTART", start)
        tz.add_component(component)
    groups: dict[tuple[timedelta, timedelta, str, bool], list[Transition]] = {}
    for item in found:
        groups.setdefault((item.offset_from, item.offset_to, item.name, item.is_dst), []).append(item)
    for items in groups.values():
        for run in _runs(items):
            first = run.items[0]
            component = _observance(first, first.offset_from)
            component.add("DTSTART", first.onset)
            last = run.items[-1]
            ongoing = last.onset.year == last_year
            if len(run.items) > 1 or (ongoing and len(found) > 1):
                rule: dict[str, object] = {
                    "FREQ": "YEARLY",
                    "BYMONTH": first.onset.month,
                    # Prefer "last Sunday" over "fifth Sunday": it is what the zone's rule says.
                    "BYDAY": sorted(run.bydays, key=lambda v: not v.startswith("-"))[0],
                }
                if not ongoing:
                    rule["UNTIL"] = last.utc
                component.add("RRULE", rule)
            tz.add_component(component)
    return tz


@lru_cache(maxsize=256)
def vtimezone_ical(tzid: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE as folded iCalendar text with CRLF line ends (cached)."""
    return build_vtimezone(tzid, first_year, last_year).to_ical().decode()


def vtimezone_for(tzid: str, datetimes: list[datetime]) -> str:
    """A VTIMEZONE covering the given times, with a year's margin either side."""
    years = [d.year for d in datetimes] or [datetime.now(UTC).year]
    return vtimezone_ical(tzid, min(years) - 1, max(years) + 1)
