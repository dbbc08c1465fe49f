"""Issue 13's "Done when": a questionnaire answered on a phone in Arabic, the connection dropped halfway
(Playwright offline), the tab closed while offline, back online, the tab opened again, submitted;
the response holds every answer once. Debian Chromium, a phone viewport, the real page and script."""

from __future__ import annotations

import pytest
from django.core import mail

from events import questionnaire_links as links
from events.models import QuestionnaireInvitation, QuestionnaireResponse
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.questionnaires.answers_setup import make_setup, tokens_by_address

pytestmark = [pytest.mark.browser, requires_chromium]

STATUS = "document.querySelector('[data-save-status]').dataset.mode"


def _q(key: str) -> str:
    return f'.question[data-key="{key}"]'


def test_answering_in_arabic_on_a_phone_survives_a_dropped_connection_and_a_closed_tab(live_server, transactional_db):
    setup = make_setup()
    links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser, kinds=["university"])
    token = tokens_by_address()["huda@uob.example"]
    assert mail.outbox[0].to == ["huda@uob.example"]
    url = f"{live_server.url}/q/{token}/"

    with phone_page(locale="ar") as page:
        context = page.context
        page.goto(url)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert "هل يوجد تدريب عملي؟" in page.inner_text(_q("has_internship"))
        # The condition shows its question live.
        assert not page.is_visible(_q("internship_weeks"))
        page.check(f'{_q("has_internship")} input[value="yes"]')
        assert page.is_visible(_q("internship_weeks"))
        page.fill(f"{_q('internship_weeks')} input", "10")
        page.check(f'{_q("practical")} input[value="4"]')
        wait_for_js(page, f"{STATUS} === 'saved'")
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 412

        context.set_offline(True)
        page.fill(f"{_q('programme_name')} input", "علوم الحاسوب")
        page.check(f'{_q("languages")} input[value="ar"]')
        page.check(f'{_q("languages")} input[value="en"]')
        page.fill(f"{_q('graduates')} input", "350")
        page.select_option(f"{_q('skills_taught')} [data-skill-select]", "python")
        page.select_option(f"{_q('skills_taught')} [data-skill-level]", "4")
        page.click(f"{_q('skills_taught')} [data-skill-add]")
        wait_for_js(page, f"{STATUS} === 'offline'")
        offline_note = page.inner_text("[data-save-status]")
        # "Saved on this phone, will send when online", in the page's language once translated.
        assert offline_note == page.get_attribute("#questionnaire", "data-msg-offline")
        kept = page.evaluate(
            "Object.keys(JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).pending).sort()"
        )
        assert kept == ["graduates", "languages", "programme_name", "skills_taught"]
        page.close()  # the tab is closed while offline: the answers wait on the phone

        context.set_offline(False)
        page = context.new_page()
        page.goto(url)
        # Restored from the phone, merged with what the server holds, and sent.
        assert page.input_value(f"{_q('programme_name')} input") == "علوم الحاسوب"
        assert page.is_checked(f'{_q("practical")} input[value="4"]')
        assert page.is_visible(_q("internship_weeks"))
        assert "Python" in page.inner_text(f"{_q('skills_taught')} [data-skills-chosen]")
        wait_for_js(page, f"{STATUS} === 'saved'")
        page.click("[data-submit]")
        wait_for_js(page, "document.getElementById('questionnaire').dataset.submitted === 'true'")
        thanks = page.inner_text("[data-submit-status]")
        page.click("[data-submit]")  # a second tap
        wait_for_js(page, f"{STATUS} === 'saved'")
        page.wait_for_timeout(300)
        # The language switch: Lithuanian, left to right, the same answers.
        page.click('.languages a[lang="lt"]')
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.dir") == "ltr"
        assert "IRT programų apžvalga" in page.inner_text("h1")
        assert page.input_value(f"{_q('programme_name')} input") == "علوم الحاسوب"

    assert offline_note and thanks
    response = QuestionnaireResponse.objects.get()
    assert response.submitted_at is not None
    assert response.answers == {
        "has_internship": "yes",
        "internship_weeks": 10,
        "practical": 4,
        "programme_name": "علوم الحاسوب",
        "languages": ["ar", "en"],
        "graduates": 350,
        "skills_taught": [{"skill": "python", "level": 4}],
    }
    assert response.language == "ar"
    assert QuestionnaireInvitation.objects.get(email="huda@uob.example").opened_at is not None


def test_two_tabs_of_one_link_show_each_others_answers_and_lose_none(live_server, transactional_db):
    setup = make_setup()
    links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser, kinds=["government"])
    url = f"{live_server.url}/q/{tokens_by_address()['karwan@moc.example']}/"

    with phone_page(locale="ckb") as first:
        second = first.context.new_page()
        first.goto(url)
        second.goto(url)
        assert first.evaluate("document.documentElement.dir") == "rtl"  # Erbil reads Kurdish
        first.check(f'{_q("practical")} input[value="2"]')
        wait_for_js(second, f"document.querySelector('{_q('practical')} input[value=\"2\"]').checked")
        second.fill(f"{_q('programme_name')} input", "Software engineering")
        wait_for_js(first, f"document.querySelector('{_q('programme_name')} input').value === 'Software engineering'")
        wait_for_js(first, f"{STATUS} === 'saved'")
        wait_for_js(second, f"{STATUS} === 'saved'")

    response = QuestionnaireResponse.objects.get()
    assert response.answers == {"practical": 2, "programme_name": "Software engineering"}
    assert response.submitted_at is None
