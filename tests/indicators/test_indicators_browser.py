"""On phones: an employer records a placement on the outcomes page, and the organiser's indicators page
shows it on its next load, nothing cached in between (the figures are read from the records each time)."""

from __future__ import annotations

import pytest
from django.test import Client

from events.models import Registration
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import RegistrationFactory, UserFactory

pytestmark = [pytest.mark.browser, requires_chromium]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _axe():
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _figure(page, key: str) -> str:
    return page.inner_text(f'[data-indicator="{key}"] .n')


def test_a_placement_recorded_by_an_employer_shows_on_the_indicators_page(live_server, transactional_db, world):
    organisation = world.fair.meetings.first().organisation
    recruiter = UserFactory(full_name="Rasa Recruiter")
    RegistrationFactory(event=world.fair, user=recruiter, role=Registration.Role.EMPLOYER, organisation=organisation)
    base = live_server.url.replace("localhost", "127.0.0.1")
    indicators = f"{base}/programmes/{world.programme.slug}/indicators"
    # Sessions made before the browsers start: Playwright's loop forbids database calls on this thread.
    organiser_cookie, recruiter_cookie = _cookie(world.organiser), _cookie(recruiter)

    with phone_page() as organiser:
        organiser.context.add_cookies([{"name": "sessionid", "value": organiser_cookie, "url": base}])
        organiser.goto(indicators)
        before = (_figure(organiser, "offers"), _figure(organiser, "placements"))

    with phone_page() as employer:
        employer.context.add_cookies([{"name": "sessionid", "value": recruiter_cookie, "url": base}])
        employer.goto(f"{base}/matching/{world.fair.slug}/outcomes/")
        for stage in ("offer", "accepted"):
            employer.select_option("select[name=candidate]", label="Met Two")
            employer.select_option("select[name=stage]", stage)
            if stage == "offer":
                employer.select_option("select[name=offer_kind]", "internship")
                employer.fill("input[name=offer_country]", "lt")
                employer.select_option("select[name=work_mode]", "on_site")
            employer.click("#outcome-form button[type=submit]")
            employer.wait_for_load_state()
        employer.wait_for_selector(".outcome >> text=Offer accepted")

    with phone_page() as organiser:
        organiser.context.add_cookies([{"name": "sessionid", "value": organiser_cookie, "url": base}])
        organiser.goto(indicators)
        after = (_figure(organiser, "offers"), _figure(organiser, "placements"))
        by_country = organiser.text_content('#chart-placements-by_country g[data-key="LT"] text.value')
        by_type = organiser.get_attribute('#chart-placements-by_type g[data-key="internship"]', "data-label")
        # Against the phone's own width: a page wider than it widens the layout viewport (and innerWidth).
        overflow = organiser.evaluate("document.documentElement.scrollWidth") > organiser.viewport_size["width"]
        violations = [
            f"{v['id']}: {v['help']}"
            for v in _axe()
            .run(organiser, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            .response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        table = organiser.evaluate(
            "(() => { const s = document.querySelector('.table-scroll'); return s.scrollWidth - s.clientWidth; })()"
        )

    assert before == ("0", "0")
    assert after == ("1", "1")
    assert by_country == "1"
    assert by_type == "Internship"
    assert not overflow
    assert violations == []
    assert table <= 1  # the months' table fits without scrolling sideways
