"""The builder on a phone, in Arabic: programme staff copy a template from the list, add a question in
Kurdish through the section's form, and open the questionnaire; nothing is wider than the phone."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Questionnaire
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.questionnaires import builder_setup

pytestmark = [pytest.mark.browser, requires_chromium]
world = builder_setup.world  # the fixture


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_staff_build_and_open_a_questionnaire_from_a_template_on_a_phone_in_arabic(
    live_server, transactional_db, world
):
    cookie = _session(world.staff)
    base = f"{live_server.url}/programmes/lt-iq/questionnaires/"
    with phone_page(locale="ar") as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "url": live_server.url},
                {"name": "django_language", "value": "ar", "url": live_server.url},
            ]
        )
        page.goto(base)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.select_option('select[name="template"]', "institutional_capacity")
        page.click('form[action$="from-template"] button[type="submit"]')
        page.wait_for_selector("#sections")
        assert "احتياجات بناء القدرات المؤسسية" in page.inner_text("h1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 412
        first = page.locator("#sections > section").first
        first.locator("details:has(form[action$='/questions']) > summary").click()
        form = first.locator("form[action$='/questions']")
        form.locator('input[name$="-key"]').fill("languages_used")
        form.locator('select[name$="-kind"]').select_option("multiple")
        form.locator('input[name$="-text_ckb"]').fill("بە چ زمانێک کار دەکەن؟")
        form.locator('textarea[name$="-options"]').fill(
            "ar | Arabic | العربية\nckb | Kurdish | الكردية | Kurdų | کوردی"
        )
        form.locator('button[type="submit"]').click()
        page.wait_for_selector('li[data-key="languages_used"]')
        assert "بە چ زمانێک کار دەکەن؟" in page.inner_text('li[data-key="languages_used"]')
        page.click('form[action$="/status"] button[type="submit"]')
        page.wait_for_selector('[data-status="open"]')
        assert page.evaluate("document.documentElement.scrollWidth") <= 412
    q = Questionnaire.objects.get()
    assert q.template == "institutional_capacity" and q.status == "open"
    added = q.questions.get(key="languages_used")
    assert added.text == {"ckb": "بە چ زمانێک کار دەکەن؟"} and [o["value"] for o in added.options] == ["ar", "ckb"]
    assert added.section.position == 0
