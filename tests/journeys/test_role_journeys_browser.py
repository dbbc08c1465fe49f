"""Issue 15's "Done when": a journey per role on `make run`'s supervisor (config/devserver.py), demo loaded.

Once per module, a fresh SQLite database gets the migrations, `seed_demo` and `matching_demo`, then
Daphne and both django-q2 clusters serve it on a free port (never 8000) and write every email into a
temporary mail folder (config/mail_backend.py). Each journey starts on the home page and reaches its
goal by clicking; the only addresses opened otherwise are the links an email or a page hands over.
The test process never touches that database: it sees only what a person sees (pages, mails, feeds).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from tests.browser import phone_page, wait_for_js
from tests.conftest import requires_chromium
from tests.servers import BASE_DIR, free_port

pytestmark = [pytest.mark.browser, pytest.mark.e2e, requires_chromium]

PASSWORD = "explorers-demo"
EMPLOYER = "aiste@nemunas-software.example"
ORGANISER = "organiser@explorers.example"
CANDIDATE = "zainab.hussein@mail.example"
TODAY_FAIR = "demo-fair-today"
FUTURE_FAIR = "digital-explorers-job-fair-baghdad"
ADD, REMOVE = "أضف إلى برنامجي", "أزل من برنامجي"
MAIL_WAIT = 30.0


@dataclass
class Demo:
    url: str
    mail: Path

    def mails(self) -> dict[Path, str]:
        return {p: p.read_text(encoding="utf-8") for p in sorted(self.mail.glob("*.txt"))}

    def wait_for_mail(
        self, predicate: Callable[[Path, str], bool], *, seen: set[Path] | frozenset[Path] = frozenset(), count: int = 1
    ) -> list[str]:
        """The texts of new mails `predicate` accepts, once there are `count` of them."""
        deadline = time.monotonic() + MAIL_WAIT
        while True:
            found = [text for path, text in self.mails().items() if path not in seen and predicate(path, text)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("journeys")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "EMAIL_BACKEND", "EMAIL_HOST", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings_dev",
        "DATABASE_URL": f"sqlite:///{root / 'demo.sqlite3'}",
        "EMAIL_FILE_PATH": str(root / "mail"),
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(BASE_DIR),
        "Q_WORKERS": "1",
    }
    # As `make run` does: static files collected once (production settings serve them from STATIC_ROOT).
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo")
    _manage(env, "matching_demo")
    log_path = root / "devserver.log"
    with log_path.open("wb") as log:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "config.devserver", "--host", "127.0.0.1", "--port", str(port)],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            status = None
            while status != 200:
                assert supervisor.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                try:
                    status = httpx.get(url + "/", timeout=2).status_code
                except httpx.HTTPError:
                    time.sleep(0.3)
            yield Demo(url=url, mail=root / "mail")
        finally:
            if supervisor.poll() is None:
                supervisor.send_signal(signal.SIGINT)
                try:
                    supervisor.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    supervisor.kill()
                    supervisor.wait(timeout=10)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.click("a[href='/me/']")
    page.click("a[href^='/me/sign-in/']")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/me/sign-in/'] button[type=submit]")
    page.wait_for_load_state()


def test_a_candidate_registers_in_arabic_adds_two_sessions_and_finds_them_in_the_feed(demo):
    address = "huda.karim@mail.example"
    with phone_page(locale="ar") as page:
        page.goto(demo.url + "/")
        page.click(f"a[href='/events/{FUTURE_FAIR}/']")
        page.click("a[href$='/register/']")
        page.fill("#id_full_name", "هدى كريم")
        page.fill("#id_email", address)
        page.click("form[action$='/register/'] button[type=submit]")
        page.wait_for_url("**/registered/")
        (welcome,) = demo.wait_for_mail(lambda path, _text: address in path.name)
        link = re.search(r"http://\S+/me/link/\S+", welcome).group(0)
        page.goto(link)  # the link in the confirmation email, as the mail app opens it
        page.wait_for_url("**/me/registrations/*/")
        page.click("a[href$='#agenda']")
        buttons = page.locator("form[data-programme] button")
        chosen = []
        for i in (0, 1):
            form = page.locator("form[data-programme]").nth(i)
            chosen.append(form.evaluate("(f) => f.closest('[id^=session-]').id"))
            assert buttons.nth(i).text_content().strip() == ADD
            buttons.nth(i).click()
            wait_for_js(
                page,
                f"document.querySelector('#{chosen[i]} form[data-programme] button').textContent.trim() === {REMOVE!r}",
            )
        titles = [page.locator(f"#{sid} h3, #{sid} .title, #{sid} strong").first.inner_text().strip() for sid in chosen]
        fair = page.locator("main h1").first.inner_text().strip()
        page.click("header a[href='/me/']")
        page.click("main a[href^='/me/registrations/']")
        webcal = page.get_attribute("a[href^='webcal://']", "href")
        feed = page.request.get("http://" + webcal.removeprefix("webcal://"))
        assert feed.ok
        calendar = icalendar.Calendar.from_ical(feed.body())
    # The event itself and the two sessions chosen, nothing else.
    assert len(set(titles)) == 2
    assert sorted(str(c["SUMMARY"]) for c in calendar.walk("VEVENT")) == sorted([fair, *titles])


def test_an_employer_requests_a_meeting_the_candidate_accepts_from_the_email_and_both_get_the_invitation(demo):
    # The demo fair's meeting hours are 09:30-15:30 in Baghdad (matching_demo): after them no slot is left
    # today for an accepted request, and the journey has nothing to book.
    baghdad = datetime.now(ZoneInfo("Asia/Baghdad")).time()
    if baghdad >= dt_time(15, 0):
        pytest.skip("the demo fair's meeting hours (09:30-15:30 Baghdad time) are over for today")
    with phone_page() as page:
        _sign_in(page, demo.url, EMPLOYER)
        page.wait_for_url("**/matching/demo-fair-today/board/")
        row = page.locator("li.cand").filter(has=page.locator("button[value=request]")).first
        name = row.locator("a[href*='/leads/'] bdi").first.inner_text().strip()
        seen = set(demo.mails())
        row.locator("button[value=request]").click()
        page.wait_for_selector(".tag.pending")
        (request,) = demo.wait_for_mail(lambda _path, text: "/matching/answer/" in text, seen=seen)
        candidate = _recipient(request)
        assert name in request and "Nemunas Software UAB" in request
        accept = re.search(r"Accept: (http://\S+)", request).group(1)
        seen = set(demo.mails())
        page.goto(accept)  # the candidate taps "Accept" in the email
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        booked = page.inner_text("main")
    assert "You accepted" in booked
    invitations = demo.wait_for_mail(lambda _path, text: "METHOD:REQUEST" in text, seen=seen, count=2)
    by_recipient = {_recipient(text): _invitation(text) for text in invitations}
    assert set(by_recipient) == {candidate, EMPLOYER}
    uids = {str(event["UID"]) for event in by_recipient.values()}
    assert len(uids) == 1 and uids.pop().startswith("meeting-")


def _recipient(text: str) -> str:
    return re.search(r"^To: (\S+)$", text, re.M).group(1)


def _invitation(text: str) -> icalendar.Event:
    """The one VEVENT of a mail's REQUEST calendar part (as the readable .txt shows it)."""
    part = text.split("[calendar part, text/calendar]\n", 1)[1]
    part = part[: part.index("END:VCALENDAR") + len("END:VCALENDAR")]
    calendar = icalendar.Calendar.from_ical(part)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    return event


def test_an_organiser_starts_and_ends_a_session_in_the_control_room_and_no_invitation_is_sent(demo):
    title = "Working in Lithuania's ICT sector"
    # Someone has the session in their programme: their invitation shows what a change would send.
    with phone_page(locale="ar") as page:
        _sign_in(page, demo.url, CANDIDATE)
        page.click("header a[href='/']")
        page.click(f"a[href='/events/{TODAY_FAIR}/']")
        session = page.locator("[id^=session-]").filter(has_text=title).first
        seen = set(demo.mails())
        session.locator("form[data-programme] button").click()
        sid = session.get_attribute("id")
        wait_for_js(
            page,
            f"document.querySelector('#{sid} form[data-programme] button').textContent.trim() === {REMOVE!r}",
        )
    invited = demo.wait_for_mail(
        lambda _path, text: _recipient(text) == CANDIDATE and title in text and "METHOD:REQUEST" in text, seen=seen
    )
    assert invited, "choosing the session sent its invitation"

    with phone_page() as page:
        _sign_in(page, demo.url, ORGANISER)
        page.wait_for_url(f"**/events/{TODAY_FAIR}/control")  # the organiser lands in today's control room
        labels = page.evaluate("JSON.parse(document.getElementById('live-labels').textContent)")
        row = page.locator("#sessions tr[data-session]").filter(has_text=title)
        assert row.get_attribute("data-status") == "scheduled"
        seen = set(demo.mails())
        row.get_by_role("button", name=labels["start"], exact=True).click()
        page.wait_for_selector(f"#sessions tr[data-session='{row.get_attribute('data-session')}'][data-status=live]")
        row.get_by_role("button", name=labels["end"], exact=True).click()
        page.wait_for_selector(f"#sessions tr[data-session='{row.get_attribute('data-session')}'][data-status=ended]")
        error = page.inner_text("#session-error")
    assert error == ""
    # Both changes went through the queue while the browser closed; give the workers time to send anything.
    time.sleep(6)
    sent = [text for path, text in demo.mails().items() if path not in seen]
    # Reminders (a schedule every five minutes) may come meanwhile: they carry no calendar part.
    invitations = [text for text in sent if "[calendar part" in text or "METHOD:" in text]
    assert invitations == [], "\n\n".join(text[:1500] for text in invitations)
