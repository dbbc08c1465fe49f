"""The employer board on a booth's screen: large type, strong contrast, a long Arabic name whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.live.conftest import scan_in
from tests.live.test_lobby_screen_browser import MEASURE
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "عبد الرحمن محمد جاسم الخزرجي البغدادي"
SCREENS = {"booth screen": (1920, 1080), "tablet on its side": (1280, 800)}


@requires_chromium
@pytest.mark.parametrize("language", ["en", "ar"])
def test_board_is_readable_from_a_few_steps_away(fair, daphne, language):  # noqa: F811
    build_fair(fair, starts_at=timezone.now() - timedelta(minutes=5))
    fair.candidate.full_name = LONG_NAME
    fair.candidate.save()
    scan_in(fair, fair.candidate, gate="main")
    cookie = session_cookie(fair.employer_a).decode().split("=", 1)[1]

    for name, (width, height) in SCREENS.items():
        size = {"width": width, "height": height}
        with phone_page(viewport=size, screen=size, is_mobile=False, has_touch=True, locale=language) as page:
            page.context.add_cookies(
                [
                    {"name": "sessionid", "value": cookie, "url": daphne.url},
                    {"name": "django_language", "value": language, "url": daphne.url},
                ]
            )
            page.goto(daphne.url + "/matching/job-fair/board/")
            wait_for_js(page, "document.documentElement.dataset.live === 'online'", timeout=10_000)
            page.wait_for_selector(f"#live >> text={LONG_NAME}")
            texts = page.evaluate(MEASURE)
            board = [t for t in texts if t["inBoard"]]
            score = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cand .score')).fontSize)")
            page.screenshot(path=f"/tmp/explorers-board-{language}-{name.replace(' ', '-')}.png", full_page=True)
        small = [(t["text"], round(t["size"])) for t in board if t["size"] < 18]
        assert small == [], f"{name}: board text under 18 px: {small}"
        assert score >= 25, name
        faint = [(t["text"], round(t["contrast"], 1)) for t in board if t["contrast"] < 4.5]
        assert faint == [], f"{name}: below WCAG AA contrast: {faint}"
        cut = [t["text"] for t in board if t["clipped"] or t["ellipsis"] or t["outside"]]
        assert cut == [], f"{name}: text cut off: {cut}"
