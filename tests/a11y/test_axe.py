"""axe-core (vendored by axe-playwright-python) on the attendee pages and the organisers' screens, in
Chromium on a phone, in English and Arabic: no serious or critical violation.

The pages run on a real Daphne (the live pages need their WebSocket) with the actors' job fair
happening now: the event page, registration, sign-in, "My registrations" (/me/), a registration,
"My day", the door scanner (door staff), the control room and the lobby screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Registration
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.factories import RoomFactory, SessionFactory
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
# WCAG 2.0-2.2 A and AA (contrast, names, structure, target size) and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Violations in markup other engineers own and were fixing on 5 December 2026 (issue 15): listed
# here by rule id only, so that anything else still fails. Empty when they are fixed.
EXPECTED: dict[str, str] = {}


def _axe():
    pytest.importorskip("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _pages(actors) -> tuple[list[tuple[str, str, str | None]], dict[str, str]]:
    """(name, path, who) for every page, and a session cookie for each `who`."""
    event = actors.event
    event.starts_at, event.ends_at = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=6)
    event.status = event.Status.LIVE
    event.save()
    SessionFactory(
        event=event, room=RoomFactory(event=event, name="القاعة الرئيسية"), title="افتتاح المعرض",
        starts_at=timezone.now() - timedelta(minutes=10), ends_at=timezone.now() + timedelta(minutes=50),
    )  # fmt: skip
    registration = Registration.objects.get(event=event, user=actors.candidate)
    pages = [
        ("event page", f"/events/{event.slug}/", None),
        ("registration", f"/events/{event.slug}/register/", None),
        ("sign-in", "/me/sign-in/", None),
        ("my registrations", "/me/", "candidate"),
        ("a registration", f"/me/registrations/{registration.pk}/", "candidate"),
        ("my day", "/me/day", "candidate"),
        ("scanner", f"/checkin/{event.slug}/scan", "organiser"),
        ("control room", f"/events/{event.slug}/control", "organiser"),
        ("lobby screen", f"/events/{event.slug}/screen", None),
    ]
    cookies = {
        "candidate": session_cookie(actors.candidate).decode().split("=", 1)[1],
        "organiser": session_cookie(actors.organiser).decode().split("=", 1)[1],
    }
    return pages, cookies


def _blocking(results: dict) -> list[str]:
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING or violation["id"] in EXPECTED:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@requires_chromium
@pytest.mark.parametrize("language", ["en", "ar"])
def test_attendee_pages_and_screens_have_no_serious_or_critical_axe_violation(actors, daphne, language):  # noqa: F811
    axe = _axe()
    pages, cookies = _pages(actors)
    problems: dict[str, list[str]] = {}
    with phone_page(locale=language) as page:
        for name, path, who in pages:
            page.context.clear_cookies()
            cookie_list = [{"name": "django_language", "value": language, "url": daphne.url}]
            if who:
                cookie_list.append({"name": "sessionid", "value": cookies[who], "url": daphne.url})
            page.context.add_cookies(cookie_list)
            response = page.goto(daphne.url + path)
            assert response is not None and response.status == 200, f"{name}: {response and response.status}"
            if page.locator("html[data-live]").count():
                # A live page: judged once its snapshot is drawn, as a person sees it.
                page.wait_for_selector('html[data-live="online"]')
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == language, name
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}}).response
            if found := _blocking(results):
                problems[name] = found
    assert problems == {}, "\n".join(f"{name}: {line}" for name, lines in problems.items() for line in lines)
