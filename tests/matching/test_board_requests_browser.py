"""A tablet at the booth, in Arabic on a real Daphne: the count of candidates present follows the
door without a reload even when no row moves, the score's "+" parts open in words on a tap, and a
request shows as pending on its row instead of "No meeting yet"."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from checkin.selectors import ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from tests.browser import phone_page, wait_for_js
from tests.conftest import make_token, requires_chromium
from tests.matching.fair_setup import _fresh_index, add_candidate, build_fair  # noqa: F401
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

SHOTS = "/tmp/explorers-pages"


@requires_chromium
@pytest.mark.browser
@pytest.mark.e2e
def test_the_board_counts_arrivals_explains_scores_and_shows_a_pending_request(actors, daphne):  # noqa: F811
    now = timezone.now()
    event = actors.event
    event.starts_at, event.ends_at = now - timedelta(hours=1), now + timedelta(hours=7)
    event.save()
    build_fair(actors, starts_at=now)
    # An analyst fits only employer B's opening: their arrival moves none of employer A's rows.
    analyst = add_candidate(event, "analyst@example.org", {"sql": 4, "data-analysis": 4}, languages={"ar": 5})
    payloads = {
        user.pk: ticket_payload(ticket_issue(registration=Registration.objects.get(event=event, user=user)))
        for user in (actors.candidate, analyst)
    }
    with translation.override("ar"):
        one = ngettext("%(n)s candidate present", "%(n)s candidates present", 1) % {"n": 1}
    cookie = session_cookie(actors.employer_a).decode().split("=", 1)[1]
    door = make_token(actors.organiser)
    host = daphne.url.split("//", 1)[1].split(":")[0]

    def scan(user_id: int) -> None:
        r = httpx.post(
            daphne.url + "/api/v1/checkin/scan",
            json={"payload": payloads[user_id], "event": "job-fair", "gate": "main"},
            headers={"Authorization": f"Bearer {door}"},
            timeout=10,
        )
        assert r.status_code == 201, r.text

    def present() -> str:
        return page.inner_text("[data-present]")

    with phone_page(locale="ar", viewport={"width": 412, "height": 915}) as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page.goto(daphne.url + "/matching/job-fair/board/")
        wait_for_js(page, "document.documentElement.dataset.live === 'online'", timeout=10_000)
        zero = present()
        scan(analyst.pk)
        wait_for_js(page, f"document.querySelector('[data-present]').textContent !== {zero!r}", timeout=5_000)
        assert present() == one
        # Zainab fits A's opening: her row arrives, and her score's "+" line opens in words on a tap.
        scan(actors.candidate.pk)
        page.wait_for_selector("#live >> text=Zainab Candidate", timeout=5_000)
        summary = page.locator("details.why summary").first
        assert page.locator("details.why").first.get_attribute("open") is None
        summary.click()
        assert page.locator("details.why").first.get_attribute("open") is not None
        explained = page.locator("details.why ul").first.inner_text()
        assert "15" in explained and len(explained) > 40
        # "Request a meeting" (the form posts and the page comes back): the row says it is pending.
        page.locator("button[value=request]").first.click()
        page.wait_for_selector(".tag.pending", timeout=5_000)
        pending = page.inner_text(".tag.pending")
        assert page.locator("button[value=withdraw]").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=f"{SHOTS}/matching-board-pending-ar.png", full_page=True)
    assert "أُرسل الطلب" in pending
