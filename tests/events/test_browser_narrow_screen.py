"""The smallest common phone (360 px wide): no page scrolls sideways, in any language."""

from __future__ import annotations

import pytest

from events.links import magic_token
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory, UserFactory

WIDTH = 360


@requires_chromium
@pytest.mark.browser
def test_no_page_is_wider_than_a_360px_phone(live_server, transactional_db):
    event = EventFactory(
        slug="long-words",
        title="Tarptautinė informacinių technologijų specialistų karjeros mugė ir bendradarbiavimo forumas",
        venue="Vilniaus Gedimino technikos universiteto Saulėtekio slėnio mokslo ir technologijų parkas",
    )
    room = RoomFactory(event=event, name="Konferencijų salė A")
    SessionFactory(event=event, title="Skaitmeninių kompetencijų pripažinimo apskritasis stalas", room=room)
    registration = RegistrationFactory(
        event=event, user=UserFactory(full_name="Aistė Kazlauskaitė-Jankauskienė"), consent_attendee_list=True
    )
    pages = ["/", f"/events/{event.slug}/", f"/events/{event.slug}/register/", "/me/"]
    overflowing = []

    with phone_page(viewport={"width": WIDTH, "height": 740}, screen={"width": WIDTH, "height": 740}) as page:
        for language in ("en", "lt", "ar", "ckb"):
            page.goto(live_server.url + "/")
            page.click(f"button[name=language][value={language}]")
            page.wait_for_selector(f"html[lang={language}]")
            for path in pages:
                page.goto(live_server.url + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > WIDTH:
                    overflowing.append((language, path, width))
            # Submitting the empty form shows every error message at once.
            page.goto(f"{live_server.url}/events/{event.slug}/register/")
            page.click("form.stack button[type=submit]")
            page.wait_for_selector(".errors")
            if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
                overflowing.append((language, "register errors", page.evaluate("document.documentElement.scrollWidth")))
        page.screenshot(path="/tmp/explorers-pages-register-errors-ckb-360.png", full_page=True)
        page.goto(f"{live_server.url}/me/link/{magic_token(registration)}/")
        page.click("button[name=language][value=lt]")
        page.wait_for_selector("html[lang=lt]")
        if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
            overflowing.append(("lt", "my registration", page.evaluate("document.documentElement.scrollWidth")))
        page.screenshot(path="/tmp/explorers-pages-my-registration-lt-360.png", full_page=True)

    assert overflowing == []
