"""On a phone, in Arabic: an employer opens a certificate's check page from its QR link; it reads right to left,
says genuine and fits the screen."""

from __future__ import annotations

import pytest

from matching import certificates
from tests.browser import phone_page
from tests.certificates.course import completed_course
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def test_the_check_page_reads_right_to_left_in_arabic_on_a_phone(live_server, transactional_db, actors):
    course = completed_course(actors)
    certificate, _ = certificates.certificate_issue(
        registration=course.zainab, by=actors.organiser, name_arabic="زينب الحسيني"
    )
    base = live_server.url.replace("localhost", "127.0.0.1")
    path = f"/certificates/{certificates.grouped(certificate.code)}"

    with phone_page(locale="ar") as page:
        page.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
        page.goto(base + path)
        direction = page.get_attribute("html", "dir")
        language = page.get_attribute("html", "lang")
        status = page.get_attribute("[data-status]", "data-status")
        name = page.inner_text("[data-field=name]")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        # The visitor switches to English with the language buttons, on the same page.
        page.click("form.languages button[value=en]")
        page.wait_for_load_state()
        switched = page.get_attribute("html", "dir"), page.inner_text("[data-status] h2")

    assert (direction, language, status) == ("rtl", "ar", "valid")
    assert "زينب الحسيني" in name
    assert not overflow
    assert switched == ("ltr", "Genuine and valid")
