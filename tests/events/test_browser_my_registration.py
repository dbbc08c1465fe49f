"""On a phone: open the emailed link, see "my registration" in one's language, cancel it."""

from __future__ import annotations

import pytest

from events.links import magic_token
from events.models import Registration
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory

SHOTS = "/tmp/explorers-pages"


@requires_chromium
@pytest.mark.browser
def test_magic_link_then_cancel_on_a_phone(live_server, transactional_db):
    event = EventFactory(title="Erbil Policy Dialogue", timezone="Asia/Baghdad", venue="Erbil Rotana", capacity=1)
    mine = RegistrationFactory(event=event, user=UserFactory(full_name="Karwan Aziz"), language="ar")
    mine.sessions.add(SessionFactory(event=event, title="Skills recognition round table"))
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    link = f"{live_server.url}/me/link/{magic_token(mine)}/"

    with phone_page() as page:
        page.goto(link)
        # The link opens the page in the language chosen at registration.
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert "Skills recognition round table" in page.inner_text("#my-sessions ~ ol")
        assert page.inner_text(".status") == "مسجَّل"
        page.screenshot(path=f"{SHOTS}-my-registration-ar.png", full_page=True)

        page.click("a[href$='/cancel/']")
        page.click("form.actions button[type=submit]")
        page.wait_for_selector(".messages")
        assert page.inner_text(".status") == "ملغى"
        assert page.locator("a[href$='/cancel/']").count() == 0
        page.screenshot(path=f"{SHOTS}-cancelled-ar.png", full_page=True)

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED
