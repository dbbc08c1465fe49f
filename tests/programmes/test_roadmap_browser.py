"""On a real Daphne, in Chromium on a phone: a status change made through the API reaches an open
roadmap page without a reload, in Arabic (right to left) and Lithuanian."""

from __future__ import annotations

import httpx
import pytest

from tests.browser import phone_page, wait_for_js
from tests.conftest import make_token, requires_chromium
from tests.realtime.helpers import session_cookie
from tests.servers import daphne  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The status labels and the page's title in each language (locale/*/LC_MESSAGES/django.po).
WORDS = {
    "ar": {"agreed": "متفق عليه", "in_progress": "قيد التنفيذ", "title": "خارطة الطريق", "dir": "rtl"},
    "lt": {"agreed": "Sutarta", "in_progress": "Vykdoma", "title": "Veiksmų planas", "dir": "ltr"},
}


@requires_chromium
@pytest.mark.browser
@pytest.mark.parametrize("language", ["ar", "lt"])
def test_a_status_change_through_the_api_reaches_an_open_roadmap_without_a_reload(prog, daphne, language):  # noqa: F811
    words = WORDS[language]
    lead_token = make_token(prog.lead_lt)
    viewer = session_cookie(prog.delegate_iq).decode().split("=", 1)[1]
    public_id, officials_id = prog.public_item.pk, prog.officials_item.pk

    with phone_page(locale=language) as page:
        page.context.add_cookies(
            [
                {"name": "sessionid", "value": viewer, "url": daphne.url},
                {"name": "django_language", "value": language, "url": daphne.url},
            ]
        )
        page.goto(daphne.url + "/programmes/dex-iraq/roadmap")
        page.wait_for_selector('html[data-live="online"]')
        assert page.get_attribute("html", "dir") == words["dir"]
        assert words["title"] in page.inner_text("h1")
        # The officials' item is on this official's roadmap, marked overdue.
        page.wait_for_selector(f'li[data-id="{officials_id}"].overdue')
        page.evaluate("window.sameDocument = true")

        changed = httpx.patch(
            f"{daphne.url}/api/v1/actions/{public_id}",
            json={"status": "agreed", "comment": "Signed"},
            headers={"Authorization": f"Bearer {lead_token}"},
            timeout=10,
        )
        assert changed.status_code == 200, changed.text
        page.wait_for_selector(f'li[data-id="{public_id}"].s-agreed', timeout=5_000)
        assert page.inner_text(f'li[data-id="{public_id}"] .status') == words["agreed"]
        assert wait_for_js(page, "document.querySelector('#counts [data-status=agreed]').textContent").endswith("2")
        assert page.evaluate("window.sameDocument") is True
        # Nothing spills sideways on the phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
