"""Due dates of the items an official's organisation leads, in their personal feed (read with icalendar)."""

from __future__ import annotations

from datetime import date

import icalendar
from django.test import Client

from events import actions
from events.feeds import feed_token_for
from events.models import Membership


def _feed(user) -> list[icalendar.Event]:
    response = Client().get(f"/calendar/feeds/{feed_token_for(user).key}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith("action-")]


def test_the_lead_organisations_members_get_its_due_dates_as_all_day_events(prog):
    [event] = _feed(prog.lead_lt)
    assert str(event["UID"]) == f"action-{prog.public_item.pk}@testserver"
    assert event.decoded("DTSTART") == prog.public_item.due_date  # a date: all day
    assert isinstance(event.decoded("DTSTART"), date) and not hasattr(event.decoded("DTSTART"), "hour")
    assert event.decoded("DTEND") == date.fromordinal(prog.public_item.due_date.toordinal() + 1)
    assert "Joint recognition of ICT qualifications" in str(event["SUMMARY"])
    assert str(event["STATUS"]) == "CONFIRMED"
    # Others have nothing of it: the other ministry's delegate, someone whose membership waits.
    assert _feed(prog.delegate_iq) == []
    Membership.objects.filter(user=prog.lead_lt).update(status=Membership.Status.PENDING)
    assert _feed(prog.lead_lt) == []


def test_a_moved_due_date_moves_the_event_with_a_higher_sequence(prog):
    [before] = _feed(prog.lead_lt)
    actions.action_update(item_id=prog.public_item.pk, actor=prog.rapporteur, fields={"due_date": date(2027, 9, 30)})
    [after] = _feed(prog.lead_lt)
    assert after.decoded("DTSTART") == date(2027, 9, 30)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_a_dropped_item_is_cancelled_in_the_feed(prog):
    [before] = _feed(prog.lead_lt)
    actions.action_update(
        item_id=prog.public_item.pk, actor=prog.lead_lt, fields={"status": "dropped", "dropped_reason": "Merged"}
    )
    [after] = _feed(prog.lead_lt)
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
