"""Mixed directions as they are drawn: English titles, names and announcements inside Arabic and Kurdish
pages keep their own order, times stay beside (not glued to) the titles, and Kurdish dates are Kurdish.

Measured in Chromium on a phone viewport from the rendered boxes, not from the markup.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import Announcement, Registration
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory, UserFactory
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

SHOTS = "/tmp/explorers-pages"

# For a selector: the box of its element, and the boxes of its text's first and last characters.
BOXES = """(selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const text = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent.trim());
    const charBox = (i) => {
        const r = document.createRange();
        r.setStart(text, i);
        r.setEnd(text, i + 1);
        return r.getBoundingClientRect();
    };
    // The first line's box: a title may wrap, and then its whole box spans both lines.
    const box = el.getClientRects()[0];
    const first = charBox(0), last = charBox(text.textContent.length - 1);
    return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
            first: first.left, last: last.left, text: el.textContent};
}"""

WEEKDAYS_ENGLISH = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day(user):
    # 26 December 2030 is a Thursday; 09:00 in Baghdad.
    starts = datetime(2030, 12, 26, 6, 0, tzinfo=UTC)
    event = EventFactory(
        slug="erbil-fair",
        title="Erbil ICT Job Fair",
        timezone="Asia/Baghdad",
        starts_at=starts,
        ends_at=starts + timedelta(hours=9),
    )
    hall = RoomFactory(event=event, name="Hall B")
    opening = SessionFactory(
        event=event, title="Opening: welcome", room=hall, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    registration = RegistrationFactory(event=event, user=user, role=Registration.Role.CANDIDATE)
    registration.sessions.add(opening)  # in the person's own programme, shown open on My day
    Announcement.objects.create(event=event, text="Lunch is served in Hall B.")
    return event


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_my_day_and_the_lobby_screen_keep_english_titles_and_announcements_in_order_right_to_left(daphne, language):  # noqa: F811
    user = UserFactory(email=f"bidi-{language}@example.org", language=language)
    _day(user)
    cookie = session_cookie(user).decode().split("=", 1)[1]
    host = daphne.url.split("//", 1)[1].split(":")[0]

    with phone_page(locale=language) as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "domain": host, "path": "/"},
                {"name": "django_language", "value": language, "domain": host, "path": "/"},
            ]
        )
        page.goto(daphne.url + "/me/day")
        wait_for_js(
            page, "document.querySelector('[data-programme=mine] [data-session] .when') !== null", timeout=15_000
        )
        assert page.evaluate("document.documentElement.dir") == "rtl"
        when = page.evaluate(BOXES, "[data-programme=mine] [data-session] .when")
        title = page.evaluate(BOXES, "[data-programme=mine] [data-session] bdi.title")
        note = page.evaluate(BOXES, "[data-announcement] bdi")
        page.screenshot(path=f"{SHOTS}-my-day-{language}.png", full_page=True)
        # The lobby screen draws the same announcement from its own snapshot.
        page.goto(daphne.url + "/events/erbil-fair/screen")
        wait_for_js(page, "document.querySelector('[data-announcement] [dir=auto]') !== null", timeout=15_000)
        screen_note = page.evaluate(BOXES, "[data-announcement] [dir=auto]")
        page.screenshot(path=f"{SHOTS}-screen-{language}.png", full_page=True)

    # Right to left: the time comes first, so it sits at the right, with a gap before the title.
    assert title["text"] == "Opening: welcome"
    # (On a narrow phone the title may start on the next line; then it follows the time, right-aligned.)
    if abs(when["top"] - title["top"]) < 4:
        assert when["left"] >= title["right"] + 2, (when, title)
    else:
        assert title["top"] >= when["bottom"] - 1 and title["right"] > when["left"], (when, title)
    # Inside the title the English reads left to right: "O" left of the last "e".
    assert title["first"] < title["last"]
    # The English announcement's full stop ends its line on the right, not at the Arabic start.
    assert note["text"] == "Lunch is served in Hall B."
    assert note["first"] < note["last"]
    assert screen_note["text"] == "Lunch is served in Hall B." and screen_note["first"] < screen_note["last"]
    if language == "ckb":
        # Chromium has no Kurdish; the names come from Django's catalogue: Thursday, December.
        assert not any(when["text"].startswith(day) for day in WEEKDAYS_ENGLISH), when["text"]
        assert "Dec" not in when["text"] and "26" in when["text"]
        assert "بەفرانبار" in when["text"], when["text"]


@requires_chromium
@pytest.mark.browser
@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_the_event_page_isolates_titles_and_places(live_server, transactional_db, language):
    user = UserFactory(email=f"page-{language}@example.org")
    event = _day(user)
    with phone_page(locale=language) as page:
        page.goto(f"{live_server.url}/events/{event.slug}/")
        page.click(f"button[name=language][value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
        time_box = page.locator(".agenda .time time").first.bounding_box()
        title = page.evaluate(BOXES, ".agenda .title bdi")
    # The time column is at the right (start) and the English title reads left to right beside it.
    assert time_box["x"] > title["left"]
    assert title["first"] < title["last"]
