"""A phone, Arabic, right to left: switch language, register, reach the confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from events.models import Registration, Session
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import EventFactory, RoomFactory, SessionFactory

SHOTS = "/tmp/explorers-pages"

# Where a right-aligned line of text ends: the viewport width minus main's inline padding (1rem).
VIEWPORT_WIDTH = 412
PADDING = 16

TEXT_BOX = """(selector) => {
    const el = document.querySelector(selector);
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right};
}"""


def _make_event():
    starts = datetime(2031, 6, 10, 6, 0, tzinfo=UTC)
    event = EventFactory(
        slug="baghdad-fair",
        title="Baghdad–Vilnius ICT Job Fair",
        timezone="Asia/Baghdad",
        starts_at=starts,
        ends_at=starts + timedelta(days=1, hours=8),
        venue="Baghdad International Fair Grounds",
        address="Al-Mansour, Baghdad",
        capacity=100,
    )
    hall = RoomFactory(event=event, name="Hall 1")
    SessionFactory(
        event=event, title="Opening remarks", room=hall, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    SessionFactory(
        event=event,
        title="Employer booths",
        kind=Session.Kind.BOOTH,
        room=hall,
        starts_at=starts + timedelta(days=1),
        ends_at=starts + timedelta(days=1, hours=4),
    )
    return event


@requires_chromium
@pytest.mark.browser
def test_register_on_a_phone_in_arabic_right_to_left(live_server, transactional_db):
    event = _make_event()
    url = f"{live_server.url}/events/{event.slug}/"

    with phone_page() as page:
        page.goto(url)
        assert page.evaluate("document.documentElement.dir") == "ltr"
        page.screenshot(path=f"{SHOTS}-event-en.png", full_page=True)

        page.click("button[name=language][value=ar]")
        page.wait_for_selector("html[lang=ar]")
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.inner_text(".agenda .title >> nth=0") == "Opening remarks"
        assert "جدول الأعمال" in page.inner_text("#agenda")
        # "9:00 ص–10:00 ص": the start time reads first, so it sits to the right of the end time.
        start, end = (page.locator(".agenda .time time").nth(i).bounding_box()["x"] for i in (0, 1))
        assert start > end
        # In right-to-left order the first language button sits to the right of the last one.
        first = page.locator(".languages button").first.bounding_box()
        last = page.locator(".languages button").last.bounding_box()
        assert first["x"] > last["x"]
        page.screenshot(path=f"{SHOTS}-event-ar.png", full_page=True)

        page.click("a.button.primary")
        page.wait_for_selector("form.stack")
        # The heading is short, so its text hugs the right edge and leaves the left side empty.
        heading = page.evaluate(TEXT_BOX, "main h1")
        assert abs(heading["right"] - (VIEWPORT_WIDTH - PADDING)) <= 2, heading
        assert heading["left"] > VIEWPORT_WIDTH / 2, heading
        # Nothing overflows sideways on a 412 px screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT_WIDTH
        assert page.input_value("select[name=language]") == "ar"
        assert not page.is_checked("input[name=consent_share_profile]")
        assert not page.is_checked("input[name=consent_attendee_list]")

        page.fill("input[name=full_name]", "زينب عبد الله")
        page.fill("input[name=email]", "zainab@example.iq")
        page.check("input[name=role][value=candidate]")
        page.check("input[name=consent_attendee_list]")
        page.screenshot(path=f"{SHOTS}-form-ar.png", full_page=True)
        page.click("form.stack button[type=submit]")
        page.wait_for_selector(".confirmation")

        assert page.evaluate("document.documentElement.dir") == "rtl"
        # Not signed in as the address's owner: the page says only where the email went (issue 11).
        assert page.inner_text(".confirmation h1") == "تحقّق من بريدك الوارد"
        assert "zainab@example.iq" in page.inner_text("main")
        page.screenshot(path=f"{SHOTS}-confirmation-ar.png", full_page=True)

    registration = Registration.objects.get(event=event, user__email="zainab@example.iq")
    assert registration.status == Registration.Status.REGISTERED
    assert registration.language == "ar"
    assert registration.user.full_name == "زينب عبد الله"
    # The ticked box waits for the address to be confirmed through the emailed link (issue 11).
    assert (registration.consent_attendee_list, registration.consent_share_profile) == (False, False)
    assert list(registration.pending_consents) == ["attendee_list"]
