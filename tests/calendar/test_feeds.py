"""Public and personal subscription feeds: contents, times across DST, cancelled items, 304s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import sessions
from events.feeds import feed_token_for, feed_token_rotate
from events.models import Event, Registration, Session
from tests.calendar.conftest import add_session
from tests.calendar.parsers import parse_everywhere
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def test_public_feed_has_public_sessions_at_their_local_times_across_dst(client, dst_sessions):
    response = client.get("/calendar/events/dst-fair.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content
    parsed = parse_everywhere(text)
    public = [dst_sessions["before"], dst_sessions["after"]]
    assert [p.uid for p in parsed] == [f"session-{s.pk}@testserver" for s in public]
    assert [(p.start, p.end) for p in parsed] == [(s.starts_at, s.ends_at) for s in public]
    # Both sessions are at 10:00 on the wall clock, on either side of the change.
    assert b"DTSTART;TZID=Europe/Vilnius:20260328T100000" in text
    assert b"DTSTART;TZID=Europe/Vilnius:20260329T100000" in text
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in text
    assert b"METHOD:" not in text
    assert b"Attendees only" not in text and b"Ministers" not in text


def test_baghdad_feed_uses_a_fixed_offset_zone(client, baghdad_event):
    s = add_session(baghdad_event, "Opening", datetime(2026, 3, 29, 6, 0, tzinfo=UTC))
    text = client.get("/calendar/events/baghdad-dialogue.ics").content
    (parsed,) = parse_everywhere(text)
    assert (parsed.start, parsed.end) == (s.starts_at, s.ends_at)
    assert b"DTSTART;TZID=Asia/Baghdad:20260329T090000" in text
    assert b"BEGIN:DAYLIGHT" not in text


def test_cancelled_session_kept_thirty_days(client, dst_sessions, django_capture_on_commit_callbacks):
    session = dst_sessions["before"]
    with django_capture_on_commit_callbacks(execute=True):
        sessions.session_cancel(session=session)
    parsed = {p.uid: p for p in parse_everywhere(client.get("/calendar/events/dst-fair.ics").content)}
    item = parsed[f"session-{session.pk}@testserver"]
    assert item.status == "CANCELLED"
    assert item.sequence == 1
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now() - timedelta(days=31))
    parsed = {p.uid for p in parse_everywhere(client.get("/calendar/events/dst-fair.ics").content)}
    assert f"session-{session.pk}@testserver" not in parsed


def test_unchanged_feed_answers_304_without_rendering(client, dst_sessions, monkeypatch):
    first = client.get("/calendar/events/dst-fair.ics")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified

    def boom(*args, **kwargs):
        raise AssertionError("the 304 path rendered the calendar")

    monkeypatch.setattr("events.feeds.render_feed", boom)
    again = _get(client, "/calendar/events/dst-fair.ics", if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    by_date = _get(client, "/calendar/events/dst-fair.ics", if_modified_since=last_modified)
    assert by_date.status_code == 304
    monkeypatch.undo()

    # A real change is never hidden behind the old ETag.
    sessions.session_update(session=dst_sessions["after"], title="Moved talk")
    changed = _get(client, "/calendar/events/dst-fair.ics", if_none_match=etag)
    assert changed.status_code == 200
    assert b"Moved talk" in changed.content


def test_draft_and_unknown_events_have_no_feed(client, dst_event):
    Event.objects.filter(pk=dst_event.pk).update(status=Event.Status.DRAFT)
    assert client.get("/calendar/events/dst-fair.ics").status_code == 404
    assert client.get("/calendar/events/nope.ics").status_code == 404


def test_track_and_room_feeds(client, dst_sessions):
    track = parse_everywhere(client.get("/calendar/events/dst-fair/tracks/digital-skills.ics").content)
    assert [p.uid for p in track] == [f"session-{dst_sessions['after'].pk}@testserver"]
    room = dst_sessions["before"].room
    in_room = parse_everywhere(client.get(f"/calendar/events/dst-fair/rooms/{room.pk}.ics").content)
    assert {p.uid for p in in_room} == {f"session-{dst_sessions[k].pk}@testserver" for k in ("before", "after")}
    assert client.get("/calendar/events/dst-fair/tracks/no-such-track.ics").status_code == 404
    assert client.get("/calendar/events/dst-fair/rooms/999999.ics").status_code == 404


def _personal(client, user):
    return client.get(f"/calendar/feeds/{feed_token_for(user).key}.ics")


def test_official_feed_has_event_and_officials_only_sessions(client, dst_event, dst_sessions):
    official = UserFactory(full_name="Omar Official")
    reg = RegistrationFactory(event=dst_event, user=official, role=Registration.Role.OFFICIAL)
    reg.sessions.add(dst_sessions["before"])
    response = _personal(client, official)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    parsed = {p.uid: p for p in parse_everywhere(response.content)}
    assert set(parsed) == {
        f"event-{dst_event.pk}-reg-{reg.pk}@testserver",
        f"session-{dst_sessions['before'].pk}@testserver",
        f"session-{dst_sessions['officials'].pk}@testserver",
    }
    s = dst_sessions["officials"]
    assert (parsed[f"session-{s.pk}@testserver"].start, parsed[f"session-{s.pk}@testserver"].end) == (
        s.starts_at,
        s.ends_at,
    )
    assert b"METHOD:" not in response.content and b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content


def test_candidate_feed_has_no_officials_only_sessions(client, dst_event, dst_sessions):
    candidate = UserFactory()
    RegistrationFactory(event=dst_event, user=candidate)
    text = _personal(client, candidate).content
    assert b"Ministers" not in text
    assert b"Spring Job Fair" in text


def test_multi_day_event_is_all_day_with_exclusive_end(client, dst_event):
    person = UserFactory()
    RegistrationFactory(event=dst_event, user=person)
    text = _personal(client, person).content
    (parsed,) = parse_everywhere(text)
    # 28 and 29 March in Vilnius: the end date is the day after the last day.
    assert b"DTSTART;VALUE=DATE:20260328" in text and b"DTEND;VALUE=DATE:20260330" in text
    assert (str(parsed.start), str(parsed.end)) == ("2026-03-28", "2026-03-30")


def test_rotated_and_unknown_tokens_answer_404(client, dst_event):
    person = UserFactory()
    old = feed_token_for(person).key
    assert len(old) >= 22  # ≥ 128 bits of urlsafe base64
    assert client.get(f"/calendar/feeds/{old}.ics").status_code == 200
    feed_token_rotate(user=person)
    assert client.get(f"/calendar/feeds/{old}.ics").status_code == 404
    assert client.get(f"/calendar/feeds/{feed_token_for(person).key}.ics").status_code == 200
    assert client.get("/calendar/feeds/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/feeds/" + "x" * 300 + ".ics").status_code == 404


def test_owner_rotates_from_their_page(client, dst_event):
    person = UserFactory()
    old = feed_token_for(person).key
    client.force_login(person)
    response = client.post("/calendar/feeds/rotate/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(f"/calendar/feeds/{old}.ics").status_code == 404


def test_personal_feed_304_and_change(client, dst_event, dst_sessions, monkeypatch):
    person = UserFactory()
    reg = RegistrationFactory(event=dst_event, user=person)
    url = f"/calendar/feeds/{feed_token_for(person).key}.ics"
    etag = client.get(url)["ETag"]
    monkeypatch.setattr("events.feeds.render_feed", lambda *a, **k: (_ for _ in ()).throw(AssertionError()))
    assert _get(client, url, if_none_match=etag).status_code == 304
    monkeypatch.undo()
    reg.sessions.add(dst_sessions["after"])
    changed = _get(client, url, if_none_match=etag)
    assert changed.status_code == 200
    assert b"After the change" in changed.content


def test_organiser_rotates_a_feed_from_the_admin(client, dst_event):
    from events.models import FeedToken

    person = UserFactory()
    token = feed_token_for(person)
    old = token.key
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/events/feedtoken/", {"action": "rotate", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert FeedToken.objects.get(pk=token.pk).key != old
    assert client.get(f"/calendar/feeds/{old}.ics").status_code == 404
