"""Door staff on `make run`'s demo: sign in without typing a URL, land on today's scanner, scan green."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from checkin.models import Ticket
from checkin.selectors import ticket_payload
from events.models import Registration
from matching.models import Skill
from matching.taxonomy import load_skills
from tests.browser import phone_page
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def test_door_staff_sign_in_land_on_todays_scanner_and_the_demo_ticket_is_green(live_server, transactional_db):
    if not Skill.objects.exists():  # a transactional test before this one flushed the migration's taxonomy
        load_skills(Skill)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("matching_demo", stdout=io.StringIO())
    zainab = Registration.objects.get(event__slug="demo-fair-today", user__email="zainab.hussein@mail.example")
    payload = ticket_payload(zainab.ticket)
    base = live_server.url.replace("localhost", "127.0.0.1")

    with phone_page() as page:
        page.goto(f"{base}/")
        page.click("a[href='/me/']")  # the site's own navigation, no typed URL
        page.click("a[href^='/me/sign-in/']")
        page.fill("#id_username", "staff@explorers.example")
        page.fill("#id_password", "explorers-demo")
        page.click("form[action='/me/sign-in/'] button[type=submit]")
        page.wait_for_url("**/checkin/demo-fair-today/scan")
        page.fill("#ck-gate", "Main entrance")
        page.click("#ck-setup button[type=submit]")
        # A hardware scanner types the ticket and Enter, as the demo's door would.
        page.keyboard.type(payload)
        page.keyboard.press("Enter")
        page.wait_for_selector("#ck-result[data-kind=ok]:not([hidden])", timeout=20_000)
        name = page.inner_text("#ck-result-name")

    assert "زينب" in name
    ticket = Ticket.objects.get(pk=zainab.ticket.pk)
    assert ticket.inside and ticket.first_in_gate == "Main entrance"
