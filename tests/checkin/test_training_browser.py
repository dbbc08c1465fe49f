"""On a phone: a trainer marks a trainee excused in the grid; the trainee's progress page shows it."""

from __future__ import annotations

import pytest
from django.test import Client

from checkin.models import AttendanceMark
from tests.browser import phone_page
from tests.checkin.test_training_grid import make_training
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_a_trainer_excuses_a_trainee_in_the_grid_and_the_trainee_sees_it_on_their_phone(
    live_server, transactional_db, actors
):
    course = make_training(actors)
    trainer, trainee = _cookie(course.trainer), _cookie(course.ali.user)
    base = live_server.url.replace("localhost", "127.0.0.1")
    cell = f"#r{course.ali.pk} a[data-session='{course.kickoff.pk}']"

    with phone_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": trainer, "url": base}])
        page.goto(f"{base}/checkin/{course.event.slug}/training/")
        assert page.inner_text(cell) == "✗"
        page.click(cell)
        page.check("input[name=value][value=excused]")
        page.click("#mark-form button[type=submit]")  # no reason yet: the form says why it is refused
        assert page.is_visible("textarea:invalid")
        page.fill("#reason", "Visa appointment at the embassy")
        page.click("#mark-form button[type=submit]")
        page.wait_for_url(f"**/checkin/{course.event.slug}/training/#r{course.ali.pk}")
        marked = page.inner_text(cell)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")

    with phone_page(locale="ar") as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": trainee, "url": base},
                {"name": "django_language", "value": "ar", "url": base},
            ]
        )
        page.goto(f"{base}/checkin/{course.event.slug}/progress/")
        direction = page.get_attribute("html", "dir")
        excused = page.inner_text("[data-list=excused]")
        missed = page.inner_text("[data-list=missed]")

    assert marked == "E*"
    assert not overflow  # the grid scrolls inside its box; the phone page itself does not scroll sideways
    assert direction == "rtl"
    assert "Kick-off" in excused and "Kick-off" not in missed
    assert AttendanceMark.objects.get().reason == "Visa appointment at the embassy"
