"""Parse a calendar with three independent parsers and report what each understood.

icalendar and vobject run in this process; libical (through gir1.2-ical-3.0 and the system
python3-gi, which the venv cannot import) runs in a /usr/bin/python3 subprocess. libical's iTIP
`restriction_check` rejects invitations missing required properties.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import icalendar
import pytest
import vobject

SYSTEM_PYTHON = "/usr/bin/python3"

_LIBICAL_SCRIPT = r"""
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I
out = []
for text in json.load(sys.stdin):
    cal = I.Component.new_from_string(text)
    res = {"method": None, "restriction_ok": None, "errors": [], "events": []}
    if cal is None:
        res["errors"].append("unparseable")
        out.append(res)
        continue
    has_method = "\nMETHOD:" in text.replace("\r\n", "\n")
    if has_method:
        res["method"] = I.Property.method_to_string(cal.get_method())
        res["restriction_ok"] = bool(I.restriction_check(cal))
    def errors(comp):
        p = comp.get_first_property(I.PropertyKind.XLICERROR_PROPERTY)
        while p is not None:
            res["errors"].append(p.as_ical_string().strip())
            p = comp.get_next_property(I.PropertyKind.XLICERROR_PROPERTY)
        sub = comp.get_first_component(I.ComponentKind.ANY_COMPONENT)
        while sub is not None:
            errors(sub)
            sub = comp.get_next_component(I.ComponentKind.ANY_COMPONENT)
    errors(cal)
    ev = cal.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
    while ev is not None:
        def when(t):
            if t.is_date():
                return {"date": "%04d-%02d-%02d" % (t.get_year(), t.get_month(), t.get_day())}
            return {"utc": I.Time.as_timet_with_zone(t, t.get_timezone())}
        res["events"].append({
            "uid": ev.get_uid(), "sequence": ev.get_sequence(),
            "status": I.Property.status_to_string(ev.get_status()),
            "start": when(ev.get_dtstart()), "end": when(ev.get_dtend()),
        })
        ev = cal.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
    out.append(res)
print(json.dumps(out))
"""


_PROBE = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"


@lru_cache(maxsize=1)
def libical_available() -> bool:
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", _PROBE],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@dataclass
class Parsed:
    uid: str
    sequence: int
    status: str
    start: datetime | date
    end: datetime | date


def _norm(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "a floating time: the TZID was not resolved"
        return value.astimezone(UTC)
    return value


def with_icalendar(text: bytes) -> tuple[icalendar.Calendar, list[Parsed]]:
    cal = icalendar.Calendar.from_ical(text)
    events = [
        Parsed(
            str(e["UID"]),
            int(e.get("SEQUENCE", 0)),
            str(e.get("STATUS", "")),
            _norm(e["DTSTART"].dt),
            _norm(e["DTEND"].dt),
        )
        for e in cal.walk("VEVENT")
    ]
    return cal, events


def with_vobject(text: bytes) -> list[Parsed]:
    cal = vobject.readOne(text.decode())
    return [
        Parsed(
            e.uid.value,
            int(e.sequence.value) if hasattr(e, "sequence") else 0,
            e.status.value if hasattr(e, "status") else "",
            _norm(e.dtstart.value),
            _norm(e.dtend.value),
        )
        for e in getattr(cal, "vevent_list", [])
    ]


def with_libical(texts: list[bytes]) -> list[dict]:
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", _LIBICAL_SCRIPT],
        input=json.dumps([t.decode() for t in texts]).encode(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _from_libical(e: dict) -> Parsed:
    def when(w: dict) -> datetime | date:
        if "date" in w:
            return date.fromisoformat(w["date"])
        return datetime.fromtimestamp(w["utc"], UTC)

    return Parsed(e["uid"], e["sequence"], e["status"], when(e["start"]), when(e["end"]))


def parse_everywhere(text: bytes) -> list[Parsed]:
    """Parse with all three; assert they agree event by event; return icalendar's reading.

    An iTIP message must also pass libical's restriction check.
    """
    _cal, ours = with_icalendar(text)
    theirs = with_vobject(text)
    assert [(p.uid, p.sequence, p.start, p.end) for p in theirs] == [(p.uid, p.sequence, p.start, p.end) for p in ours]
    if libical_available():
        (result,) = with_libical([text])
        assert not result["errors"], result["errors"]
        if result["method"] is not None:
            assert result["restriction_ok"], f"libical restriction_check failed for {result['method']}"
        lib = [_from_libical(e) for e in result["events"]]
        assert [(p.uid, p.sequence, p.start, p.end) for p in lib] == [(p.uid, p.sequence, p.start, p.end) for p in ours]
    return ours


requires_libical = pytest.mark.skipif(not libical_available(), reason="libical (gir1.2-ical-3.0) is not installed")
