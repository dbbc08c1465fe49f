"""Choosing sessions on a phone, in Arabic: on the event page (the form sent by script, no reload) and on
"My day" (My programme apart from the whole programme); the personal feed then holds what was chosen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.feeds import feed_token_for
from events.models import Registration
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

SHOTS = "/tmp/explorers-pages"
ADD, REMOVE = "أضف إلى برنامجي", "أزل من برنامجي"


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_a_candidate_chooses_two_sessions_on_a_phone_and_drops_one(daphne):  # noqa: F811
    start = timezone.now() + timedelta(days=5)
    event = EventFactory(slug="phone-fair", title="Phone Job Fair", starts_at=start, ends_at=start + timedelta(hours=8))
    cloud = SessionFactory(event=event, title="Cloud careers", starts_at=start, ends_at=start + timedelta(hours=1))
    data = SessionFactory(
        event=event,
        title="Data skills",
        capacity=30,
        starts_at=start + timedelta(hours=2),
        ends_at=start + timedelta(hours=3),
    )
    user = UserFactory(email="huda@example.org", full_name="Huda Candidate", language="ar")
    registration = RegistrationFactory(event=event, user=user, role=Registration.Role.CANDIDATE)
    cookie = session_cookie(user).decode().split("=", 1)[1]
    host = daphne.url.split("//", 1)[1].split(":")[0]

    with phone_page(locale="ar") as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "domain": host, "path": "/"},
                {"name": "django_language", "value": "ar", "domain": host, "path": "/"},
            ]
        )
        page.goto(f"{daphne.url}/events/{event.slug}/")
        page.evaluate("window.notReloaded = true")
        tag_before = page.is_visible(f"#session-{cloud.pk} [data-in-programme]")
        button = page.locator(f"#session-{cloud.pk} form[data-programme] button")
        assert button.text_content().strip() == ADD
        button.click()
        wait_for_js(
            page,
            f"document.querySelector('#session-{cloud.pk} form[data-programme] button').textContent === {REMOVE!r}",
        )
        note = page.text_content(f"#session-{cloud.pk} .programme-note")
        tag_after = page.is_visible(f"#session-{cloud.pk} [data-in-programme]")
        other_tag = page.is_visible(f"#session-{data.pk} [data-in-programme]")
        still_here = page.evaluate("window.notReloaded === true")
        tapped = page.locator(f"#session-{cloud.pk} form[data-programme] button").bounding_box()
        page.screenshot(path=f"{SHOTS}-agenda-event-ar.png", full_page=True)

        page.goto(f"{daphne.url}/me/day")
        wait_for_js(page, f"document.querySelector('[data-programme=mine] [data-session=\"{cloud.pk}\"]') !== null")
        page.click("[data-programme=whole] summary")
        page.click(f'[data-programme=whole] [data-session="{data.pk}"] button')
        wait_for_js(page, f"document.querySelector('[data-programme=mine] [data-session=\"{data.pk}\"]') !== null")
        page.click(f'[data-programme=mine] [data-session="{cloud.pk}"] button')
        wait_for_js(page, f"document.querySelector('[data-programme=whole] [data-session=\"{cloud.pk}\"]') !== null")
        mine = page.evaluate(
            "[...document.querySelectorAll('[data-programme=mine] [data-session]')].map((li) => li.dataset.session)"
        )
        page.screenshot(path=f"{SHOTS}-agenda-my-day-ar.png", full_page=True)

    assert still_here and "Cloud careers" in note
    assert (tag_before, tag_after, other_tag) == (False, True, False)  # "in my programme" only where it is
    assert tapped["height"] >= 44  # a thumb's target
    assert mine == [str(data.pk)]
    assert list(registration.sessions.values_list("pk", flat=True)) == [data.pk]
    feed = Client().get(reverse("calendar:personal", args=[feed_token_for(user).key]))
    assert b"Data skills" in feed.content and b"Cloud careers" in feed.content  # the CANCEL stays listed
    assert feed.content.count(b"STATUS:CANCELLED") == 1
