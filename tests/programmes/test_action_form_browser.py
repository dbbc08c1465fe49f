"""On a real Daphne, in Chromium on a phone: an organiser publishes the minutes of a session with two
action items through the minutes page; then an official of the lead organisation, in Arabic, reaches
the roadmap by clicking links from the programme's page, sees both items, and moves one of them on
with the progress form of its page; the change shows there and on the roadmap."""

from __future__ import annotations

import pytest

from events.models import ActionItem, ActionItemUpdate, Minutes
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLES = ("Pilot of e-recognition of diplomas", "Exchange of labour-market data")


def _session(user) -> str:
    """A signed-in session's cookie value (made before the browser starts: no ORM inside it)."""
    return session_cookie(user).decode().split("=", 1)[1]


def _cookies(page, value: str, url: str, language: str) -> None:
    page.context.add_cookies(
        [{"name": "sessionid", "value": value, "url": url}, {"name": "django_language", "value": language, "url": url}]
    )


@requires_chromium
@pytest.mark.browser
def test_minutes_with_two_items_then_the_lead_official_moves_one_on_from_the_roadmap(prog, actors, daphne):  # noqa: F811
    session = prog.other_session
    organiser, lead = _session(actors.organiser), _session(prog.lead_lt)
    lead_id = prog.lead_lt.pk
    rapporteur_id, ministry_id = prog.rapporteur.pk, prog.ministry_lt.pk

    # The organiser: assigns the rapporteur, writes and publishes the minutes, records two items.
    with phone_page(locale="en") as page:
        _cookies(page, organiser, daphne.url, "en")
        page.goto(f"{daphne.url}/programmes/minutes/session/{session.pk}/")
        page.select_option('select[name="rapporteur"]', str(rapporteur_id))
        page.click('form:has(input[value="rapporteur"]) button[type="submit"]')
        page.wait_for_selector("#minutes-form")
        page.fill('#minutes-form textarea[name="notes"]', "Recognition and data exchange discussed.")
        page.fill('#minutes-form textarea[name="decisions"]', "Two pilots agreed.")
        page.check('#minutes-form input[name="publish"]')
        page.click('#minutes-form button[type="submit"]')
        page.wait_for_selector("#minutes-form")
        for title in TITLES:
            page.fill('#action-form input[name="title"]', title)
            page.fill('#action-form input[name="theme"]', "Digital-economy cooperation")
            page.select_option('#action-form select[name="lead_organisation"]', str(ministry_id))
            page.fill('#action-form input[name="due_date"]', "2027-04-30")
            page.select_option('#action-form select[name="visibility"]', "officials")
            page.select_option('#action-form select[name="status"]', "agreed")
            page.click('#action-form button[type="submit"]')
            page.wait_for_selector(f'#items-h ~ ol li:has-text("{title}")')

    minutes = Minutes.objects.get(session=session)
    assert minutes.status == "published" and minutes.rapporteur_id == rapporteur_id
    items = {i.title: i for i in ActionItem.objects.filter(source_session=session)}
    assert set(items) == set(TITLES) and {i.status for i in items.values()} == {"agreed"}
    moved, kept = items[TITLES[0]], items[TITLES[1]]

    # The official of the lead ministry, in Arabic: only links after the programme's page.
    with phone_page(locale="ar") as page:
        _cookies(page, lead, daphne.url, "ar")
        page.goto(f"{daphne.url}/programmes/dex-iraq/")
        assert page.get_attribute("html", "dir") == "rtl"
        page.click('a[href$="/programmes/dex-iraq/roadmap"]')
        page.wait_for_selector('html[data-live="online"]')
        for item in (moved, kept):
            page.wait_for_selector(f'li[data-id="{item.pk}"].s-agreed')
        page.click(f'li[data-id="{moved.pk}"] .title a')

        page.wait_for_selector("#progress-form")
        assert page.get_attribute("html", "dir") == "rtl"
        offered = page.eval_on_selector_all('#progress-form select[name="status"] option', "os => os.map(o => o.value)")
        assert offered == ["", "in_progress", "dropped"]
        page.select_option('#progress-form select[name="status"]', "in_progress")
        page.fill('#progress-form textarea[name="comment"]', "بدأ العمل على المشروع التجريبي")
        page.click('#progress-form button[type="submit"]')
        page.wait_for_selector('#status:has-text("قيد التنفيذ")')
        assert "بدأ العمل على المشروع التجريبي" in page.inner_text("#history")
        # Nothing spills sideways on the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        page.click("#to-roadmap")
        page.wait_for_selector('html[data-live="online"]')
        page.wait_for_selector(f'li[data-id="{moved.pk}"].s-in_progress')
        page.wait_for_selector(f'li[data-id="{kept.pk}"].s-agreed')
        assert page.inner_text(f'li[data-id="{moved.pk}"] .status') == "قيد التنفيذ"

    assert ActionItem.objects.get(pk=moved.pk).status == "in_progress"
    assert ActionItem.objects.get(pk=kept.pk).status == "agreed"
    entry = ActionItemUpdate.objects.filter(item=moved).latest("id")
    assert entry.author_id == lead_id and entry.changes == {"status": ["agreed", "in_progress"]}
