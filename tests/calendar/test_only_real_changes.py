"""Calendars change only when something a calendar shows changed, in the person's own language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from events import agenda, calendar_mail, sessions
from events.feeds import feed_token_for, track_feed_url
from events.models import CalendarCopy, Registration, Session
from tests.calendar.conftest import add_session
from tests.calendar.mailbox import calendar_mails
from tests.calendar.parsers import parse_everywhere, with_icalendar
from tests.factories import RegistrationFactory, RoomFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(run, dst_event, dst_sessions):
    """An official whose calendar already holds the event and the officials-only session."""
    user = UserFactory(email="rasa@vrm.example", full_name="Rasa Official", language="lt")
    reg = RegistrationFactory(event=dst_event, user=user, role=Registration.Role.OFFICIAL, language="lt")
    run(calendar_mail.sync_registration, registration_id=reg.pk)
    mail.outbox.clear()
    return reg


def _live_session(dst_event, dst_sessions):
    session = dst_sessions["officials"]
    # Start it "now" so it can end early.
    now = datetime.now(UTC).replace(microsecond=0)
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def test_starting_and_ending_a_session_sends_no_calendar_email(run, official, dst_event, dst_sessions):
    session = _live_session(dst_event, dst_sessions)
    revision = session.revision
    run(sessions.session_start, session=session)
    run(sessions.session_end, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.ENDED
    assert session.revision == revision
    assert calendar_mails() == []


def test_cancelling_a_session_still_sends_a_cancel(run, official, dst_sessions):
    run(sessions.session_cancel, session=dst_sessions["officials"])
    (sent,) = calendar_mails()
    assert sent.method == "CANCEL"


def test_cancel_asks_for_no_reply_and_carries_a_new_stamp(run, official, dst_event, dst_sessions):
    session = dst_sessions["after"]
    run(agenda.programme_add, registration=official, session=session)
    (invited,) = calendar_mails()
    assert b"RSVP=TRUE" in invited.ics
    mail.outbox.clear()
    # The session last changed an hour ago (calendar stamps have whole seconds).
    Session.objects.filter(pk=session.pk).update(updated_at=datetime.now(UTC) - timedelta(hours=1))
    run(agenda.programme_remove, registration=official, session=session)
    (cancel,) = calendar_mails()
    text = cancel.ics.replace(b"\r\n ", b"")
    assert cancel.method == "CANCEL"
    assert b"RSVP=FALSE" in text and b"RSVP=TRUE" not in text
    (item,) = _vevents(cancel.ics)
    session.refresh_from_db()
    # Withdrawn from this person after the session last changed: the stamps say so.
    assert item["LAST-MODIFIED"].dt > session.updated_at
    assert item["DTSTAMP"].dt > session.updated_at
    # And the personal feed shows it cancelled with the same new stamp.
    (gone,) = [i for i in _vevents(_feed(official.user).content) if i["UID"] == item["UID"]]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["LAST-MODIFIED"].dt == item["LAST-MODIFIED"].dt


def _vevents(text: bytes) -> list:
    parse_everywhere(text)  # valid for every parser
    return list(with_icalendar(text)[0].walk("VEVENT"))


def _feed(user, **headers):
    from django.test import Client

    return Client().get(reverse("calendar:personal", args=[feed_token_for(user).key]), **headers)


def test_personal_feed_speaks_the_persons_language_not_the_clients(official):
    response = _feed(official.user, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    cal, _items = with_icalendar(response.content)
    assert str(cal["X-WR-CALNAME"]).startswith("Mano programa")


def test_feed_etag_changes_with_the_persons_language(official):
    first = _feed(official.user)["ETag"]
    official.user.language = "en"
    official.user.save(update_fields=["language"])
    second = _feed(official.user)
    assert second["ETag"] != first
    assert str(with_icalendar(second.content)[0]["X-WR-CALNAME"]).startswith("My programme")


def test_deleting_a_session_sends_a_cancel_to_everyone_who_has_it(run, official, dst_sessions):
    session = dst_sessions["officials"]
    uid = f"session-{session.pk}@testserver"
    assert CalendarCopy.objects.get(user=official.user, uid=uid).active
    run(sessions.session_delete, session=session)
    (sent,) = calendar_mails()
    assert sent.method == "CANCEL"
    (item,) = parse_everywhere(sent.ics)
    assert item.uid == uid and item.status == "CANCELLED"
    assert not Session.objects.filter(pk=session.pk).exists()


def test_renaming_a_room_updates_everyone_whose_calendar_shows_it(run, official, dst_event, dst_sessions):
    session = dst_sessions["after"]
    run(agenda.programme_add, registration=official, session=session)
    mail.outbox.clear()
    run(sessions.room_rename, room=session.room, name="Grand Hall")
    (sent,) = calendar_mails()
    assert sent.method == "REQUEST"
    (item,) = _vevents(sent.ics)
    assert str(item["UID"]) == f"session-{session.pk}@testserver"
    assert "Grand Hall" in str(item["LOCATION"])


def test_head_on_a_feed_gives_the_get_length(client, dst_event, dst_sessions):
    url = reverse("calendar:event", args=[dst_event.slug])
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert int(head["Content-Length"]) == len(get.content) > 0
    assert head.content == b""


def test_an_empty_room_feed_is_still_a_valid_calendar(client, dst_event):
    room = RoomFactory(event=dst_event, name="Empty room")
    response = client.get(reverse("calendar:room", args=[dst_event.slug, room.pk]))
    assert response.status_code == 200
    assert b"BEGIN:VTIMEZONE" in response.content  # RFC 5545: at least one component
    assert parse_everywhere(response.content) == []


def test_a_track_named_only_in_arabic_has_a_reachable_feed(client, dst_event):
    add_session(dst_event, "الأمن السيبراني", datetime(2026, 3, 28, 12, 0, tzinfo=UTC), track="الأمن السيبراني")
    url = track_feed_url(dst_event, "الأمن السيبراني")
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    (item,) = _vevents(response.content)
    assert str(item["SUMMARY"]) == "الأمن السيبراني"


def test_an_officials_only_track_is_not_discoverable(client, dst_event):
    add_session(
        dst_event,
        "Closed door",
        datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
        track="Ministers",
        audience=Session.Audience.OFFICIALS,
    )
    response = client.get(reverse("calendar:track", args=[dst_event.slug, "ministers"]))
    assert response.status_code == 404
