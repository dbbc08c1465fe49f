"""Public pages: the event list, the event page with its agenda, language and direction."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, Registration, Session
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
)


def _html_attrs(body: str) -> dict[str, str]:
    tag = re.search(r"<html([^>]*)>", body).group(1)
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def test_event_list_shows_upcoming_published_events_soonest_first_and_hides_drafts(client, db):
    now = timezone.now()
    EventFactory(title="Later fair", starts_at=now + timedelta(days=30))
    EventFactory(title="Sooner dialogue", starts_at=now + timedelta(days=3), status=Event.Status.LIVE)
    EventFactory(title="Secret draft", status=Event.Status.DRAFT)
    EventFactory(title="Long past", starts_at=now - timedelta(days=30), status=Event.Status.CLOSED)

    body = client.get("/").content.decode()

    assert body.index("Sooner dialogue") < body.index("Later fair")
    assert "Secret draft" not in body
    assert "Long past" not in body


def test_event_dates_are_shown_in_the_events_own_time_zone(client, db):
    # 22:30 UTC on 1 March is already 2 March, 01:30 in Baghdad (UTC+3).
    starts = datetime(2031, 3, 1, 22, 30, tzinfo=UTC)
    EventFactory(title="Baghdad day", timezone="Asia/Baghdad", starts_at=starts, ends_at=starts + timedelta(hours=2))

    body = client.get("/").content.decode()

    assert "March 2, 2031, 1:30 a.m.–3:30 a.m." in body


def test_agenda_is_grouped_by_day_in_the_event_time_zone(client, db):
    starts = datetime(2031, 5, 4, 6, 0, tzinfo=UTC)
    event = EventFactory(
        slug="programme", timezone="Asia/Baghdad", starts_at=starts, ends_at=starts + timedelta(days=2)
    )
    room = RoomFactory(event=event, name="Hall A")
    SessionFactory(event=event, title="Opening", starts_at=starts, ends_at=starts + timedelta(hours=1), room=room)
    # 21:30 UTC on 4 May is 5 May, 00:30 in Baghdad: it belongs under the second day.
    late = datetime(2031, 5, 4, 21, 30, tzinfo=UTC)
    SessionFactory(event=event, title="Night hackathon", starts_at=late, ends_at=late + timedelta(hours=1))

    body = client.get("/events/programme/").content.decode()

    headings = re.findall(r'<h3 class="day"><time datetime="([\d-]+)">', body)
    assert headings == ["2031-05-04", "2031-05-05"]
    assert body.index("Opening") < body.index("2031-05-05") < body.index("Night hackathon")
    assert "9 a.m." in body  # 06:00 UTC in Baghdad
    assert "Hall A" in body


def test_officials_only_session_is_hidden_from_an_outsider_and_shown_to_the_official(client, actors):
    SessionFactory(event=actors.event, title="Closed-door ministerial round", audience=Session.Audience.OFFICIALS)
    SessionFactory(event=actors.event, title="Open panel", audience=Session.Audience.PUBLIC)
    url = f"/events/{actors.event.slug}/"

    client.force_login(actors.outsider)
    outsider_body = client.get(url).content.decode()
    client.force_login(actors.official)
    official_body = client.get(url).content.decode()

    assert "Open panel" in outsider_body
    assert "Closed-door ministerial round" not in outsider_body
    assert "Closed-door ministerial round" in official_body


def test_attendee_list_shows_only_people_who_consented(client, actors):
    body = client.get(f"/events/{actors.event.slug}/").content.decode()

    assert actors.candidate.full_name in body  # consent_attendee_list=True in the actors fixture
    assert actors.employer_a.full_name not in body
    assert actors.official.full_name not in body


def test_draft_and_unknown_events_are_404(client, db):
    EventFactory(slug="draft", status=Event.Status.DRAFT)

    assert client.get("/events/draft/").status_code == 404
    assert client.get("/events/nope/").status_code == 404
    assert client.get("/events/draft/register/").status_code == 404


def test_pages_are_english_left_to_right_by_default(client, actors):
    response = client.get(f"/events/{actors.event.slug}/")

    assert response.status_code == 200
    assert _html_attrs(response.content.decode()) == {"lang": "en", "dir": "ltr"}


def test_language_switch_to_arabic_makes_pages_right_to_left_and_arabic(client, actors):
    url = f"/events/{actors.event.slug}/"

    response = client.post("/i18n/setlang/", {"language": "ar", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url

    body = client.get(url).content.decode()
    assert _html_attrs(body) == {"lang": "ar", "dir": "rtl"}
    assert "التسجيل" in body  # "Register"
    assert "جدول الأعمال" in body  # "Agenda"


def test_lithuanian_is_left_to_right_and_translated(client, actors):
    client.post("/i18n/setlang/", {"language": "lt", "next": "/"})

    body = client.get(f"/events/{actors.event.slug}/").content.decode()

    assert _html_attrs(body) == {"lang": "lt", "dir": "ltr"}
    assert "Registruotis" in body
    assert "Darbotvarkė" in body


def test_kurdish_sorani_is_right_to_left(client, db):
    client.post("/i18n/setlang/", {"language": "ckb", "next": "/"})

    body = client.get("/").content.decode()

    assert _html_attrs(body) == {"lang": "ckb", "dir": "rtl"}


def test_browser_language_is_honoured_without_a_cookie(client, db):
    body = client.get("/", headers={"accept-language": "ar-IQ,ar;q=0.9,en;q=0.5"}).content.decode()

    assert _html_attrs(body)["dir"] == "rtl"


def test_event_page_shows_closed_registration_instead_of_the_button(client, db):
    EventFactory(slug="full-stop", registration_open=False)

    body = client.get("/events/full-stop/").content.decode()

    assert "Registration for this event is closed." in body
    assert "/events/full-stop/register/" not in body


def test_event_page_tells_a_signed_in_attendee_their_status(client, db):
    registration = RegistrationFactory(user=UserFactory(), status=Registration.Status.WAITLISTED)
    client.force_login(registration.user)

    body = client.get(f"/events/{registration.event.slug}/").content.decode()

    assert "Waitlisted" in body
    assert f"/me/registrations/{registration.pk}/" in body


def test_unknown_page_is_a_friendly_404_in_the_visitors_language(client, db):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert _html_attrs(body) == {"lang": "ar", "dir": "rtl"}
    assert "الصفحة غير موجودة" in body  # "Page not found"


def test_event_page_query_count_does_not_grow_with_agenda_or_attendees(client, db, django_assert_max_num_queries):
    def build(slug: str, n: int) -> None:
        event = EventFactory(slug=slug)
        room = RoomFactory(event=event)
        for i in range(n):
            SessionFactory(event=event, room=room, title=f"Talk {i}")
            RegistrationFactory(event=event, consent_attendee_list=True, organisation=OrganisationFactory())

    build("small", 2)
    build("large", 40)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/events/small/").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get("/events/large/").content.decode()
    assert body.count('class="session') == 40


def test_full_event_says_new_registrations_join_the_waitlist(client, db):
    event = EventFactory(slug="full", capacity=1)
    before = client.get("/events/full/").content.decode()
    RegistrationFactory(event=event)

    after = client.get("/events/full/").content.decode()

    assert "This event is full" not in before
    assert "This event is full" in after
    assert "/events/full/register/" in after
