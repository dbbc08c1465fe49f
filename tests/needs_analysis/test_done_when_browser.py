"""Issue 13's "Done when", the analysis half: a university answers on a phone in Arabic, loses the
connection halfway, comes back and submits; then programme staff, on a phone in Arabic, see the answer
in the summary and in the three-way gap (right to left, nothing wider than the screen), and the PDF
holds the questionnaire's title and the skill answered. Debian Chromium, the real pages and script."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from events import questionnaire_links as links
from events.models import QuestionnaireResponse
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.questionnaires.answers_setup import make_setup, tokens_by_address

pytestmark = [pytest.mark.browser, requires_chromium]

STATUS = "document.querySelector('[data-save-status]').dataset.mode"


def _q(key: str) -> str:
    return f'.question[data-key="{key}"]'


def test_an_answer_given_offline_on_a_phone_shows_in_the_summary_the_gap_and_the_pdf(live_server, transactional_db):
    setup = make_setup()
    links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser, kinds=["university"])
    token = tokens_by_address()["huda@uob.example"]
    staff = Client()
    staff.force_login(setup.staff)
    cookie = staff.cookies["sessionid"].value
    host = live_server.url.split("//", 1)[1].split(":")[0]
    summary_url = f"{live_server.url}/programmes/{setup.programme.slug}/questionnaires/{setup.questionnaire.pk}/summary"

    with phone_page(locale="ar") as page:
        context = page.context
        page.goto(f"{live_server.url}/q/{token}/")
        page.check(f'{_q("has_internship")} input[value="no"]')
        page.check(f'{_q("practical")} input[value="4"]')
        wait_for_js(page, f"{STATUS} === 'saved'")
        context.set_offline(True)  # halfway: the rest is kept on the phone
        page.fill(f"{_q('graduates')} input", "350")
        page.select_option(f"{_q('skills_taught')} [data-skill-select]", "python")
        page.select_option(f"{_q('skills_taught')} [data-skill-level]", "4")
        page.click(f"{_q('skills_taught')} [data-skill-add]")
        wait_for_js(page, f"{STATUS} === 'offline'")
        context.set_offline(False)
        wait_for_js(page, f"{STATUS} === 'saved'")
        page.click("[data-submit]")
        wait_for_js(page, "document.getElementById('questionnaire').dataset.submitted === 'true'")

        context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page.goto(summary_url)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert "مراجعة مناهج تكنولوجيا المعلومات" in page.inner_text("h1")
        graduates = page.inner_text('.question[data-key="graduates"]')
        skills = page.inner_text('.question[data-key="skills_taught"]')
        chart_direction = page.get_attribute('.question[data-key="practical"] svg', "direction")
        summary_width = page.evaluate("document.documentElement.scrollWidth")

        page.goto(f"{live_server.url}/programmes/{setup.programme.slug}/skills-gap")
        taught = page.inner_text('#gap-table tr[data-skill="python"] td:nth-child(2)')
        taught_only = page.inner_text("#taught-not-demanded")
        gap_width = page.evaluate("document.documentElement.scrollWidth")

    assert QuestionnaireResponse.objects.get().submitted_at is not None
    assert "350" in graduates  # the median and the histogram of the one answer
    assert "Python" in skills
    assert chart_direction == "rtl"
    assert summary_width <= 412 and gap_width <= 412
    assert taught == "1"  # taught by one curriculum
    assert "Python" in taught_only  # no employer asks for it in this programme
    pdf = staff.get(f"/programmes/{setup.programme.slug}/needs-assessment.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "ICT curriculum review" in text and "Python" in text
