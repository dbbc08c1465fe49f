"""On a phone: a trainee rates their skills at intake, in Arabic; their progress page shows the levels."""

from __future__ import annotations

import pytest
from django.test import Client

from matching import assessments
from matching.assessment_models import SkillAssessment
from matching.models import Skill
from tests.browser import phone_page
from tests.checkin.test_training_grid import make_training
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def _skill(slug: str, name: str) -> Skill:
    # transactional_db empties the tables after each test, the taxonomy the migration loaded too.
    return Skill.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_a_trainee_rates_their_skills_on_a_phone_and_sees_them_on_their_progress_page(
    live_server, transactional_db, actors
):
    course = make_training(actors)
    python, analysis = _skill("python", "Python"), _skill("data-analysis", "Data analysis")
    assessments.curriculum_set(event=course.event, skill_ids=[python.pk, analysis.pk], by=course.trainer)
    assessments.trainer_levels_record(
        event=course.event, round="intake", levels={(course.ali.pk, python.pk): 1}, by=course.trainer
    )
    base = live_server.url.replace("localhost", "127.0.0.1")
    slug = course.event.slug
    cookie = _cookie(course.ali.user)  # before the browser: Django refuses the database inside its event loop

    with phone_page(locale="ar") as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "url": base},
                {"name": "django_language", "value": "ar", "url": base},
            ]
        )
        page.goto(f"{base}/events/{slug}/")
        page.click(f"a[href='/matching/{slug}/training/assessments/']")
        page.click(f"a[href='/matching/{slug}/training/assessments/intake/self/']")
        page.check(f"input[name='level-{python.pk}'][value='2']")
        page.check(f"input[name='level-{analysis.pk}'][value='0']")
        page.click("#self-form button[type=submit]")
        page.wait_for_url(f"**/checkin/{slug}/progress/#skills")
        direction = page.get_attribute("html", "dir")
        chart_visible = page.is_visible("[data-figure=skill-progression] svg")
        intake = page.inner_text("[data-table=levels] tbody tr:first-child td:first-of-type")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")

    assert direction == "rtl" and chart_visible and not overflow
    # Python at intake: the trainer's 1, and her own 2 beside it.
    assert intake.startswith("1") and intake.rstrip(")").endswith("2")
    rows = SkillAssessment.objects.filter(source="self", registration=course.ali)
    assert {(r.skill_id, r.level) for r in rows} == {(python.pk, 2), (analysis.pk, 0)}


def test_a_trainer_fills_a_round_and_reads_the_cohorts_progression_on_a_phone(live_server, transactional_db, actors):
    course = make_training(actors)
    python = _skill("python", "Python")
    assessments.curriculum_set(event=course.event, skill_ids=[python.pk], by=course.trainer)
    base = live_server.url.replace("localhost", "127.0.0.1")
    slug = course.event.slug
    cookie = _cookie(course.trainer)

    with phone_page() as page:
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page.goto(f"{base}/matching/{slug}/training/assessments/end/")
        page.select_option(f"select[name='level-{course.ali.pk}-{python.pk}']", "4")
        page.select_option(f"select[name='level-{course.zainab.pk}-{python.pk}']", "2")
        page.click("#round-form button[type=submit]")
        page.wait_for_url("**/assessments/end/?saved=2")
        page.goto(f"{base}/matching/{slug}/training/assessments/progression/")
        description = page.text_content("#cohort-share desc")
        chart_width = page.evaluate("document.querySelector('#cohort-levels').getBoundingClientRect().width")
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        viewport = page.evaluate("window.innerWidth")

    assert "Python: Intake –, End 50 %" in description
    assert 0 < chart_width <= viewport and not overflow
