"""Follow-ups in their owner's personal calendar feed, read back with icalendar."""

from __future__ import annotations

from datetime import date

import icalendar
from django.test import Client

from events.feeds import feed_token_for
from events.stakeholders import follow_up_add, follow_up_done


def _feed(user) -> list[icalendar.Event]:
    response = Client().get(f"/calendar/feeds/{feed_token_for(user).key}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith("follow-up-")]


def test_a_follow_up_is_an_all_day_event_in_its_owners_feed_and_cancelled_once_done(world):
    item = follow_up_add(
        stakeholder=world.uni,
        actor=world.organiser,
        title="Send the survey",
        owner=world.staff,
        due_on=date(2026, 12, 20),
    )
    [event] = _feed(world.staff)
    assert str(event["UID"]) == f"follow-up-{item.pk}@testserver"
    assert event.decoded("DTSTART") == date(2026, 12, 20)
    assert "Send the survey" in str(event["SUMMARY"]) and "University of Baghdad" in str(event["SUMMARY"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert _feed(world.organiser) == [] and _feed(world.official) == []
    follow_up_done(follow_up=item, actor=world.staff)
    [after] = _feed(world.staff)
    assert str(after["STATUS"]) == "CANCELLED" and int(after["SEQUENCE"]) > int(event["SEQUENCE"])


def test_my_day_lists_the_owners_open_follow_ups_with_overdue_flagged(world):
    follow_up_add(
        stakeholder=world.uni,
        actor=world.organiser,
        title="Send the survey",
        owner=world.staff,
        due_on=date(2020, 1, 1),
    )
    client = Client()
    client.force_login(world.staff)
    body = client.get("/me/day").content.decode()
    assert "<bdi>Send the survey</bdi>" in body and 'class="overdue"' in body
    client.force_login(world.organiser)
    assert "Send the survey" not in client.get("/me/day").content.decode()
