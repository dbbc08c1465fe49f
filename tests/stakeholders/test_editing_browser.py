"""On a real Daphne, in Chromium on a phone, in Arabic: programme staff open a stakeholder, edit the
organisation from its page, then remove a contact person; each page fits the screen's width."""

from __future__ import annotations

from datetime import date

import pytest

from events.models import StakeholderContact
from events.stakeholders import contact_add
from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@requires_chromium
def test_staff_edit_an_organisation_and_remove_a_contact_on_a_phone_in_arabic(world, daphne):  # noqa: F811
    contact = contact_add(
        stakeholder=world.uni,
        actor=world.staff,
        name="Layla Hassan",
        email="layla@uob.example",
        consent_basis=StakeholderContact.ConsentBasis.IN_WRITING,
        consent_given_on=date(2026, 11, 1),
    )
    cookie = session_cookie(world.staff).decode().split("=", 1)[1]
    page_url = f"{daphne.url}/programmes/{world.programme.slug}/stakeholders/{world.uni.pk}/"
    with phone_page(locale="ar") as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": cookie, "url": daphne.url},
                {"name": "django_language", "value": "ar", "url": daphne.url},
            ]
        )
        page.goto(page_url)
        assert page.get_attribute("html", "dir") == "rtl"
        assert wait_for_js(page, FITS)
        page.click(f'a[href$="/stakeholders/{world.uni.pk}/edit"]')
        page.wait_for_selector('input[name="city"]')
        assert wait_for_js(page, FITS)
        page.fill('input[name="city"]', "Basra")
        page.fill('input[name="tags"]', "ICT, curriculum")
        page.click('form:has(input[name="city"]) button[type="submit"]')
        page.wait_for_url(page_url)
        assert "Basra" in page.inner_text("header .meta")

        page.click(f'a[href$="/contacts/{contact.pk}/edit"]')
        page.wait_for_selector('input[name="consent_given_on"]')
        assert wait_for_js(page, FITS)
        page.click(f'form[action$="/contacts/{contact.pk}/remove"] button')
        page.wait_for_url(page_url)
        assert "Layla" not in page.inner_text("main")

    world.uni.refresh_from_db()
    assert (world.uni.city, world.uni.tags) == ("Basra", ["ict", "curriculum"])
    assert not StakeholderContact.objects.filter(pk=contact.pk).exists()
