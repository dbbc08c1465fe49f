"""On a phone: an employer records an offer from the board, and the candidate confirms it from her page."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from matching.outcome_models import Outcome, OutcomeChange
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.matching.fair_setup import _fresh_index, build_fair  # noqa: F401

pytestmark = [pytest.mark.browser, requires_chromium]
SHOTS = "/tmp/explorers-pages"


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def test_employer_records_an_offer_from_the_board_and_the_candidate_confirms_it(live_server, transactional_db, actors):
    os.makedirs(SHOTS, exist_ok=True)
    build_fair(actors)
    slug = actors.event.slug
    employer, candidate = _cookie(actors.employer_a), _cookie(actors.candidate)
    base = live_server.url.replace("localhost", "127.0.0.1")

    with phone_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": employer, "url": base}])
        page.goto(f"{base}/matching/{slug}/board/")
        page.click(f"a[href='/matching/{slug}/outcomes/']")
        page.wait_for_url(f"**/matching/{slug}/outcomes/")
        page.select_option("select[name=candidate]", label="Zainab Candidate")
        page.select_option("select[name=stage]", "offer")
        page.select_option("select[name=offer_kind]", "job")
        page.fill("input[name=offer_country]", "lt")
        page.select_option("select[name=work_mode]", "remote")
        page.fill("textarea[name=note]", "Junior backend developer")
        page.click("#outcome-form button[type=submit]")
        page.wait_for_selector(".outcome >> text=Offer made")
        employer_sees = page.inner_text(".outcome")
        employer_overflow = _overflows(page)
        page.screenshot(path=f"{SHOTS}/outcomes-employer.png", full_page=True)

    with phone_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": candidate, "url": base}])
        page.goto(f"{base}/matching/{slug}/me/")
        page.click(f"a[href='/matching/{slug}/my-outcomes/']")
        page.wait_for_url(f"**/matching/{slug}/my-outcomes/")
        asked = page.inner_text(".outcome")
        page.click(".outcome button[value=yes]")
        page.wait_for_selector(".outcome >> text=Confirmed by the candidate")
        candidate_overflow = _overflows(page)
        page.screenshot(path=f"{SHOTS}/outcomes-candidate.png", full_page=True)

    assert "Zainab Candidate" in employer_sees and "Job · LT · Remote" in employer_sees
    assert "Baltic Code UAB" in asked and "Offer made" in asked and "Did this happen?" in asked
    assert not employer_overflow and not candidate_overflow
    outcome = Outcome.objects.get()
    assert (outcome.stage, outcome.offer_country, outcome.confirmation) == ("offer", "LT", "confirmed")
    assert list(OutcomeChange.objects.values_list("kind", "actor_id", "note")) == [
        ("stage", actors.employer_a.pk, "Junior backend developer"),
        ("confirmed", actors.candidate.pk, ""),
    ]
