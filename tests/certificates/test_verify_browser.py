"""On a phone, in Arabic: an employer opens a certificate's check page from its QR link; it reads right to left,
says genuine and fits the screen."""

from __future__ import annotations

import pytest
from django.test import Client

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


BLOCKING = {"serious", "critical"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("language", ["en", "ar"])
def test_certificate_pages_have_no_serious_or_critical_axe_violation(live_server, transactional_db, actors, language):
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    course = completed_course(actors)
    certificate, _ = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    code = certificates.grouped(certificate.code)
    base = live_server.url.replace("localhost", "127.0.0.1")
    pages = [
        ("check page", f"/certificates/{code}", None),
        ("not found", f"/certificates/{certificates.grouped(certificates.new_code())}", None),
        ("code form", "/certificates/", None),
        ("my certificates", "/certificates/mine/", actors.candidate),
        ("organisers' page", f"/certificates/training/{course.event.slug}/", actors.organiser),
    ]
    sessions = {who: _cookie(who) for _name, _path, who in pages if who is not None}
    problems = []
    with phone_page(locale=language) as page:
        for name, path, who in pages:
            page.context.clear_cookies()
            cookies = [{"name": "django_language", "value": language, "url": base}]
            if who is not None:
                cookies.append({"name": "sessionid", "value": sessions[who], "url": base})
            page.context.add_cookies(cookies)
            response = page.goto(base + path)
            assert response is not None and response.status == (404 if name == "not found" else 200), name
            assert page.evaluate("document.documentElement.lang") == language, name
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}}).response
            for violation in results["violations"]:
                if violation.get("impact") in BLOCKING:
                    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
                    problems.append(f"{name}: {violation['id']} ({violation['impact']}) at {targets}")
    assert problems == []
