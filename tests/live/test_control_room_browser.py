"""On a real Daphne, in Chromium: the control room's arrival charts follow the door live, and the room
is usable on a tablet either way up and on a phone, in English and Arabic."""

from __future__ import annotations

import httpx
import pytest

from events.models import Registration
from tests.browser import phone_page, wait_for_js
from tests.checkin.conftest import payload_for
from tests.conftest import make_token, requires_chromium
from tests.factories import RegistrationFactory, RoomFactory, SessionFactory, UserFactory
from tests.live.conftest import scan_in
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"tablet landscape": (1024, 768), "tablet portrait": (768, 1024), "phone": (412, 915)}
# Counts each request for the charts' drawing, so a test can tell a bar moved in place from a redraw.
COUNT_FETCHES = """() => {
  window.chartFetches = 0;
  const original = window.fetch;
  window.fetch = function (url, options) {
    if (String(url).endsWith('/control/arrivals')) window.chartFetches += 1;
    return original.call(this, url, options);
  };
}"""


def _people(fair, n: int) -> list:
    people = []
    for i in range(n):
        user = UserFactory(email=f"arrival{i}@example.org", full_name=f"Arrival {i}")
        RegistrationFactory(event=fair.event, user=user, role=Registration.Role.CANDIDATE)
        people.append(user)
    return people


def _value(page, chart: str, key: str) -> str | None:
    return page.evaluate(
        "([chart, key]) => { const g = [...document.querySelectorAll('#' + chart + ' g.bar')]"
        ".find(g => g.dataset.key === key); return g ? g.querySelector('text.value').textContent : null; }",
        [chart, key],
    )


@requires_chromium
def test_arrival_charts_move_with_each_scan_and_redraw_only_for_a_new_bar(fair, daphne):  # noqa: F811
    first, second, third, fourth, fifth = _people(fair, 5)
    for user in (first, second, third):
        scan_in(fair, user, gate="North")
    payloads = {user.pk: payload_for(user, fair.event) for user in (fourth, fifth)}
    token = make_token(fair.organiser)
    cookie = session_cookie(fair.organiser).decode().split("=", 1)[1]

    def scan(user, gate: str) -> None:
        response = httpx.post(
            f"{daphne.url}/api/v1/checkin/scan",
            json={"payload": payloads[user.pk], "event": "job-fair", "gate": gate},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text

    with phone_page(viewport={"width": 1024, "height": 768}, is_mobile=False) as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": daphne.url}])
        page.goto(daphne.url + "/events/job-fair/control")
        page.wait_for_selector('html[data-live="online"]')
        assert _value(page, "chart-gate", "North") == "3"
        page.evaluate(COUNT_FETCHES)

        scan(fourth, "North")
        wait_for_js(page, "() => document.querySelector('#chart-gate desc').textContent === 'North: 4'", timeout=5_000)
        assert _value(page, "chart-gate", "North") == "4"
        assert _value(page, "chart-role", "candidate") == "4"
        assert page.evaluate("window.chartFetches") == 0, "a bar within its axis moves in place"

        scan(fifth, "West")
        wait_for_js(page, "() => document.querySelector('#chart-gate g.bar[data-key=\"West\"]')", timeout=5_000)
        assert _value(page, "chart-gate", "West") == "1"
        assert page.evaluate("window.chartFetches") >= 1, "a new gate has the server draw the chart again"
        assert page.locator("#chart-gate").get_attribute("role") == "img"
        page.screenshot(path="/tmp/explorers-control-charts.png", full_page=True)


@requires_chromium
@pytest.mark.parametrize("language", ["en", "ar", "ckb"])
def test_control_room_fits_a_tablet_either_way_up_and_a_phone(fair, daphne, language):  # noqa: F811
    room = RoomFactory(event=fair.event, name="القاعة الرئيسية للمعرض")
    SessionFactory(event=fair.event, room=room, title="افتتاح معرض التوظيف الرقمي بين ليتوانيا والعراق")
    scan_in(fair, fair.candidate, gate="البوابة الجنوبية الرئيسية")
    cookie = session_cookie(fair.organiser).decode().split("=", 1)[1]
    for name, (width, height) in VIEWPORTS.items():
        size = {"width": width, "height": height}
        with phone_page(viewport=size, screen=size, is_mobile=name == "phone", locale=language) as page:
            page.context.add_cookies(
                [
                    {"name": "sessionid", "value": cookie, "url": daphne.url},
                    {"name": "django_language", "value": language, "url": daphne.url},
                ]
            )
            page.goto(daphne.url + "/events/job-fair/control")
            page.wait_for_selector('html[data-live="online"]')
            page.wait_for_selector("tr[data-session] button")
            layout = page.evaluate(
                """() => {
                  const small = [...document.querySelectorAll(
                      '.control button, .control a.button, .control select, .control input:not([type=hidden])')]
                    .filter(e => e.offsetParent !== null)
                    .map(e => [e.textContent.trim() || e.tagName, e.getBoundingClientRect()])
                    .filter(([, r]) => r.height < 44 || r.width < 44)
                    .map(([t, r]) => t + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
                  const svg = document.querySelector('#chart-gate');
                  return {
                    overflow: document.documentElement.scrollWidth - window.innerWidth,
                    small,
                    dir: document.documentElement.dir,
                    chartDir: svg.getAttribute('direction'),
                    chartWidth: svg.getBoundingClientRect().width,
                  };
                }"""
            )
            page.screenshot(path=f"/tmp/explorers-control-{language}-{name.replace(' ', '-')}.png", full_page=True)
        assert layout["overflow"] <= 0, f"{name}: the page scrolls sideways by {layout['overflow']} px"
        assert layout["small"] == [], f"{name}: controls smaller than 44 px: {layout['small']}"
        assert layout["chartDir"] == ("ltr" if language == "en" else "rtl") and layout["dir"] == layout["chartDir"]
        assert layout["chartWidth"] >= 250, name
